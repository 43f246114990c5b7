"""Assertions for autograder test cells, with failure messages that diagnose common mistakes.

nbgrader counts a test cell as failed when it raises ``AssertionError``. Every check here
raises one whose message starts with the name of the checked value, says what differs
(type, shape, which entry, by how much) and, when a typical mistake fits, names it without
giving the answer away: a sum instead of a mean, a transposed matrix, a flipped sign, an
extra dimension of size 1, an index shifted by one position.

:func:`assert_not_calling` checks that a student's function computes its result itself
instead of calling mlkit (which students may read, but graded code may not call).

Example
-------
>>> import numpy as np
>>> assert_close(np.array([0.5, 0.25]), [0.5, 0.25], name="p")  # passes silently
>>> diagnose(np.array([3.0, 6.0, 9.0]), np.array([1.0, 2.0, 3.0]))
'looks like a sum instead of a mean: it is 3 times the expected value (a missing 1/n, n = 3)'
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import types
from collections.abc import Iterator, Mapping

import numpy as np

from .gradcheck import _worst_entry, check_gradients, numerical_gradient, rounding_noise

__all__ = [
    "CountingGradient",
    "substitute",
    "check",
    "assert_close",
    "diagnose",
    "assert_shape",
    "assert_dtype_kind",
    "assert_in_range",
    "assert_labels",
    "assert_gradient",
    "assert_gradients",
    "assert_not_calling",
    "uses_mlkit",
]

_PKG_NAME = __name__.rpartition(".")[0]
_PKG_DIR = os.path.dirname(os.path.realpath(__file__))
_ALLOWED = (f"{_PKG_NAME}.testing", f"{_PKG_NAME}._validation")
_KIND_ALIASES = {"float": "f", "int": "iu", "integer": "iu", "bool": "b", "number": "biuf"}


def check(condition, message: str) -> None:
    """Raise ``AssertionError(message)`` unless ``condition`` holds (all entries, for arrays).

    Test cells use it instead of a bare ``assert`` so every failure carries a message.
    A list, tuple, set or generator raises ``TypeError``: it would count as true whenever
    it is not empty, whatever its entries; pass ``all(...)`` or ``any(...)`` instead.
    """
    if isinstance(condition, (list, tuple, set, frozenset, Iterator)):
        if isinstance(condition, Iterator):
            what = "a generator" if isinstance(condition, types.GeneratorType) else "an iterator"
            why = "always counts as true"
        else:
            what, why = f"a {type(condition).__name__}", "counts as true whenever it is not empty"
        raise TypeError(f"check needs a bool; got {what}, which {why}: use all(...) "
                        f"(or any(...)).")
    ok = bool(np.all(condition)) if isinstance(condition, np.ndarray) else bool(condition)
    if not ok:
        raise AssertionError(message)


# ----------------------------------------------------------------------------- helpers
def _fmt(x) -> str:
    return f"{float(x):.10g}"


def _fmt_index(idx: tuple) -> str:
    return str(idx[0]) if len(idx) == 1 else str(idx)


def _as_numeric(value, name: str, expected_text: str) -> np.ndarray:
    """``value`` as a numeric ndarray, or AssertionError saying what came instead."""
    if value is None:
        raise AssertionError(f"{name} returned None. Did you forget a `return` statement?")
    try:
        arr = np.asarray(value)
        if arr.dtype.kind == "O":
            arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.dtype.kind in "biuf":
        return arr
    kind = type(value).__name__
    found = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    if isinstance(value, np.ndarray):
        found = f"a NumPy array of dtype {value.dtype}"
    elif isinstance(value, str):
        found += f" ({value[:30]!r})"
    elif isinstance(value, (list, tuple)) and value:
        found += f" of {len(value)} items (the first is a {type(value[0]).__name__})"
    hint = " Did you return more than one value?" if isinstance(value, tuple) else ""
    raise AssertionError(f"{name} should be {expected_text}; got {found}.{hint}")


def _expected_text(e: np.ndarray) -> str:
    return "a number" if e.ndim == 0 else f"a NumPy array of numbers with shape {e.shape}"


def _shape_diagnosis(a: np.ndarray, shape: tuple, e: np.ndarray | None = None) -> str | None:
    """Name the likely mistake behind ``a.shape != shape`` (``e``: the expected values)."""
    s, t = a.shape, tuple(shape)
    if len(s) >= 2 and s == t[::-1]:
        if e is None or np.allclose(a.T, e, equal_nan=True):
            return "looks transposed: use .T, or swap the operands of the matrix product"
        return "has its dimensions in reverse order (and is not simply the transpose either)"
    if [d for d in s if d != 1] == [d for d in t if d != 1]:
        if len(s) > len(t):
            fix = "use .item() or float(...)" if not t else f"use .ravel() or .reshape{t}"
            return f"has an extra dimension of size 1 ({fix})"
        if len(s) < len(t):
            return f"is missing a dimension of size 1 (use .reshape{t})"
        return f"has its dimension of size 1 in the wrong place (use .reshape{t})"
    if len(t) in (1, 2) and t[0] > 1 and s == (t[0], t[0]) and t[-1] in (1, t[0]) and s != t:
        return (f"looks like the result of broadcasting a ({t[0]},) array against a "
                f"({t[0]}, 1) array; make both operands the same shape (e.g. with .ravel())")
    diff = [k for k in range(len(s)) if len(s) == len(t) and s[k] != t[k]]
    if len(diff) == 1 and abs(s[diff[0]] - t[diff[0]]) == 1:
        k = diff[0]
        more = "one entry too many" if s[k] > t[k] else "one entry too few"
        return (f"has {more} along axis {k} (off by one: check range() bounds, a dropped "
                f"first/last element, or a bias column)")
    return None


def _check_finite(a: np.ndarray, name: str, where_finite=True) -> None:
    """AssertionError if ``a`` has NaN/inf where finite values are expected."""
    bad = ~np.isfinite(a) & where_finite
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {_fmt_index(first)}" if first else ""
        raise AssertionError(
            f"{name} contains {np.count_nonzero(bad)} NaN/inf value(s) where finite values are "
            f"expected (the first{where} is {a[first]}). This usually comes from a numerically "
            f"unstable step such as log of 0, exp overflow, or 0/0: clip probabilities away "
            f"from 0 and 1, use np.logaddexp, or subtract the maximum before exp.")


def _factor_diagnosis(a, e, same, n_samples) -> str | None:
    """``a == c * e`` for a constant ``c``: name the sign, 1/n or factor-2 mistake."""
    mask = e != 0
    if not mask.any():
        return None
    c = float(np.median(a[mask] / e[mask]))
    if not np.isfinite(c) or c == 0 or not same(a, c * e):
        return None
    if same(a, -e):
        return "has the wrong sign (it is the negative of the expected value)"
    sign, m = ("", c) if c > 0 else ("has the wrong sign and ", -c)
    hint = [int(n_samples)] if n_samples else []
    for n in dict.fromkeys([*hint, 2, round(m), round(1 / m)]):
        if not 2 <= n <= 10000:
            continue
        by_n = n == n_samples or n != 2
        if by_n and n != n_samples and (a.size < 2 or n_samples):
            # One number n times too large says little about why, and a factor n that is
            # not the batch size the caller gave is not an extra or missing 1/n: no 1/n story.
            if same(a, np.copysign(n, c) * e) or same(a, np.copysign(1, c) * e / n):
                word = f"{n} times" if abs(c) > 1 else f"1/{n} of"
                return sign + f"is {word} the expected value"
            continue
        if same(a, np.copysign(n, c) * e):
            return sign + (f"looks like a sum instead of a mean: it is {n} times the expected "
                           f"value (a missing 1/n, n = {n})" if by_n else
                           "is off by a factor of 2: it is twice the expected value")
        if same(a, np.copysign(1, c) * e / n):
            return sign + (f"looks like a mean instead of a sum: it is the expected value "
                           f"divided by {n} (an extra 1/n, n = {n})" if by_n else
                           "is off by a factor of 2: it is half the expected value")
    if np.count_nonzero(mask) >= 2 and abs(m - 1) > 1e-3:
        return sign + f"is off by a constant factor: it is about {m:.4g} times the expected value"
    return sign.removesuffix(" and ") or None


def _pattern_diagnosis(a, e, same) -> str | None:
    """Transposes, flipped 0/1 labels, offsets by one or by a constant, and shifts by one
    position (only of arrays with more than two distinct expected values)."""
    if a.ndim == 2 and a.shape[0] == a.shape[1] and same(a, e.T):
        return "looks transposed: it equals the transpose of the expected value (use .T)"
    if np.isin(e, (0, 1)).all() and len(np.unique(e)) == 2 and same(a, 1 - e):
        return ("has every 0/1 label flipped: check the direction of the comparison "
                "(>= vs <) or which class is 1")
    integral = np.all(a == np.round(a)) and np.all(e == np.round(e))
    for d in (1, -1):
        if integral and same(a, e + d):
            word = "larger" if d > 0 else "smaller"
            return (f"is off by one: every entry is 1 {word} than expected "
                    f"(1-based instead of 0-based indices or labels?)")
    d = float(np.median(a - e))
    if a.size >= 2 and same(a, e + d):
        return (f"is off by a constant: every entry is {abs(d):.4g} "
                f"{'larger' if d > 0 else 'smaller'} than expected (a missing or extra "
                f"constant term, such as a bias?)")
    # A shift needs varied values: with two values (0/1 labels), a few wrong entries often
    # look like a shifted copy by chance.
    if (a.ndim == 1 and a.size >= 3 and len(np.unique(e)) > 2
            and np.count_nonzero(~np.isclose(a, e)) >= 2):
        for later, x, y in ((True, a[1:], e[:-1]), (False, a[:-1], e[1:])):
            if same(x, y):
                where = "one place later" if later else "one place earlier"
                return (f"is off by one position: the entries sit {where} than expected "
                        f"(check index arithmetic such as i + 1 / i - 1)")
    return None


def diagnose(actual, expected, *, n_samples: int | None = None, rtol: float = 1e-6,
             atol: float = 1e-8) -> str | None:
    """Name the typical mistake that turns ``expected`` into ``actual``, or return None.

    The answer is a phrase that completes "<name> ...", e.g. "looks transposed: ...".
    Shapes are diagnosed first (transposed, extra/missing dimension of size 1,
    broadcasting to (n, n), off by one along an axis); equal shapes by value: the wrong
    sign, a constant factor n (a sum instead of a mean, or the reverse; ``n_samples`` is
    tried first, then 2 and any integer up to 10000), a factor 2, a transpose, flipped
    0/1 labels, an offset by one or by a constant, a shift by one position (not for
    arrays of two values, such as 0/1 labels, where a shifted copy often matches by chance).
    Returns None when the values agree within ``rtol``/``atol`` or no diagnosis fits.
    """
    try:
        a = np.asarray(actual, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return None

    def same(x, y):
        return bool(np.allclose(x, y, rtol=rtol, atol=atol))

    with np.errstate(all="ignore"):  # huge values may overflow in a - e: no warnings
        if a.shape != e.shape:
            return _shape_diagnosis(a, e.shape, e)
        if not (np.isfinite(a).all() and np.isfinite(e).all()) or a.size == 0 or same(a, e):
            return None
        return _factor_diagnosis(a, e, same, n_samples) or _pattern_diagnosis(a, e, same)


# ------------------------------------------------------------------------ value checks
def assert_close(actual, expected, *, name: str = "result", rtol: float = 1e-6,
                 atol: float = 1e-8, check_dtype: bool = False,
                 n_samples: int | None = None) -> None:
    """Check that ``actual`` equals ``expected`` within ``|a - e| <= atol + rtol * |e|``.

    Checks, in order: not None, numeric, shape, (dtype), no NaN/inf where the expected
    value is finite, values. Each failure raises ``AssertionError`` starting with ``name``,
    with a diagnosis from :func:`diagnose` when one fits.

    Parameters
    ----------
    actual : array_like or number, what the student's code returned
    expected : array_like or number
    name : str, what to call ``actual`` in messages, e.g. "sigmoid(a)"
    rtol, atol : float, tolerances as in ``np.isclose``
    check_dtype : bool, also require the same dtype
    n_samples : int, optional, the batch size, tried first as the factor n of a mean/sum mix-up
    """
    e = np.asarray(expected, dtype=np.float64)
    a = _as_numeric(actual, name, _expected_text(e))
    if a.shape != e.shape:
        diag = diagnose(a, e)
        raise AssertionError(f"{name} has shape {a.shape}, but the expected shape is "
                             f"{e.shape}." + (f" It {diag}." if diag else ""))
    if check_dtype and a.dtype != np.asarray(expected).dtype:
        want = np.asarray(expected).dtype
        raise AssertionError(f"{name} has dtype {a.dtype}, but {want} is expected "
                             f"(use .astype(np.{want})).")
    a = a.astype(np.float64)
    _check_finite(a, name, np.isfinite(e))
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        if not wrong.any():
            return
        err = np.where(wrong, np.nan_to_num(np.abs(a - e), nan=np.inf), -1.0)
    worst = np.unravel_index(int(np.argmax(err)), a.shape)
    tol = f"(rtol={rtol:g}, atol={atol:g})"
    if a.ndim == 0:
        msg = f"{name} is {_fmt(a)}, but the expected value is {_fmt(e)} {tol}."
    else:
        msg = (f"{name} differs from the expected value in {np.count_nonzero(wrong)} of "
               f"{a.size} entries {tol}. The largest difference is at index "
               f"{_fmt_index(tuple(int(i) for i in worst))}: got {_fmt(a[worst])}, expected "
               f"{_fmt(e[worst])}.")
    diag = diagnose(a, e, n_samples=n_samples, rtol=rtol, atol=atol)
    raise AssertionError(msg + (f" It {diag}." if diag else ""))


def assert_shape(actual, shape, name: str = "result") -> None:
    """Check ``np.shape(actual) == shape``; ``None`` in ``shape`` matches any size."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    a = _as_numeric(actual, name, f"an array of shape {shape}")
    if len(a.shape) == len(shape):
        target = tuple(s if t is None else t for s, t in zip(a.shape, shape, strict=True))
    else:
        target = tuple(-1 if t is None else t for t in shape)
    if target == a.shape:
        return
    diag = _shape_diagnosis(a, target)
    shown = str(shape).replace("None", "any")
    raise AssertionError(f"{name} has shape {a.shape}, but shape {shown} is expected."
                         + (f" It {diag}." if diag else ""))


