"""Tests of mlkit._validation: every message, and what each check returns."""

import numpy as np
import pytest

from mlkit import _validation as V
from mlkit._validation import (
    NotFittedError,
    as_rng,
    check_array,
    check_binary_labels,
    check_class_labels,
    check_consistent_length,
    check_fitted,
    check_in_range,
    check_positive,
    check_X_y,
)


def test_all_public_names_exist():
    for name in V.__all__:
        assert hasattr(V, name)


# ---------------------------------------------------------------- as_rng
def test_as_rng_from_an_int_is_reproducible():
    a, b = as_rng(42), as_rng(np.int64(42))
    assert isinstance(a, np.random.Generator)
    np.testing.assert_array_equal(a.random(3), b.random(3))
    assert not np.array_equal(as_rng(1).random(3), as_rng(2).random(3))


def test_as_rng_passes_a_generator_through_and_accepts_none():
    rng = np.random.default_rng(0)
    assert as_rng(rng) is rng
    assert isinstance(as_rng(None), np.random.Generator)
    assert isinstance(as_rng(), np.random.Generator)


@pytest.mark.parametrize("seed, kind", [(1.5, "float"), ("0", "str"), (True, "bool"),
                                        (np.random.RandomState(0), "RandomState")])
def test_as_rng_rejects_other_types(seed, kind):
    with pytest.raises(TypeError, match=rf"^seed must be an int, a numpy\.random\.Generator or "
                                        rf"None; got {kind}\.$"):
        as_rng(seed)


# ---------------------------------------------------------------- check_array
def test_check_array_converts_to_float64_by_default():
    X = check_array([[1, 2], [3, 4]], ndim=2)
    assert X.dtype == np.float64 and X.shape == (2, 2)
    assert check_array(np.ones(2, dtype=np.float32), dtype=np.float32).dtype == np.float32
    assert check_array([1, 2], dtype=None).dtype.kind == "i"  # dtype=None keeps it
    assert check_array(np.zeros((0, 2)), allow_empty=True).shape == (0, 2)


@pytest.mark.parametrize("bad", [[["a", "b"]], [[1.0, 2.0], [3.0]]])
def test_check_array_not_numbers(bad):
    with pytest.raises(ValueError, match=r"^X must be an array of numbers; could not convert "
                                         r"it \(.+\)\.$"):
        check_array(bad)


def test_check_array_1d_where_2d_is_needed_gives_the_reshape_hint():
    with pytest.raises(ValueError, match=r"^X must be a 2-D array of shape \(n_samples, "
                                         r"n_features\); got shape \(3,\)\. Reshape it with "
                                         r"X\.reshape\(-1, 1\) for one feature, or "
                                         r"X\.reshape\(1, -1\) for one sample\.$"):
        check_array([1.0, 2.0, 3.0], "X", ndim=2)


@pytest.mark.parametrize("value, name, ndim, shape_text, got", [
    (np.ones((2, 2)), "y", 1, r"\(n_samples,\)", r"\(2, 2\)"),
    (np.ones((2, 2, 2)), "X", 2, r"\(n_samples, n_features\)", r"\(2, 2, 2\)"),
    (np.ones(3), "W", 2, r"\(n_rows, n_cols\)", r"\(3,\)"),
    (np.ones(3), "T", 3, r"\(d0, d1, d2\)", r"\(3,\)"),
    (np.ones(3), "s", 0, r"\(\)", r"\(3,\)"),
])
def test_check_array_wrong_ndim(value, name, ndim, shape_text, got):
    hint = r" Reshape it.*" if (ndim, value.ndim) == (2, 1) else ""
    with pytest.raises(ValueError, match=rf"^{name} must be a {ndim}-D array of shape "
                                         rf"{shape_text}; got shape {got}\.{hint}$"):
        check_array(value, name, ndim=ndim)


def test_check_array_empty():
    with pytest.raises(ValueError, match=r"^X is empty \(shape \(0,\)\); at least one value is "
                                         r"needed\.$"):
        check_array([])
    with pytest.raises(ValueError, match=r"^X is empty \(shape \(0, 3\)\)"):
        check_array(np.zeros((0, 3)), ndim=2)


