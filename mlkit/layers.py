r"""Layers as pairs of forward and backward functions.

Notation (shared/DESIGN.md): for layer :math:`l`,

.. math:: a^{[l]} = W^{[l]} z^{[l-1]} + b^{[l]}, \qquad z^{[l]} = \sigma^{[l]}(a^{[l]}),

with :math:`W^{[l]}` of shape ``(d_l, d_{l-1})``. In code samples are rows, so a batch is
``A = Z_prev @ W.T + b``. A forward function returns ``out, cache``; the matching backward
function takes the upstream gradient and that cache and returns one gradient per forward
input, in the same order.

Example
-------
>>> import numpy as np
>>> W, b = np.array([[1.0, -1.0]]), np.array([0.5])
>>> A, cache = linear_forward(np.array([[2.0, 1.0]]), W, b)
>>> A
array([[1.5]])
>>> dZ_prev, dW, db = linear_backward(np.ones((1, 1)), cache)
>>> dW, db
(array([[2., 1.]]), array([1.]))
"""

from __future__ import annotations

import numpy as np

from ._validation import as_rng, check_array, check_in_range
from .activations import get_activation

__all__ = [
    "add_bias",
    "linear_forward",
    "linear_backward",
    "activation_forward",
    "activation_backward",
    "dropout_forward",
    "dropout_backward",
]


def add_bias(X):
    r"""Append a column of ones: :math:`x \leftarrow [x, 1]` (bias absorption).

    With :math:`\tilde w = [w, b]`, :math:`\tilde w^\top \tilde x = w^\top x + b`.

    Parameters
    ----------
    X : array of shape (n, d)

    Returns
    -------
    ndarray of shape (n, d + 1)
    """
    X = check_array(X, "X", ndim=2)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def linear_forward(Z_prev, W, b):
    r"""Affine layer :math:`A = Z_{prev} W^\top + b`.

    Parameters
    ----------
    Z_prev : ndarray of shape (n, d_in), activations of the previous layer
    W : ndarray of shape (d_out, d_in)
    b : ndarray of shape (d_out,)

    Returns
    -------
    A : ndarray of shape (n, d_out), pre-activations
    cache : tuple (Z_prev, W) for :func:`linear_backward`
    """
    if Z_prev.ndim != 2 or W.ndim != 2 or b.shape != (W.shape[0],):
        raise ValueError(
            "linear_forward expects Z_prev (n, d_in), W (d_out, d_in), b (d_out,); got "
            f"Z_prev {Z_prev.shape}, W {W.shape}, b {b.shape}."
        )
    if Z_prev.shape[1] != W.shape[1]:
        raise ValueError(
            f"Z_prev has {Z_prev.shape[1]} features but W expects {W.shape[1]} "
            f"(W has shape {W.shape} = (d_out, d_in)). Is W transposed?"
        )
    return Z_prev @ W.T + b, (Z_prev, W)


def linear_backward(dA, cache):
    r"""Backward pass of :func:`linear_forward`.

    .. math:: \frac{\partial L}{\partial W} = \delta^\top Z_{prev}, \quad
              \frac{\partial L}{\partial b} = \sum_{i} \delta_i, \quad
              \frac{\partial L}{\partial Z_{prev}} = \delta W

    where :math:`\delta` = ``dA`` is :math:`\partial L / \partial A`.

    Parameters
    ----------
    dA : ndarray of shape (n, d_out)
    cache : from :func:`linear_forward`

    Returns
    -------
    dZ_prev : ndarray of shape (n, d_in)
    dW : ndarray of shape (d_out, d_in)
    db : ndarray of shape (d_out,)
    """
    Z_prev, W = cache
    return dA @ W, dA.T @ Z_prev, dA.sum(axis=0)


def activation_forward(A, name: str):
    """Apply the element-wise activation ``name`` (see :mod:`mlkit.activations`).

    Returns
    -------
    Z : ndarray shaped like A
    cache : tuple (A, name) for :func:`activation_backward`
    """
    f, _ = get_activation(name)
    return f(A), (A, name)


def activation_backward(dZ, cache):
    r"""Backward pass of an activation: :math:`\partial L/\partial A = \partial L/\partial Z
    \odot \sigma'(A)` (element-wise)."""
    A, name = cache
    _, f_grad = get_activation(name)
    return dZ * f_grad(A)


def dropout_forward(Z, p: float, rng, train: bool = True):
    r"""Inverted dropout: drop each unit with probability ``p``, scale survivors by
    :math:`1/(1-p)` so that the expected activation is unchanged; identity at test time.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
    p : float in [0, 1), drop probability
    rng : numpy.random.Generator (or an int seed / None, see ``as_rng``)
    train : bool

    Returns
    -------
    out : ndarray of shape (n, d)
    cache : the mask (or None) for :func:`dropout_backward`
    """
    check_in_range(p, "p", 0.0, 1.0)
    if not train or p == 0.0:
        return Z, None
    mask = (as_rng(rng).random(Z.shape) >= p).astype(Z.dtype) / (1.0 - p)
    return Z * mask, mask


def dropout_backward(dout, cache):
    """Backward pass of :func:`dropout_forward`: the same mask applied to the gradient."""
    return dout if cache is None else dout * cache