def assert_dtype_kind(actual, kind: str, name: str = "result") -> None:
    """Check the dtype kind: ``kind`` is "float", "int", "bool", "number" or NumPy kind
    characters such as "f" or "iu"."""
    kinds = _KIND_ALIASES.get(kind, kind)
    a = _as_numeric(actual, name, f"an array of dtype kind {kind!r}")
    if a.dtype.kind not in kinds:
        want = f"{'an' if kind == 'int' else 'a'} {kind} dtype" if kind in _KIND_ALIASES else (
            f"a dtype of kind {kind!r}")
        fix = {"f": " (use .astype(float))", "i": " (use .astype(int))"}.get(kinds[0], "")
        raise AssertionError(f"{name} must have {want}; got {a.dtype}{fix}.")


def assert_in_range(actual, low: float = -np.inf, high: float = np.inf, *,
                    name: str = "result", inclusive: bool = True) -> None:
    """Check that every value lies in ``[low, high]`` (``(low, high)`` if not inclusive)."""
    a = _as_numeric(actual, name, "numbers").astype(np.float64)
    ok = (a >= low) & (a <= high) if inclusive else (a > low) & (a < high)
    if ok.all():
        return
    first = tuple(int(i) for i in np.argwhere(~ok)[0])
    where = f" at index {_fmt_index(first)}" if first else ""
    bounds = f"[{low:g}, {high:g}]" if inclusive else f"({low:g}, {high:g})"
    raise AssertionError(f"{name} must lie in {bounds}; {np.count_nonzero(~ok)} value(s) do not "
                         f"(the first{where} is {_fmt(a[first])}).")