def test_check_array_nan_and_inf():
    with pytest.raises(ValueError, match=r"^X contains NaN or infinity; found 2 non-finite "
                                         r"value\(s\) \(first at index \(0, 1\)\)\. Remove or "
                                         r"impute them first\.$"):
        check_array([[1.0, np.nan], [np.inf, 2.0]])
    with pytest.raises(ValueError, match=r"^w contains NaN or infinity; found 1 non-finite "
                                         r"value\(s\) \(first at index \(2,\)\)"):
        check_array([0.0, 1.0, -np.inf], "w")


# ---------------------------------------------------------------- check_X_y
def test_check_X_y_returns_float_arrays():
    X, y = check_X_y([[1, 2], [3, 4]], [0, 1])
    assert X.dtype == y.dtype == np.float64
    assert X.shape == (2, 2) and y.shape == (2,)
    _, y = check_X_y([[1, 2], [3, 4]], [0, 1], y_dtype=None)
    assert y.dtype.kind == "i"


def test_check_X_y_messages():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match=r"^y must be a 1-D array of shape \(n_samples,\); got "
                                         r"shape \(3, 1\)\. Use y\.ravel\(\)\.$"):
        check_X_y(X, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"^y must be a 1-D array of shape \(n_samples,\); got "
                                         r"shape \(3, 2\)\.$"):
        check_X_y(X, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"got shape \(\)\.$"):
        check_X_y(X, 1.0)
    with pytest.raises(ValueError, match=r"^X and y have inconsistent numbers of samples: X has "
                                         r"5, y has 4\.$"):
        check_X_y(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match=r"^X must be a 2-D array .* Reshape it with"):
        check_X_y(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"^y contains NaN or infinity"):
        check_X_y(X, [0.0, np.nan, 1.0])


def test_check_X_y_binary():
    X = np.ones((3, 2))
    _, y = check_X_y(X, [0, 1, 1], binary=True)
    np.testing.assert_array_equal(y, [0.0, 1.0, 1.0])
    _, y = check_X_y(X, [-1, 1, 1])  # binary=False accepts any numbers
    np.testing.assert_array_equal(y, [-1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"Use \(y \+ 1\) // 2\.$"):
        check_X_y(X, [-1, 1, 1], binary=True)


def test_check_consistent_length_spots_a_transposed_X():
    message = (r"^X and y have inconsistent numbers of samples: X has 2, y has 5\. X looks "
               r"transposed: pass X\.T \(samples in rows\)\.$")
    with pytest.raises(ValueError, match=message):
        check_consistent_length(np.ones((2, 5)), np.ones(5))
    with pytest.raises(ValueError, match=message):
        check_X_y(np.ones((2, 5)), np.ones(5))
    # no hint when the columns do not match y either, or for other names
    with pytest.raises(ValueError, match=r"X has 2, y has 5\.$"):
        check_consistent_length(np.ones((2, 4)), np.ones(5))
    with pytest.raises(ValueError, match=r"A has 2, y has 5\.$"):
        check_consistent_length(np.ones((2, 5)), np.ones(5), names=("A", "y"))


def test_check_consistent_length_uses_the_given_names():
    check_consistent_length(np.ones(3), [1, 2, 3])
    with pytest.raises(ValueError, match=r"^A and t have inconsistent numbers of samples: A has "
                                         r"2, t has 3\.$"):
        check_consistent_length(np.ones((2, 4)), np.ones(3), names=("A", "t"))


# ---------------------------------------------------------------- labels
def test_check_binary_labels_returns_floats():
    y = check_binary_labels([0, 1, 1, 0])
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(check_binary_labels([1, 1]), [1.0, 1.0])  # one class is ok


@pytest.mark.parametrize("y, shown", [([-1, 1, 1], r"\{-1, 1\}"), ([-1, -1], r"\{-1\}")])
def test_check_binary_labels_pm1_with_the_fix(y, shown):
    with pytest.raises(ValueError, match=rf"^y must contain only labels \{{0, 1\}}; found "
                                         rf"{shown}\. Use \(y \+ 1\) // 2\.$"):
        check_binary_labels(y)


def test_check_binary_labels_other_values_without_a_fix():
    with pytest.raises(ValueError, match=r"^t must contain only labels \{0, 1\}; found "
                                         r"\{0, 0\.5, 2\}\.$"):
        check_binary_labels([0, 2, 0.5], name="t")


def test_check_class_labels_returns_ints():
    y = check_class_labels(np.array([0.0, 2.0, 1.0]), n_classes=3)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, [0, 2, 1])
    np.testing.assert_array_equal(check_class_labels([5, 7]), [5, 7])  # no upper bound
    assert check_class_labels(np.array([]), n_classes=2).size == 0


