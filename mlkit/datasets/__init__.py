"""Small data sets for the course: toy problems, 2-D benchmarks and the 8x8 digits.

Every generator takes a ``seed`` (an int, a ``np.random.Generator`` or None) and returns
``X`` of shape ``(n_samples, n_features)`` (float64) and ``y`` of shape ``(n_samples,)``
(int64 labels in ``[0, k)``). Nothing here touches the network: the digits ship with the
package in ``mlkit/data/digits.npz``.

The functions live in three modules, each short enough to read in one sitting: ``toy``
(:func:`will_i_pass`, :func:`xor`, :func:`make_blobs`, :func:`make_moons`,
:func:`make_circles`, :func:`make_spirals`, :func:`make_linearly_separable`), ``digits``
(:func:`load_digits`) and ``preparation`` (:func:`train_test_split`,
:class:`Standardizer`). Import them from here: ``from mlkit.datasets import make_moons``.
"""

from .digits import load_digits
from .preparation import Standardizer, train_test_split
from .toy import (
    WILL_I_PASS_FEATURES,
    make_blobs,
    make_circles,
    make_linearly_separable,
    make_moons,
    make_spirals,
    will_i_pass,
    xor,
)

__all__ = [
    "WILL_I_PASS_FEATURES",
    "will_i_pass",
    "xor",
    "make_blobs",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_linearly_separable",
    "load_digits",
    "train_test_split",
    "Standardizer",
]
