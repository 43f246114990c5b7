r"""Gradient checking with centered differences.

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The truncation error of this estimate is :math:`O(h^2)`. Its rounding error does not shrink
with the gradient: rounding :math:`f` (to about :math:`\epsilon |f|`, :math:`\epsilon \approx
2.2 \cdot 10^{-16}` in float64) shifts the estimate by about :math:`\epsilon |f| / h`, some
:math:`10^{-12}` to :math:`10^{-11}` with :math:`h = 10^{-5}` and a loss of order 1. So the
relative error of a correct gradient is tiny for entries of a usual size (:math:`10^{-8}` or
less for entries above :math:`10^{-3}`), but an entry of :math:`10^{-6}` can show :math:`10^{-6}`
from rounding alone. :func:`check_gradients` therefore lets an entry pass when its difference is
within the rounding noise :math:`10\, \epsilon \max(1, |f|) / h`, whatever its relative error;
a wrong gradient (a missing factor, a sign) still shows :math:`10^{-1}` or worse. Gradient
checks need float64 parameters: in float32 the step :math:`h = 10^{-5}` is lost to rounding.

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
    "rounding_noise",
    "check_gradients",
    "GradCheckReport",
    "ParamResult",
]


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable, ``f(x) -> float``
    x : float64 ndarray of any shape; perturbed in place one entry at a time and restored
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
    if x.dtype.itemsize < 8:
        step = f"{h:g}".replace("e-0", "e-")
        raise TypeError(
            f"gradient checking needs float64 parameters (with {x.dtype}, a step h={step} is "
            "lost to rounding); check a float64 model, e.g. MLP(dtype=np.float64)."
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


def rounding_noise(fx, h: float = 1e-5) -> float:
    r"""How far rounding alone can move a centered difference of ``f`` with step ``h``.

    :math:`f(x \pm h e_i)` are each rounded to about :math:`\epsilon \max(1, |f|)` (the loss's
    intermediate values are of order 1 even when the loss is small), so their difference
    divided by :math:`2h` carries about :math:`\epsilon \max(1, |f|) / h`; the factor 10 is a
    margin for the rounding that accumulates inside ``f``. ``fx`` is ``f`` at the point.
    Differences up to this size between an analytic and a numerical gradient say nothing.

    >>> round(rounding_noise(0.4) / 1e-10, 2)  # eps = 2.2e-16, h = 1e-5
    2.22
    """
    try:  # f's value as the centered difference sees it: summed, in float64
        fx = abs(float(np.sum(np.asarray(fx, dtype=np.float64))))
    except (TypeError, ValueError):
        return 0.0
    if not np.isfinite(fx):
        return 0.0
    return float(10 * np.finfo(np.float64).eps * max(1.0, fx) / h)


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
    passed: bool = True


@dataclass
class GradCheckReport:
    """Results of :func:`check_gradients`, one :class:`ParamResult` per parameter.

    ``noise`` is the rounding noise of the finite differences (:func:`rounding_noise`):
    entries that differ by no more than it pass, whatever their relative error.
    """

    tol: float
    results: list[ParamResult] = field(default_factory=list)
    noise: float = 0.0

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def worst(self) -> ParamResult:
        """The failing parameter of largest relative error (any parameter if none fails)."""
        return max(self.results, key=lambda r: (not r.passed, r.rel_error))

    def __str__(self) -> str:
        lines = [f"{'parameter':<12} {'rel. error':>10}  {'worst entry':<14} "
                 f"{'analytic':>12} {'numerical':>12}"]
        for r in self.results:
            flag = "" if r.passed else "  <-- FAILED"
            lines.append(f"{r.name:<12} {r.rel_error:>10.2e}  {str(r.worst_index):<14} "
                         f"{r.analytic:>12.6g} {r.numeric:>12.6g}{flag}")
        if any(r.passed and r.rel_error > self.tol for r in self.results):
            lines.append(f"(passed although above the tolerance: those entries differ by less "
                         f"than {self.noise:.1e}, the rounding noise of the finite differences)")
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


def _worst_entry(analytic: np.ndarray, numeric: np.ndarray, noise: float):
    """The entry to report, the relative errors counted (0 where the difference is within
    ``noise``), and the relative errors themselves.

    The entry is the one of largest counted error; when every entry agrees within the
    noise, the one of largest relative error.
    """
    with np.errstate(all="ignore"):
        diff = np.abs(analytic - numeric)
        raw = np.nan_to_num(diff / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)), nan=1.0)
    err = np.where(diff <= noise, 0.0, raw)
    if not err.size:
        return (), err, raw
    pick = err if err.max() > 0 else raw
    return np.unravel_index(int(np.argmax(pick)), err.shape), err, raw


def check_gradients(f, params: dict, grads: dict, h: float = 1e-5,
                    tol: float = 1e-7) -> GradCheckReport:
    r"""Compare analytic gradients with centered differences, parameter by parameter.

    The relative error of an entry is :math:`|a - n| / \max(10^{-8}, |a| + |n|)`. An entry
    passes when it is at most ``tol``, or when :math:`|a - n|` is within the rounding noise of
    the centered difference (:func:`rounding_noise` of ``f()`` and ``h``, about
    :math:`2 \cdot 10^{-10}` for a loss of order 1 and ``h = 1e-5``): for tiny entries,
    rounding alone would otherwise look like a relative error above ``tol``. A parameter
    passes when every entry passes; the report shows each parameter's worst entry.

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
    report = GradCheckReport(tol=tol, noise=rounding_noise(f(), h))
    for name, p in params.items():
        analytic = np.asarray(grads[name], dtype=np.float64)
        if analytic.shape != p.shape:
            raise ValueError(
                f"grads[{name!r}] has shape {analytic.shape} but the parameter has shape "
                f"{p.shape}; a gradient must have the shape of its parameter."
            )
        numeric = numerical_gradient(lambda _: f(), p, h)
        worst, err, raw = _worst_entry(analytic, numeric, report.noise)
        report.results.append(ParamResult(
            name, float(raw[worst]) if err.size else 0.0, tuple(int(i) for i in worst),
            float(analytic[worst]) if err.size else 0.0,
            float(numeric[worst]) if err.size else 0.0,
            passed=not err.size or float(err.max()) <= tol))
    return report
