r"""Activation functions and their derivatives.

Each function takes the pre-activation ``a`` (any shape) and returns ``z = sigma(a)`` of the
same shape; each ``*_grad`` returns the element-wise derivative :math:`d z / d a`.
``softmax`` and ``log_softmax`` act on the last axis by default, and ``softmax_jacobian``
returns the full matrix of partial derivatives (softmax is not element-wise).

Example
-------
>>> import numpy as np
>>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
array([0. , 0.5, 1. ])
>>> f, f_grad = get_activation("tanh")
>>> float(f_grad(np.array(0.0)))
1.0
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "get_activation",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "silu",
    "silu_grad",
    "gelu",
    "gelu_grad",
    "step",
    "step_grad",
    "identity",
    "identity_grad",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
]

def _float(a):
    """``a`` as a floating array, keeping float32 as float32 (ints become float64)."""
    a = np.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


_erf = np.frompyfunc(math.erf, 1, 1)
_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


def sigmoid(a):
    r"""Logistic sigmoid :math:`\sigma(a) = 1 / (1 + e^{-a})`, stable for any input.

    The naive formula overflows in ``exp(-a)`` for large negative ``a``. Splitting on the sign
    of ``a`` keeps every exponent non-positive: for ``a < 0`` it uses the equal form
    :math:`e^{a} / (1 + e^{a})`.
    """
    a = _float(a)
    e = np.exp(-np.abs(a))  # in (0, 1], never overflows
    s = np.where(a >= 0, 1.0, e)  # the numerator: 1 for a >= 0, e^a for a < 0
    s /= 1.0 + e
    return s


def sigmoid_grad(a):
    r""":math:`\sigma'(a) = \sigma(a)(1 - \sigma(a))`."""
    s = sigmoid(a)
    return s * (1.0 - s)


def tanh(a):
    r"""Hyperbolic tangent :math:`\tanh(a) = 2\sigma(2a) - 1`."""
    return np.tanh(a)


def tanh_grad(a):
    r""":math:`\tanh'(a) = 1 - \tanh^2(a)`."""
    t = np.tanh(a)
    return 1.0 - t * t


def relu(a):
    r"""Rectified linear unit :math:`\max(0, a)`."""
    return np.maximum(_float(a), 0)  # (a Python 0 keeps float32 as float32)


def relu_grad(a):
    """1 where ``a > 0``, else 0 (the subgradient 0 is used at ``a = 0``)."""
    a = _float(a)
    return (a > 0).astype(a.dtype)


def leaky_relu(a, alpha: float = 0.01):
    r"""Leaky ReLU: :math:`a` for :math:`a > 0`, :math:`\alpha a` otherwise."""
    a = _float(a)
    return np.where(a > 0, a, alpha * a)


def leaky_relu_grad(a, alpha: float = 0.01):
    r"""1 where ``a > 0``, else :math:`\alpha`."""
    a = _float(a)
    return np.where(a > 0, 1.0, alpha).astype(a.dtype)


def silu(a):
    r"""SiLU (swish): :math:`a\,\sigma(a)`."""
    return _float(a) * sigmoid(a)


def silu_grad(a):
    r""":math:`\sigma(a) + a\,\sigma(a)(1 - \sigma(a))`."""
    s = sigmoid(a)
    return s * (1.0 + _float(a) * (1.0 - s))


def _normal_cdf(a):
    a = np.asarray(a, dtype=np.float64)
    # np.asarray, not .astype: for 0-d input the ufunc returns a plain Python float
    return 0.5 * (1.0 + np.asarray(_erf(a / _SQRT2), dtype=np.float64))


def gelu(a):
    r"""GELU, exact form :math:`a\,\Phi(a)` with :math:`\Phi` the standard normal CDF."""
    a = _float(a)
    x = a.astype(np.float64)  # erf is evaluated in float64; the result keeps a's dtype
    return (x * _normal_cdf(x)).astype(a.dtype, copy=False)


def gelu_grad(a):
    r""":math:`\Phi(a) + a\,\varphi(a)` with :math:`\varphi` the standard normal density."""
    a = _float(a)
    x = a.astype(np.float64)
    return (_normal_cdf(x) + x * np.exp(-0.5 * x * x) / _SQRT2PI).astype(a.dtype, copy=False)


def step(a):
    """Heaviside step used by the perceptron: 1 where ``a >= 0``, else 0."""
    a = _float(a)
    return (a >= 0).astype(a.dtype)


def step_grad(a):
    """Zero everywhere it exists, which is why the step cannot be trained by gradients."""
    return np.zeros_like(_float(a))


def identity(a):
    """The identity, used as the output of a regression network."""
    return _float(a).copy()


def identity_grad(a):
    """Ones."""
    return np.ones_like(_float(a))


def softmax(a, axis: int = -1):
    r"""Softmax :math:`e^{a_j} / \sum_k e^{a_k}` along ``axis``, shifted by the maximum.

    Subtracting :math:`\max_k a_k` changes nothing mathematically (it cancels in the ratio)
    but keeps every exponent at most 0, so nothing overflows.
    """
    a = _float(a)
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(a, axis: int = -1):
    r""":math:`a_j - \log\sum_k e^{a_k}`, computed with the max shift (never ``log(0)``)."""
    a = _float(a)
    shifted = a - np.max(a, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_jacobian(a):
    r"""Jacobian of softmax over the last axis: :math:`J_{ij} = s_i(\delta_{ij} - s_j)`.

    Parameters
    ----------
    a : ndarray of shape (..., k)

    Returns
    -------
    J : ndarray of shape (..., k, k)
    """
    s = softmax(a)
    return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])


_TABLE = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "silu": (silu, silu_grad),
    "gelu": (gelu, gelu_grad),
    "step": (step, step_grad),
    "identity": (identity, identity_grad),
}

#: Names accepted by :func:`get_activation` (element-wise activations only).
ACTIVATIONS = tuple(_TABLE)


def get_activation(name: str):
    """Return ``(f, f_grad)`` for an element-wise activation name.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`ACTIVATIONS`.
    """
    try:
        return _TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}."
        ) from None
