r"""Update rules, a mini-batch iterator and learning-rate schedules.

Every update rule has one signature, ``update(w, dw, config) -> (w, config)``: it changes
``w`` in place and keeps its state (velocity, moments, step count) in ``config``, a dict
that the caller keeps per parameter and passes back on the next step. ``config=None``
starts with the defaults.

======== =====================================================================
rule     update
======== =====================================================================
sgd      :math:`w \leftarrow w - \eta\, \nabla L`
momentum :math:`v \leftarrow \mu v - \eta \nabla L;\; w \leftarrow w + v`
adam     :math:`m \leftarrow \beta_1 m + (1-\beta_1) g;\; v \leftarrow \beta_2 v
         + (1-\beta_2) g^2;\; w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)`
======== =====================================================================

Example
-------
>>> import numpy as np
>>> w = np.array([1.0, -2.0])
>>> w, config = sgd(w, np.array([0.5, 0.5]), {"learning_rate": 0.1})
>>> w
array([ 0.95, -2.05])
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_rng, check_consistent_length, check_positive

__all__ = [
    "sgd",
    "sgd_momentum",
    "adam",
    "get_optimizer",
    "OPTIMIZERS",
    "minibatches",
    "constant",
    "step_decay",
    "exponential_decay",
    "inverse_time_decay",
    "cosine_decay",
]


def _learning_rate(config: dict, default: float) -> float:
    lr = config.setdefault("learning_rate", default)
    if not (type(lr) is float and 0.0 < lr < math.inf):  # the common case, checked fast
        check_positive(lr, "learning_rate")
    return lr


def sgd(w, dw, config: dict | None = None):
    r"""(Stochastic) gradient descent: :math:`w \leftarrow w - \eta\,dw`.

    Full-batch gradient descent is the same rule with ``dw`` computed on all samples.

    config: ``learning_rate`` (default 1e-2).
    """
    config = {} if config is None else config
    w -= _learning_rate(config, 1e-2) * dw
    return w, config


def sgd_momentum(w, dw, config: dict | None = None):
    r"""Gradient descent with momentum: :math:`v \leftarrow \mu v - \eta\,dw`,
    :math:`w \leftarrow w + v`.

    config: ``learning_rate`` (1e-2), ``momentum`` :math:`\mu` (0.9), ``velocity``.
    """
    config = {} if config is None else config
    lr = _learning_rate(config, 1e-2)
    mu = config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    if v is None:
        v = config["velocity"] = np.zeros_like(w)
    v *= mu
    v -= lr * dw
    w += v
    return w, config


def adam(w, dw, config: dict | None = None):
    r"""Adam (Kingma & Ba, 2015), with bias-corrected first and second moments.

    config: ``learning_rate`` (1e-3), ``beta1`` (0.9), ``beta2`` (0.999), ``epsilon``
    (1e-8), and the state ``m``, ``v``, ``t``.
    """
    config = {} if config is None else config
    lr = _learning_rate(config, 1e-3)
    b1 = config.setdefault("beta1", 0.9)
    b2 = config.setdefault("beta2", 0.999)
    eps = config.setdefault("epsilon", 1e-8)
    if config.get("m") is None:
        config["m"], config["v"], config["t"] = np.zeros_like(w), np.zeros_like(w), 0
    m, v = config["m"], config["v"]
    config["t"] = t = config["t"] + 1
    m *= b1
    m += (1.0 - b1) * dw
    v *= b2
    g2 = dw * dw
    g2 *= 1.0 - b2
    v += g2
    m_hat = m / (1.0 - b1**t)  # bias correction: m and v start at 0
    v_hat = v / (1.0 - b2**t)
    # w -= lr * m_hat / (sqrt(v_hat) + eps), written in place (no temporary arrays)
    step = np.multiply(lr, m_hat, out=m_hat)
    np.sqrt(v_hat, out=v_hat)
    v_hat += eps
    step /= v_hat
    w -= step
    return w, config


OPTIMIZERS = {"sgd": sgd, "gd": sgd, "momentum": sgd_momentum, "adam": adam}


def get_optimizer(name: str):
    """Return the update function for ``"sgd"``, ``"gd"``, ``"momentum"`` or ``"adam"``."""
    if callable(name):
        return name
    try:
        return OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}, or pass a "
            "function update(w, dw, config) -> (w, config)."
        ) from None


def minibatches(X, y, batch_size: int, *, shuffle: bool = True, seed=None):
    """Yield ``(X_batch, y_batch)`` so that every sample appears exactly once.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
    y : ndarray of shape (n, ...)
    batch_size : int, the last batch holds the ``n % batch_size`` leftovers if any
    shuffle : bool, visit the samples in a random order drawn from ``seed``
    seed : int, numpy.random.Generator or None; an int gives the same order on every
        call, so for a new order each epoch create ``rng = np.random.default_rng(seed)``
        once and pass ``rng``

    Yields
    ------
    X_batch : ndarray of shape (b, ...)
    y_batch : ndarray of shape (b, ...)
    """
    # Validate now, not at the first next(): a generator function would run none of its
    # body (so raise nothing) until it is iterated.
    check_positive(batch_size, "batch_size", integer=True)
    check_consistent_length(X, y)
    n = len(X)
    order = as_rng(seed).permutation(n) if shuffle else np.arange(n)
    return _batches(X, y, order, batch_size)


def _batches(X, y, order, batch_size):
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


# Learning-rate schedules: each returns a function ``epoch -> learning rate``.

def constant(lr: float):
    """The same learning rate at every epoch."""
    check_positive(lr, "lr")
    return lambda epoch: lr


def step_decay(lr: float, drop: float = 0.5, every: int = 10):
    r""":math:`\eta_t = \eta_0 \cdot \text{drop}^{\lfloor t / \text{every} \rfloor}`."""
    check_positive(lr, "lr")
    check_positive(drop, "drop")
    check_positive(every, "every", integer=True)
    return lambda epoch: lr * drop ** (epoch // every)


def exponential_decay(lr: float, gamma: float = 0.95):
    r""":math:`\eta_t = \eta_0 \gamma^t`."""
    check_positive(lr, "lr")
    check_positive(gamma, "gamma")
    return lambda epoch: lr * gamma**epoch


def inverse_time_decay(lr: float, k: float = 0.1):
    r""":math:`\eta_t = \eta_0 / (1 + k t)`."""
    check_positive(lr, "lr")
    check_positive(k, "k", allow_zero=True)
    return lambda epoch: lr / (1.0 + k * epoch)


def cosine_decay(lr: float, total_epochs: int, lr_min: float = 0.0):
    r""":math:`\eta_t = \eta_{min} + \tfrac12(\eta_0 - \eta_{min})(1 + \cos(\pi t / T))`,
    held at :math:`\eta_{min}` after :math:`T` epochs."""
    check_positive(lr, "lr")
    check_positive(total_epochs, "total_epochs", integer=True)
    check_positive(lr_min, "lr_min", allow_zero=True)

    def schedule(epoch):
        t = min(epoch, total_epochs) / total_epochs
        return lr_min + 0.5 * (lr - lr_min) * (1.0 + math.cos(math.pi * t))

    return schedule