def _set_text(values) -> str:
    values = list(values)
    shown = [str(v) for v in values[:10]] + (["..."] if len(values) > 10 else [])
    return "{" + ", ".join(shown) + "}"


def assert_labels(actual, allowed, name: str = "result") -> None:
    """Check that ``actual`` contains only values from ``allowed``, e.g. ``{0, 1}``."""
    allowed = sorted(set(np.asarray(list(allowed)).tolist()))
    a = _as_numeric(actual, name, f"an array of labels from {_set_text(allowed)}")
    extra = ~np.isin(a, allowed)
    if not extra.any():
        return
    found = np.unique(a).tolist()
    first = tuple(int(i) for i in np.argwhere(extra)[0])
    where = f" at index {_fmt_index(first)}" if first else ""
    hint = ""
    if allowed == [0, 1] and set(found) <= {-1, 1}:
        hint = " Use (y + 1) // 2 to map {-1, 1} to {0, 1}."
    elif allowed == [-1, 1] and set(found) <= {0, 1}:
        hint = " Use 2 * y - 1 to map {0, 1} to {-1, 1}."
    elif allowed == [0, 1] and ((a >= 0) & (a <= 1)).all():
        hint = " These look like probabilities: threshold them, e.g. (p >= 0.5).astype(int)."
    raise AssertionError(f"{name} must contain only the labels {_set_text(allowed)}; found "
                         f"{_set_text(found)} (the first unexpected value{where} is "
                         f"{a[first]}).{hint}")


