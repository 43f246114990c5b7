"""mlkit: the vectorized NumPy reference implementation of the course.

Modules
-------
activations  element-wise activations, softmax and log-softmax, with derivatives
losses       losses that return (loss, gradient with respect to their input)
layers       forward/backward pairs: linear, activation, dropout; add_bias
graph        a scalar computational graph with gates, for backpropagation by hand
models       Perceptron, LogisticRegression, MLP
optim        update rules with one signature, mini-batches, learning-rate schedules
gradcheck    centered-difference gradients and reports
datasets     toy data (will I pass?, XOR, moons, ...) and the 8x8 digits, all offline
plotting     decision boundaries, loss curves, descent paths (imports matplotlib lazily)
testing      assertions with diagnostic messages, used by the autograder

Students may read every line; graded exercises ask them to write their own versions.
"""

from . import (
    activations,
    datasets,
    gradcheck,
    graph,
    layers,
    losses,
    optim,
    plotting,
    testing,
)
from .mlp import MLP
from .models import LogisticRegression, Perceptron

__version__ = "0.1.0"

__all__ = [
    "activations",
    "datasets",
    "gradcheck",
    "graph",
    "layers",
    "losses",
    "optim",
    "plotting",
    "testing",
    "MLP",
    "LogisticRegression",
    "Perceptron",
    "__version__",
]
