"""Input validation shared by mlkit's public entry points.

Every check raises a ``ValueError`` (or ``TypeError``) whose message names the argument,
says what was expected, shows what came, and suggests a fix where one is obvious.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "NotFittedError",
    "as_rng",
    "check_array",
    "check_X_y",
    "check_consistent_length",
    "check_binary_labels",
    "check_class_labels",
    "check_positive",
    "check_in_range",
    "check_fitted",
]


class NotFittedError(ValueError):
    """Raised when a model is used for prediction before ``fit`` was called."""


def as_rng(seed=None) -> np.random.Generator:
    """Return a ``np.random.Generator`` from an int seed, a Generator or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(
        f"seed must be an int, a numpy.random.Generator or None; got {type(seed).__name__}."
    )


def _shape_text(ndim: int, name: str) -> str:
    if ndim == 1:
        return "(n_samples,)"
    if ndim == 2:
        return "(n_samples, n_features)" if name.startswith("X") else "(n_rows, n_cols)"
    return "(" + ", ".join(f"d{i}" for i in range(ndim)) + ")"  # (), (d0, d1, d2), ...


def check_array(X, name: str = "X", ndim: int | None = None, dtype=np.float64,
                allow_empty: bool = False) -> np.ndarray:
    """Convert ``X`` to a finite ndarray of ``dtype`` and check its number of dimensions.

    Raises
    ------
    ValueError
        If ``X`` cannot be converted to numbers, has the wrong number of dimensions, is
        empty, or contains NaN or infinity.
    """
    try:
        arr = np.asarray(X, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an array of numbers; could not convert it ({exc})."
        ) from None
    if ndim is not None and arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (f" Reshape it with {name}.reshape(-1, 1) for one feature, or "
                    f"{name}.reshape(1, -1) for one sample.")
        raise ValueError(
            f"{name} must be a {ndim}-D array of shape {_shape_text(ndim, name)}; "
            f"got shape {arr.shape}.{hint}"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); at least one value is needed.")
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} contains NaN or infinity; found {len(bad)} non-finite value(s) "
            f"(first at index {first}). Remove or impute them first."
        )
    return arr


def check_X_y(X, y, binary: bool = False, *,
              y_dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """Check that ``X`` is ``(n, d)`` and ``y`` is ``(n,)`` with the same ``n``.

    With ``binary=True``, ``y`` must also hold labels in {0, 1} (:func:`check_binary_labels`).
    """
    X = check_array(X, "X", ndim=2)
    y = check_array(y, "y", ndim=None, dtype=y_dtype)
    if y.ndim == 2 and y.shape[1] == 1:
        raise ValueError(
            f"y must be a 1-D array of shape (n_samples,); got shape {y.shape}. "
            "Use y.ravel()."
        )
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of shape (n_samples,); got shape {y.shape}.")
    check_consistent_length(X, y)
    if binary:
        y = check_binary_labels(y)
    return X, y


def check_consistent_length(X, y, names=("X", "y")) -> None:
    """Raise if ``X`` and ``y`` do not have the same number of samples (rows); say so when a
    2-D ``X`` looks transposed (its columns, not its rows, match ``y``)."""
    if len(X) != len(y):
        hint = ""
        if names[0] == "X" and np.ndim(X) == 2 and np.shape(X)[1] == len(y):
            hint = " X looks transposed: pass X.T (samples in rows)."
        raise ValueError(
            f"{names[0]} and {names[1]} have inconsistent numbers of samples: "
            f"{names[0]} has {len(X)}, {names[1]} has {len(y)}.{hint}"
        )


def check_binary_labels(y, name: str = "y") -> np.ndarray:
    """Return ``y`` as float labels in {0, 1}; explain the fix for {-1, +1} labels."""
    y = np.asarray(y, dtype=np.float64)
    found = set(np.unique(y).tolist())
    if not found <= {0.0, 1.0}:
        shown = "{" + ", ".join(f"{v:g}" for v in sorted(found)[:6]) + "}"
        fix = " Use (y + 1) // 2." if found <= {-1.0, 1.0} else ""
        raise ValueError(f"{name} must contain only labels {{0, 1}}; found {shown}.{fix}")
    return y


def check_class_labels(y, n_classes: int | None = None, name: str = "y") -> np.ndarray:
    """Return ``y`` as int labels in ``[0, n_classes)``."""
    y = np.asarray(y)
    if y.size and not np.all(np.equal(np.mod(y, 1), 0)):
        bad = y[np.mod(y, 1) != 0][0].item()  # a Python number: repr 0.5, not np.float64(0.5)
        raise ValueError(f"{name} must contain integer class labels; found {bad!r}.")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(
            f"{name} must contain labels in [0, k); found the negative label {y.min()}."
        )
    if n_classes is not None and y.size and y.max() >= n_classes:
        one_based = y.min() == 1 and y.max() == n_classes  # labels 1..k
        raise ValueError(
            f"{name} contains the label {y.max()}, but there are only {n_classes} classes "
            f"(columns); labels must lie in [0, {n_classes})."
            + (f" 1-based labels? use {name} - 1." if one_based else "")
        )
    return y


def check_positive(value, name: str, *, integer: bool = False, allow_zero: bool = False):
    """Check that a hyperparameter is a positive (or non-negative) number."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an int" if integer else "a number"
        raise ValueError(f"{name} must be {expected}; got {value!r}.")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}; got {value!r}.")
    return value


def check_in_range(value, name: str, low: float, high: float, *, high_inclusive=False):
    """Check ``low <= value < high`` (or ``<= high``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and (
        low <= value <= high if high_inclusive else low <= value < high)
    if not ok:
        close = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in [{low}, {high}{close}; got {value!r}.")
    return value


def check_fitted(model, attribute: str) -> None:
    """Raise NotFittedError if ``model`` has no ``attribute`` yet."""
    if getattr(model, attribute, None) is None:
        raise NotFittedError(
            f"This {type(model).__name__} is not fitted yet. Call fit(X, y) first."
        )