# --------------------------------------------------------------------------- gradients
def _compare_gradient(g: np.ndarray, num: np.ndarray, name: str, tol: float,
                      suffix: str = "", noise: float = 0.0) -> None:
    """AssertionError unless ``g`` and ``num`` agree to ``tol`` in relative error, where a
    difference within ``noise`` (the rounding noise of the finite differences) counts as 0."""
    worst, each, _ = _worst_entry(g, num, noise)
    err = float(np.max(each)) if each.size else 0.0
    if err <= tol:
        return
    where = f" at index {_fmt_index(tuple(int(i) for i in worst))}" if g.ndim else ""
    diag = diagnose(g, num, rtol=1e-4, atol=1e-5 * float(np.max(np.abs(num))))
    raise AssertionError(
        f"{name} does not match the numerical gradient: relative error {err:.2e} > tolerance "
        f"{tol:.0e}. The worst entry is{where}: analytic {_fmt(g[worst])}, numerical "
        f"{_fmt(num[worst])}." + (f" It {diag}." if diag else "") + suffix)


def assert_gradient(f, x, analytic, *, name: str = "gradient", h: float = 1e-5,
                    tol: float = 1e-6) -> None:
    """Compare the analytic gradient of a scalar function ``f`` at ``x`` with centered
    differences (:func:`mlkit.gradcheck.numerical_gradient`).

    Parameters
    ----------
    f : callable, ``f(x) -> float``
    x : array_like, the point; a float64 copy is perturbed, the caller's array is untouched
    analytic : array_like of the shape of ``x``, the gradient to check
    name : str, what to call ``analytic`` in messages
    h : float, finite-difference step
    tol : float, largest accepted relative error; differences within the rounding noise of
        the centered difference (:func:`mlkit.gradcheck.rounding_noise`) count as 0
    """
    x = np.array(x, dtype=np.float64)
    g = _as_numeric(analytic, name, _expected_text(x))
    if g.shape != x.shape:
        diag = _shape_diagnosis(g, x.shape)
        raise AssertionError(f"{name} has shape {g.shape}, but a gradient has the shape of x, "
                             f"{x.shape}." + (f" It {diag}." if diag else ""))
    g = g.astype(np.float64)
    _check_finite(g, name)
    noise = rounding_noise(f(x.copy()), h)
    _compare_gradient(g, numerical_gradient(f, x, h), name, tol, noise=noise)


