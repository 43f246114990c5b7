r"""Loss functions, each returning the loss and its gradient with respect to its input.

Every function has the form ``loss(input, y, reduction="mean") -> (L, dL_dinput)``. With
``reduction="mean"`` the loss is the mean of the per-sample losses
:math:`L = \frac{1}{n}\sum_i \ell(\hat y_i, y_i)`, so each gradient carries a factor
:math:`1/n`; :func:`mse` and :func:`mae` average over all :math:`N` entries instead (``N =
n k`` for outputs of shape ``(n, k)``), so theirs carry :math:`1/N`. With
``reduction="sum"`` the loss is the plain sum.

Prefer the ``*_with_logits`` / ``softmax_cross_entropy`` forms in networks: they take raw
scores and never evaluate ``log`` of a probability that has rounded to 0.

Example
-------
>>> import numpy as np
>>> loss, grad = bce_with_logits(np.array([0.0, 0.0]), np.array([0, 1]))
>>> round(loss, 6), grad.tolist()
(0.693147, [0.25, -0.25])
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    check_array,
    check_binary_labels,
    check_class_labels,
    check_consistent_length,
)
from .activations import log_softmax, sigmoid

__all__ = [
    "bce",
    "bce_with_logits",
    "softmax_cross_entropy",
    "mse",
    "mae",
    "perceptron_criterion",
    "EPS",
]

#: Probabilities are clipped to ``[EPS, 1 - EPS]`` before ``log`` in :func:`bce`.
EPS = 1e-12


def _reduce(per_sample: np.ndarray, reduction: str) -> tuple[float, float]:
    """Return the reduced loss and the scale (1/n or 1) of the gradient."""
    if reduction == "mean":  # (np.mean, without its overhead: per_sample is 1-D)
        n = per_sample.shape[0]
        return float(per_sample.sum() / n), 1.0 / n
    if reduction == "sum":
        return float(np.sum(per_sample)), 1.0
    raise ValueError(f"reduction must be 'mean' or 'sum'; got {reduction!r}.")


def _check_same_shape(pred, y, pred_name: str):
    if pred.shape != y.shape:
        raise ValueError(
            f"{pred_name} and y must have the same shape; got {pred_name} {pred.shape} and "
            f"y {y.shape}. Did you pass predictions of shape (n, 1)? Use .ravel()."
        )


def _check_logits(a, name: str, ndim: int) -> np.ndarray:
    """Logits as a float array, keeping float32 as float32 (anything else becomes float64,
    and non-numbers get check_array's message rather than NumPy's)."""
    a = check_array(a, name, ndim=ndim, dtype=None)
    return a if a.dtype.kind == "f" else check_array(a, name, ndim=ndim)


def bce(p, y, reduction: str = "mean"):
    r"""Binary cross-entropy of probabilities :math:`p` against labels in {0, 1}.

    .. math:: \ell = -[y \log p + (1 - y)\log(1 - p)], \qquad
              \frac{\partial \ell}{\partial p} = \frac{p - y}{p(1 - p)}

    ``p`` is clipped to ``[EPS, 1 - EPS]`` so that ``p = 0`` or ``1`` gives a large but
    finite loss instead of ``inf`` or ``nan``.

    Parameters
    ----------
    p : array of shape (n,), probabilities in [0, 1]
    y : array of shape (n,), labels in {0, 1}

    Returns
    -------
    loss : float
    dp : ndarray of shape (n,)
    """
    p = check_array(p, "p", ndim=1)
    y = check_binary_labels(check_array(y, "y", ndim=1))
    _check_same_shape(p, y, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(
            f"p must contain probabilities in [0, 1]; found values in [{p.min():g}, "
            f"{p.max():g}]. For raw scores (logits) use bce_with_logits."
        )
    pc = np.clip(p, EPS, 1.0 - EPS)
    per_sample = -(y * np.log(pc) + (1.0 - y) * np.log1p(-pc))
    loss, scale = _reduce(per_sample, reduction)
    return loss, scale * (pc - y) / (pc * (1.0 - pc))


def bce_with_logits(a, y, reduction: str = "mean"):
    r"""Binary cross-entropy of :math:`\sigma(a)`, computed from the logit :math:`a`.

    .. math:: \ell = \log(1 + e^{a}) - y a, \qquad
              \frac{\partial \ell}{\partial a} = \sigma(a) - y

    ``np.logaddexp(0, a)`` evaluates :math:`\log(1 + e^a)` without overflow.

    Parameters
    ----------
    a : array of shape (n,), raw scores
    y : array of shape (n,), labels in {0, 1}

    Returns
    -------
    loss : float
    da : ndarray of shape (n,)
    """
    a = _check_logits(a, "a", ndim=1)
    y = check_binary_labels(check_array(y, "y", ndim=1))
    _check_same_shape(a, y, "a")
    return _bce_with_logits(a, y, reduction)


def _bce_with_logits(a, y, reduction="mean"):
    """:func:`bce_with_logits` without input checks (for training loops)."""
    per_sample = np.logaddexp(0.0, a) - y * a
    loss, scale = _reduce(per_sample, reduction)
    return loss, (scale * (sigmoid(a) - y)).astype(a.dtype, copy=False)


def softmax_cross_entropy(A, y, reduction: str = "mean"):
    r"""Cross-entropy of ``softmax(A)`` against integer labels, from the logits ``A``.

    .. math:: \ell_i = -\log \mathrm{softmax}(a_i)_{y_i}, \qquad
              \frac{\partial \ell_i}{\partial a_i} = \mathrm{softmax}(a_i) - \mathrm{onehot}(y_i)

    Parameters
    ----------
    A : array of shape (n, k), raw scores (logits)
    y : array of shape (n,), integer labels in [0, k)

    Returns
    -------
    loss : float
    dA : ndarray of shape (n, k)
    """
    A = _check_logits(A, "A", ndim=2)
    y = check_class_labels(check_array(y, "y", ndim=1), n_classes=A.shape[1])
    check_consistent_length(A, y, ("A", "y"))
    return _softmax_cross_entropy(A, y, reduction)


def _softmax_cross_entropy(A, y, reduction="mean"):
    """:func:`softmax_cross_entropy` without input checks (for training loops)."""
    logp = log_softmax(A, axis=1)
    rows = np.arange(A.shape[0])
    loss, scale = _reduce(-logp[rows, y], reduction)
    dA = np.exp(logp)
    dA[rows, y] -= 1.0
    dA *= scale
    return loss, dA


def mse(y_hat, y, reduction: str = "mean"):
    r"""Squared error :math:`(\hat y - y)^2` per entry.

    For ``y_hat`` of shape ``(n,)`` or ``(n, k)``; with ``reduction="mean"`` the result is
    the mean over all entries, :math:`\frac{1}{N}\sum (\hat y - y)^2`, whose gradient is
    :math:`\frac{2}{N}(\hat y - y)`.
    """
    y_hat = check_array(y_hat, "y_hat")
    y = check_array(y, "y")
    _check_same_shape(y_hat, y, "y_hat")
    return _mse(y_hat, y, reduction)


def _mse(y_hat, y, reduction="mean"):
    """:func:`mse` without input checks (for training loops)."""
    diff = (y_hat - y).reshape(-1)
    loss, scale = _reduce(diff * diff, reduction)
    return loss, (2.0 * scale * diff).reshape(y_hat.shape)


def mae(y_hat, y, reduction: str = "mean"):
    r"""Absolute error :math:`|\hat y - y|`; its gradient is :math:`\mathrm{sign}(\hat y - y)`
    (0 where they are equal), scaled by :math:`1/N` for the mean."""
    y_hat = check_array(y_hat, "y_hat")
    y = check_array(y, "y")
    _check_same_shape(y_hat, y, "y_hat")
    diff = (y_hat - y).reshape(-1)
    loss, scale = _reduce(np.abs(diff), reduction)
    return loss, (scale * np.sign(diff)).reshape(y_hat.shape)


def perceptron_criterion(w, X, y, reduction: str = "mean"):
    r"""The perceptron error :math:`E_P` (TU Berlin) for labels in {-1, +1}.

    .. math:: E_P(w) = -\sum_{i \in \mathcal{M}} y_i\, w^\top x_i, \qquad
              \nabla_w E_P = -\sum_{i \in \mathcal{M}} y_i\, x_i

    where :math:`\mathcal{M} = \{i : y_i w^\top x_i \le 0\}` is the set of misclassified
    samples. Points on the boundary count as mistakes, so at ``w = 0`` every sample is in
    :math:`\mathcal{M}` and the (sub)gradient is in general not zero: a step leaves ``w = 0``,
    although :math:`E_P(0) = 0` is the smallest value of :math:`E_P \ge 0`.
    With ``reduction="mean"`` both are divided by ``n``; ``"sum"`` gives the deck's form.

    Parameters
    ----------
    w : array of shape (d,), weights (bias absorbed: append a column of ones to X)
    X : array of shape (n, d)
    y : array of shape (n,), labels in {-1, +1}

    Returns
    -------
    loss : float
    dw : ndarray of shape (d,)
    """
    w = check_array(w, "w", ndim=1)
    X = check_array(X, "X", ndim=2)
    y = check_array(y, "y", ndim=1)
    found = set(np.unique(y).tolist())
    if not found <= {-1.0, 1.0}:
        shown = "{" + ", ".join(f"{v:g}" for v in sorted(found)[:6]) + "}"
        fix = " Use 2 * y - 1." if found <= {0.0, 1.0} else ""
        raise ValueError(f"y must contain only labels {{-1, +1}}; found {shown}.{fix}")
    check_consistent_length(X, y)
    if X.shape[1] != w.shape[0]:
        raise ValueError(
            f"w has {w.shape[0]} entries but X has {X.shape[1]} columns; they must match "
            "(did you forget the bias column? see mlkit.layers.add_bias)."
        )
    margins = y * (X @ w)
    wrong = margins <= 0
    loss, scale = _reduce(np.where(wrong, -margins, 0.0), reduction)
    return loss, -scale * (y[wrong] @ X[wrong])
