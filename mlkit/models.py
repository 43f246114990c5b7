r"""Linear classifiers: the perceptron and logistic regression (bias absorbed).

Both models append a column of ones to ``X`` (:math:`x \leftarrow [x, 1]`), so their weight
vector ``w_`` has ``d + 1`` entries with the bias **last**; ``coef_`` and ``intercept_``
give the two parts separately. The multi-layer perceptron, :class:`MLP`, lives in
:mod:`mlkit.mlp` and is re-exported here.

Example
-------
>>> from mlkit.datasets import will_i_pass
>>> X, y = will_i_pass(seed=0)
>>> Perceptron(max_epochs=1000).fit(X, y).converged_
True
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    as_rng,
    check_array,
    check_binary_labels,
    check_fitted,
    check_positive,
    check_X_y,
)
from .activations import sigmoid
from .layers import add_bias
from .losses import _bce_with_logits
from .mlp import MLP

__all__ = ["Perceptron", "LogisticRegression", "MLP"]


class _LinearClassifier:
    """What the two linear models share: inputs, decision function, accuracy."""

    w_ = None

    def _check_X(self, X) -> np.ndarray:
        check_fitted(self, "w_")
        X = check_array(X, "X", ndim=2)
        if X.shape[1] != self.w_.shape[0] - 1:
            raise ValueError(
                f"X has {X.shape[1]} features, but this {type(self).__name__} was fitted "
                f"with {self.w_.shape[0] - 1}."
            )
        return X

    @property
    def coef_(self) -> np.ndarray:
        """The weights without the bias, shape (d,)."""
        check_fitted(self, "w_")
        return self.w_[:-1]

    @property
    def intercept_(self) -> float:
        """The bias b (the last entry of ``w_``)."""
        check_fitted(self, "w_")
        return float(self.w_[-1])

    def decision_function(self, X) -> np.ndarray:
        r"""The score :math:`w^\top x + b` of each sample, shape (n,)."""
        return add_bias(self._check_X(X)) @ self.w_

    def score(self, X, y) -> float:
        """Accuracy: the fraction of samples whose predicted label equals ``y``."""
        X, y = check_X_y(X, y)
        return float(np.mean(self.predict(X) == y))


class Perceptron(_LinearClassifier):
    r"""Rosenblatt's perceptron, trained by the error-driven learning algorithm.

    For each sample in turn it predicts :math:`\hat y = \mathrm{step}(w^\top x)` and, when
    wrong, updates :math:`w \leftarrow w + \eta\,(y - \hat y)\,x` (labels 0/1). On a mistake
    :math:`y - \hat y` is exactly the label in :math:`\pm 1` form, :math:`y_\pm = 2y - 1`, so
    the update is :math:`w \leftarrow w + \eta\,y_\pm\,x`: a stochastic gradient step on the
    perceptron error :math:`E_P` (which also counts a class-1 sample exactly on the boundary
    as a mistake, where :math:`\mathrm{step}(0) = 1` does not).

    Training stops at the first of: an epoch without mistakes (``stop_reason_ =
    "no mistakes"``), ``max_epochs`` epochs (``"max_epochs"``), or an epoch whose total
    update :math:`\lVert \Delta w \rVert` is below ``tol`` (``"small update"``).

    Parameters
    ----------
    learning_rate : float > 0
    max_epochs : int > 0
    tol : float >= 0, threshold on the norm of one epoch's weight change (0 disables it)
    shuffle : bool, visit the samples in a new random order each epoch
    seed : int, Generator or None, used when ``shuffle`` is True

    Attributes
    ----------
    w_ : ndarray of shape (d + 1,), bias last
    classes_ : ndarray, the two labels seen in ``fit`` ({0, 1} or {-1, 1})
    mistakes_ : list of int, mistakes made in each epoch
    n_epochs_ : int
    converged_ : bool, True when an epoch ended without mistakes
    stop_reason_ : str
    """

    def __init__(self, learning_rate: float = 1.0, max_epochs: int = 100, tol: float = 0.0,
                 shuffle: bool = False, seed=None):
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.tol = tol
        self.shuffle = shuffle
        self.seed = seed

    def fit(self, X, y) -> Perceptron:
        """Run the perceptron learning algorithm on ``X`` (n, d) and labels ``y`` (n,)."""
        X, y = check_X_y(X, y)
        labels = set(np.unique(y).tolist())
        if not (labels <= {0.0, 1.0} or labels <= {-1.0, 1.0}):
            shown = "{" + ", ".join(f"{v:g}" for v in sorted(labels)[:6]) + "}"
            fix = (f" Map them to 0 and 1, e.g. (y == {max(labels):g}).astype(int)."
                   if len(labels) == 2 else " The perceptron separates two classes.")
            raise ValueError(f"y must contain labels {{0, 1}} or {{-1, +1}}; found {shown}.{fix}")
        if len(labels) < 2:
            raise ValueError(
                f"y contains only one class ({next(iter(labels)):g}); a classifier needs "
                "samples of both classes."
            )
        check_positive(self.learning_rate, "learning_rate")
        check_positive(self.max_epochs, "max_epochs", integer=True)
        check_positive(self.tol, "tol", allow_zero=True)
        self.classes_ = np.array(sorted(labels), dtype=np.int64)  # predict returns these
        target = (y == self.classes_[1]).astype(np.float64)  # 0/1 internally
        Xb = add_bias(X)
        rng = as_rng(self.seed)
        w = np.zeros(Xb.shape[1])
        self.mistakes_, self.converged_, self.stop_reason_ = [], False, "max_epochs"
        for _ in range(self.max_epochs):
            order = rng.permutation(len(Xb)) if self.shuffle else range(len(Xb))
            w_start, mistakes = w.copy(), 0
            for i in order:
                error = target[i] - (1.0 if Xb[i] @ w >= 0 else 0.0)
                if error != 0.0:
                    w += self.learning_rate * error * Xb[i]
                    mistakes += 1
            self.mistakes_.append(mistakes)
            if mistakes == 0:
                self.converged_, self.stop_reason_ = True, "no mistakes"
                break
            if np.linalg.norm(w - w_start) < self.tol:
                self.stop_reason_ = "small update"
                break
        self.w_ = w
        self.n_epochs_ = len(self.mistakes_)
        return self

    def predict(self, X) -> np.ndarray:
        """Labels (in the set seen in ``fit``) of shape (n,): class 1 where the score >= 0."""
        return np.where(self.decision_function(X) >= 0, self.classes_[1], self.classes_[0])


class LogisticRegression(_LinearClassifier):
    r"""Logistic regression trained by full-batch gradient descent on the mean NLL.

    .. math:: L(w) = \frac1n \sum_i \big[\log(1 + e^{w^\top x_i}) - y_i w^\top x_i\big]
              + \frac{\lambda}{2} \lVert w_{1:d} \rVert^2, \qquad
              \nabla L = \frac1n X^\top(\sigma(Xw) - y) + \lambda w_{1:d}

    (the bias is not penalised).

    Parameters
    ----------
    learning_rate : float > 0
    max_iter : int > 0, gradient steps at most
    l2 : float >= 0, the penalty :math:`\lambda`
    tol : float >= 0, stop when the gradient's norm falls below it

    Attributes
    ----------
    w_ : ndarray of shape (d + 1,), bias last
    history_ : dict with "loss", the loss before each step
    n_iter_ : int, steps taken
    """

    def __init__(self, learning_rate: float = 0.1, max_iter: int = 1000, l2: float = 0.0,
                 tol: float = 1e-6):
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.l2 = l2
        self.tol = tol

    def fit(self, X, y) -> LogisticRegression:
        """Fit on ``X`` (n, d) and labels ``y`` (n,) in {0, 1}."""
        X, y = check_X_y(X, y)
        y = check_binary_labels(y)
        if len(np.unique(y)) < 2:
            raise ValueError(
                f"y contains only one class ({y[0]:g}); a classifier needs samples of both."
            )
        check_positive(self.learning_rate, "learning_rate")
        check_positive(self.max_iter, "max_iter", integer=True)
        check_positive(self.l2, "l2", allow_zero=True)
        check_positive(self.tol, "tol", allow_zero=True)
        Xb = add_bias(X)
        w = np.zeros(Xb.shape[1])
        penalised = np.ones_like(w)
        penalised[-1] = 0.0
        self.history_ = {"loss": []}
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            loss, da = _bce_with_logits(Xb @ w, y)
            grad = Xb.T @ da + self.l2 * penalised * w
            self.history_["loss"].append(loss + 0.5 * self.l2 * float(np.sum(w[:-1] ** 2)))
            if np.linalg.norm(grad) < self.tol:
                break
            w -= self.learning_rate * grad
            self.n_iter_ += 1
        self.w_ = w
        return self

    def predict_proba(self, X) -> np.ndarray:
        r""":math:`P(y = 1 \mid x) = \sigma(w^\top x + b)`, shape (n,)."""
        return sigmoid(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """Labels in {0, 1} of shape (n,): 1 where the probability is at least 0.5."""
        return (self.decision_function(X) >= 0).astype(np.int64)