def assert_gradients(f, params: dict, grads: dict, *, name: str = "grads", h: float = 1e-5,
                     tol: float = 1e-7) -> None:
    """Check the gradients of ``f() -> float`` with respect to every array in ``params``.

    ``f`` reads ``params``, whose arrays are perturbed in place and restored
    (:func:`mlkit.gradcheck.check_gradients`). The message names the failing parameter,
    e.g. ``grads['W1']``, its worst entry and a diagnosis, followed by the report table.
    """
    if not isinstance(grads, Mapping) and not (hasattr(grads, "get") and hasattr(grads, "keys")):
        raise AssertionError(f"{name} should be a dict with the keys {list(params)}; got "
                             f"{type(grads).__name__}.")
    missing = [k for k in params if grads.get(k) is None]
    if missing:
        raise AssertionError(f"{name} has no gradient for {missing}; it needs one entry per "
                             f"parameter, with the keys {list(params)}.")
    checked = {}
    for key, p in params.items():
        label = f"{name}[{key!r}]"
        g = _as_numeric(grads[key], label, _expected_text(np.asarray(p)))
        if g.shape != np.shape(p):
            diag = _shape_diagnosis(g, np.shape(p))
            raise AssertionError(f"{label} has shape {g.shape}, but the parameter has shape "
                                 f"{np.shape(p)}." + (f" It {diag}." if diag else ""))
        checked[key] = g.astype(np.float64)
        _check_finite(checked[key], label)
    report = check_gradients(f, params, checked, h=h, tol=tol)
    if report.passed:
        return
    failed = [r for r in report.results if r.rel_error > tol]
    worst = report.worst
    others = [r.name for r in failed if r is not worst]
    suffix = (f" Also failing: {', '.join(others)}." if others else "") + f"\n{report}"
    num = numerical_gradient(lambda _: f(), params[worst.name], h)
    _compare_gradient(checked[worst.name], num, f"{name}[{worst.name!r}]", tol, suffix,
                      report.noise)


