r"""Gradient checking with centered differences.

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The error of this estimate is :math:`O(h^2)`; with :math:`h = 10^{-5}` in float64 a correct
analytic gradient agrees to a relative error of about :math:`10^{-8}` or better, a wrong one
(a missing factor, a sign) by :math:`10^{-1}` or worse.

Example
-------
>>> import numpy as np
>>> x = np.array([1.0, -2.0, 3.0])
>>> num = numerical_gradient(lambda v: float(np.sum(v ** 2)), x)
>>> rel_error(num, 2 * x) < 1e-9
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "numerical_gradient",
    "numerical_gradient_array",
    "rel_error",
    "check_gradients",
    "GradCheckReport",
    "ParamResult",
]


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable, ``f(x) -> float``
    x : float ndarray of any shape; perturbed in place one entry at a time and restored
    h : float, step

    Returns
    -------
    ndarray shaped like ``x``
    """
    return numerical_gradient_array(f, x, 1.0, h)


def numerical_gradient_array(f, x: np.ndarray, dout, h: float = 1e-5) -> np.ndarray:
    r"""Gradient of :math:`\sum f(x) \odot \text{dout}` with respect to ``x``.

    This is what a backward function returns when ``dout`` is the upstream gradient
    :math:`\partial L / \partial f`, so it checks backward passes of array-valued layers.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(
            "x must be a float NumPy array (it is perturbed in place); got "
            f"{type(x).__name__}" + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
            + ". Use np.asarray(x, dtype=float)."
        )
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # unlike np.nditer, also works for arrays with no entries
        old = x[i]
        x[i] = old + h
        plus = np.sum(np.asarray(f(x)) * dout)
        x[i] = old - h
        minus = np.sum(np.asarray(f(x)) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2.0 * h)
    return grad


def rel_error(x, y) -> float:
    r"""Largest element-wise relative error :math:`|x - y| / \max(10^{-8}, |x| + |y|)`."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"rel_error needs equal shapes; got {x.shape} and {y.shape}.")
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


@dataclass
class ParamResult:
    """The check of one parameter: its relative error and where it is worst."""

    name: str
    rel_error: float
    worst_index: tuple
    analytic: float
    numeric: float


@dataclass
class GradCheckReport:
    """Results of :func:`check_gradients`, one :class:`ParamResult` per parameter."""

    tol: float
    results: list[ParamResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.rel_error <= self.tol for r in self.results)

    @property
    def worst(self) -> ParamResult:
        return max(self.results, key=lambda r: r.rel_error)

    def __str__(self) -> str:
        lines = [f"{'parameter':<12} {'rel. error':>10}  {'worst entry':<14} "
                 f"{'analytic':>12} {'numerical':>12}"]
        for r in self.results:
            flag = "" if r.rel_error <= self.tol else "  <-- FAILED"
            lines.append(f"{r.name:<12} {r.rel_error:>10.2e}  {str(r.worst_index):<14} "
                         f"{r.analytic:>12.6g} {r.numeric:>12.6g}{flag}")
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        """Raise AssertionError naming the worst failing parameter and entry."""
        if self.passed:
            return
        r = self.worst
        raise AssertionError(
            f"Gradient check failed for {r.name}: relative error {r.rel_error:.2e} > "
            f"tolerance {self.tol:.0e}; worst entry {r.name}{list(r.worst_index)}: analytic "
            f"{r.analytic:.6g}, numerical {r.numeric:.6g}.\n{self}"
        )


def check_gradients(f, params: dict, grads: dict, h: float = 1e-5,
                    tol: float = 1e-7) -> GradCheckReport:
    """Compare analytic gradients with centered differences, parameter by parameter.

    Parameters
    ----------
    f : callable, ``f() -> float``, the loss; it must read the arrays in ``params``,
        which are perturbed in place
    params : dict name -> float ndarray
    grads : dict name -> ndarray of the same shape (the analytic gradients)
    h, tol : float

    Returns
    -------
    GradCheckReport
    """
    missing = sorted(set(params) - set(grads))
    if missing:
        raise ValueError(f"grads has no entry for the parameter(s) {missing}.")
    report = GradCheckReport(tol=tol)
    for name, p in params.items():
        analytic = np.asarray(grads[name], dtype=np.float64)
        if analytic.shape != p.shape:
            raise ValueError(
                f"grads[{name!r}] has shape {analytic.shape} but the parameter has shape "
                f"{p.shape}; a gradient must have the shape of its parameter."
            )
        numeric = numerical_gradient(lambda _: f(), p, h)
        err = np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric))
        worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
        report.results.append(ParamResult(
            name, float(err[worst]) if err.size else 0.0, tuple(int(i) for i in worst),
            float(analytic[worst]) if err.size else 0.0,
            float(numeric[worst]) if err.size else 0.0))
    return report