def test_check_class_labels_messages():
    with pytest.raises(ValueError, match=r"^y must contain integer class labels; found 0\.5\.$"):
        check_class_labels(np.array([0.0, 0.5, 1.0]))
    with pytest.raises(ValueError, match=r"^labels must contain integer class labels; found "
                                         r"nan\.$"):
        check_class_labels(np.array([0.0, np.nan]), name="labels")
    with pytest.raises(ValueError, match=r"^y must contain labels in \[0, k\); found the "
                                         r"negative label -2\.$"):
        check_class_labels([0, -1, -2])
    with pytest.raises(ValueError, match=r"^y contains the label 3, but there are only 3 "
                                         r"classes \(columns\); labels must lie in \[0, 3\)\.$"):
        check_class_labels([0, 3, 1], n_classes=3)  # k itself is already too large
    with pytest.raises(ValueError, match=r"^t contains the label 3, but there are only 3 "
                                         r"classes \(columns\); labels must lie in \[0, 3\)\. "
                                         r"1-based labels\? use t - 1\.$"):
        check_class_labels([1, 3, 2], n_classes=3, name="t")  # labels 1..k


# ---------------------------------------------------------------- hyperparameters
def test_check_positive_accepts_and_returns_the_value():
    assert check_positive(0.1, "lr") == 0.1
    assert check_positive(np.float64(0.5), "lr") == 0.5
    assert check_positive(3, "n", integer=True) == 3
    assert check_positive(np.int64(3), "n", integer=True) == 3
    assert check_positive(0, "l2", allow_zero=True) == 0


@pytest.mark.parametrize("value, kwargs, message", [
    (0, {}, r"^lr must be > 0; got 0\.$"),
    (-1e-3, {}, r"^lr must be > 0; got -0\.001\.$"),
    (float("inf"), {}, r"^lr must be > 0; got inf\.$"),
    (float("nan"), {}, r"^lr must be > 0; got nan\.$"),
    (-1, {"allow_zero": True}, r"^lr must be >= 0; got -1\.$"),
    ("0.1", {}, r"^lr must be a number; got '0\.1'\.$"),
    (None, {}, r"^lr must be a number; got None\.$"),
    (True, {}, r"^lr must be a number; got True\.$"),
    (2.0, {"integer": True}, r"^lr must be an int; got 2\.0\.$"),
    (0, {"integer": True}, r"^lr must be > 0; got 0\.$"),
])
def test_check_positive_messages(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_positive(value, "lr", **kwargs)


def test_check_in_range_accepts():
    assert check_in_range(0.0, "p", 0.0, 1.0) == 0.0
    assert check_in_range(0.5, "p", 0.0, 1.0) == 0.5
    assert check_in_range(1.0, "p", 0.0, 1.0, high_inclusive=True) == 1.0


@pytest.mark.parametrize("value, inclusive, message", [
    (1.0, False, r"^p must be in \[0, 1\); got 1\.0\.$"),
    (-0.1, False, r"^p must be in \[0, 1\); got -0\.1\.$"),
    (1.5, True, r"^p must be in \[0, 1\]; got 1\.5\.$"),
    (float("nan"), False, r"^p must be in \[0, 1\); got nan\.$"),
    ("0.5", False, r"^p must be in \[0, 1\); got '0\.5'\.$"),
    (False, True, r"^p must be in \[0, 1\]; got False\.$"),
])
def test_check_in_range_messages(value, inclusive, message):
    with pytest.raises(ValueError, match=message):
        check_in_range(value, "p", 0, 1, high_inclusive=inclusive)


# ---------------------------------------------------------------- fitted
class Model:
    def __init__(self):
        self.w_ = None


def test_not_fitted_error_is_a_value_error():
    assert issubclass(NotFittedError, ValueError)
    with pytest.raises(ValueError, match=r"^This Model is not fitted yet\. Call fit\(X, y\) "
                                         r"first\.$") as info:
        check_fitted(Model(), "w_")
    assert isinstance(info.value, NotFittedError)
    with pytest.raises(NotFittedError):
        check_fitted(Model(), "coef_")  # a missing attribute counts as not fitted


def test_check_fitted_passes_a_fitted_model():
    model = Model()
    model.w_ = np.zeros(2)
    assert check_fitted(model, "w_") is None