# ------------------------------------------------------------ own-implementation checks
def _within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@functools.cache
def _module_of(filename: str) -> str | None:
    """The mlkit module a source file belongs to, judged by its path, or None."""
    path = os.path.realpath(filename)
    if not (path.startswith(_PKG_DIR + os.sep) and path.endswith(".py")):
        return None
    parts = os.path.relpath(path[:-3], _PKG_DIR).split(os.sep)
    return ".".join([_PKG_NAME, *parts[:-1]] + ([] if parts[-1] == "__init__" else parts[-1:]))


class _CallWatcher:
    """``sys.setprofile`` hook recording the first call into a forbidden module.

    Module and class bodies (run by ``import``) do not count: only functions
    (code flagged ``CO_OPTIMIZED``). Files of this package are judged by their path; other
    code by its module's ``__name__``. A previous profiler keeps receiving every event.
    """

    def __init__(self, forbidden, allowed, previous=None):
        self.forbidden, self.allowed, self.previous = tuple(forbidden), tuple(allowed), previous
        self.verdicts: dict = {}
        self.hit: str | None = None
        self.caller: str | None = None

    def __call__(self, frame, event, arg):
        if self.previous is not None:
            self.previous(frame, event, arg)
        if event != "call" or self.hit is not None:
            return
        code = frame.f_code
        verdict = self.verdicts.get(code)
        if verdict is None:
            verdict = self.verdicts[code] = self.judge(code, frame.f_globals)
        if verdict:
            self.hit = verdict
            self.caller = frame.f_back.f_code.co_qualname if frame.f_back else None

    def judge(self, code, f_globals) -> str:
        """The qualified name of ``code`` if calling it is forbidden, else ""."""
        if not code.co_flags & inspect.CO_OPTIMIZED:
            return ""
        module = _module_of(code.co_filename) or str(f_globals.get("__name__", ""))
        full = f"{module}.{code.co_qualname}"
        if (_within(module, self.forbidden) or _within(full, self.forbidden)) and not (
                _within(module, self.allowed) or _within(full, self.allowed)):
            return full
        return ""


def assert_not_calling(func, *args, forbidden=(_PKG_NAME,), allowed=_ALLOWED, **kwargs):
    """Run ``func(*args, **kwargs)`` and fail if it called code from a forbidden module.

    ``forbidden`` and ``allowed`` hold dotted prefixes of modules or of functions:
    ``"mlkit"`` forbids the whole package, ``"mlkit.losses.bce"`` one function and
    ``"mlkit.models.Perceptron"`` every method of one class.

    Calls are traced with ``sys.setprofile`` (a previous profiler is chained and restored),
    so aliases (``from mlkit.losses import bce as b``), helpers and Python callbacks from
    NumPy are all caught; code written in C is invisible. Returns ``func``'s result.

    Raises
    ------
    AssertionError
        "my_bce: your function called mlkit.losses.bce; this exercise asks you to
        implement it yourself (...)". If ``func`` also raised, that error is chained.
    """
    forbidden = (forbidden,) if isinstance(forbidden, str) else forbidden
    previous = sys.getprofile()
    watcher = _CallWatcher(forbidden, allowed, previous if callable(previous) else None)
    sys.setprofile(watcher)
    try:
        result = func(*args, **kwargs)
    except Exception as exc:
        if watcher.hit:
            raise AssertionError(_not_calling_message(func, watcher)) from exc
        raise
    finally:
        sys.setprofile(previous)
    if watcher.hit:
        raise AssertionError(_not_calling_message(func, watcher))
    return result


def _not_calling_message(func, watcher: _CallWatcher) -> str:
    fname = getattr(func, "__name__", None) or type(func).__name__
    own = (None, "assert_not_calling", getattr(func, "__qualname__", fname))
    via = f" (inside {watcher.caller})" if watcher.caller not in own else ""
    package = watcher.hit.split(".")[0]
    return (f"{fname}: your function called {watcher.hit}{via}; this exercise asks you to "
            f"implement it yourself (you may read {package}'s code, but not call it).")


def _label(obj, allowed) -> str | None:
    """``module.qualname`` of an object defined in this package (and not allowed), or None."""
    if isinstance(obj, types.ModuleType):
        module, qual = obj.__name__, None
    else:
        module = getattr(obj, "__module__", None)
        qual = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    if not isinstance(module, str) or not _within(module, (_PKG_NAME,)):
        return None
    if _within(module, allowed):
        return None
    return module if qual is None else f"{module}.{qual}"


def _code_names(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _scan(func, allowed, found: set, seen: set, scope=None) -> None:
    """Add to ``found`` the mlkit objects named by ``func`` and by helpers of its module."""
    func = inspect.unwrap(getattr(func, "__func__", func))
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return
    seen.add(code)
    names = _code_names(code)
    scope = func.__globals__ if scope is None else scope
    refs = [scope[n] for n in names if n in scope]
    for cell in func.__closure__ or ():
        try:
            refs.append(cell.cell_contents)
        except ValueError:  # an empty cell: a variable not assigned yet
            pass
    while refs:
        obj = refs.pop()
        label = _label(obj, allowed)
        if label and isinstance(obj, types.ModuleType):
            # `mlkit.losses.bce` names the module mlkit; resolve it to the deepest object
            if obj not in seen:
                seen.add(obj)
                subs = [x for x in (getattr(obj, n, None) for n in names) if _label(x, allowed)]
                refs += subs
                if not subs:
                    found.add(label)
        elif label:
            found.add(label)
        elif isinstance(obj, types.FunctionType) and obj.__globals__ is scope:
            _scan(obj, allowed, found, seen, scope)


def uses_mlkit(func, *, allowed=_ALLOWED) -> list[str]:
    """Names of mlkit objects that ``func``, or a helper function it refers to, names.

    A cheap static early warning next to :func:`assert_not_calling`: it looks only at
    the globals, closure variables and attribute names in ``func``'s code, so it can give
    false alarms (a name that is never called) and miss calls made through other objects.
    """
    found: set[str] = set()
    _scan(func, tuple(allowed), found, set())
    return sorted(found)


class CountingGradient:
    """The gradient ``w -> A w`` of ``f(w) = w^T A w / 2``, refusing to be evaluated more
    than ``budget`` times: a test gives it to a student's search (which may call it
    thousands of times) and a search that never ends fails with ``message``.

    It is mlkit's own code with plain-data state, so isolated grading runs it inside the
    student's process (``tools/wire.py`` sends mlkit objects as their state) instead of
    answering each call from the grader's process. ``calls`` counts the evaluations.

    Example
    -------
    >>> grad = CountingGradient(np.diag([1.0, 2.0]), budget=2)
    >>> grad(np.array([1.0, 1.0])).tolist()
    [1.0, 2.0]
    """

    def __init__(self, A, budget: int = 200_000, message: str = "the gradient was "
                 "evaluated more than {budget} times: does the search ever stop?"):
        self.A = np.asarray(A, dtype=np.float64)
        self.budget, self.message, self.calls = int(budget), str(message), 0

    def __call__(self, w):
        self.calls += 1
        check(self.calls <= self.budget, self.message.format(budget=self.budget))
        return self.A @ w


@contextlib.contextmanager
def substitute(namespace: dict, **replacements):
    """Temporarily bind names in ``namespace`` (a notebook's ``globals()``) to other objects.

    A test of exercise k that calls a student's function which itself calls the student's
    answers to earlier exercises wraps the call in this, with reference implementations
    of those earlier functions, so that a mistake costs points only where it was made.

    Example
    -------
    >>> ns = {"helper": lambda: "student"}
    >>> with substitute(ns, helper=lambda: "reference"):
    ...     ns["helper"]()
    'reference'
    >>> ns["helper"]()
    'student'
    """
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
