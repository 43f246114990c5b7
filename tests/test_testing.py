"""Tests of mlkit.testing: every diagnosis fires on its mistake, right answers pass silently."""

import json
import re
import sys

import numpy as np
import pytest

import mlkit
import mlkit.testing as mt
from mlkit import MLP
from mlkit import losses as L
from mlkit.activations import sigmoid
from mlkit.datasets import make_moons
from mlkit.losses import bce as b
from mlkit.testing import (
    assert_close,
    assert_dtype_kind,
    assert_gradient,
    assert_gradients,
    assert_in_range,
    assert_labels,
    assert_not_calling,
    assert_shape,
    check,
    diagnose,
    uses_mlkit,
)

E = np.array([1.0, -2.0, 3.0, 4.0, 0.5])
M = np.arange(9.0).reshape(3, 3)
LABELS = np.array([0, 1, 1, 0, 1, 0, 0, 1])


def fails(match, func, *args, **kwargs):
    """Run a check that must fail; return its message."""
    with pytest.raises(AssertionError, match=match) as info:
        func(*args, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- check
def test_check_passes_and_fails_with_its_message():
    check(True, "unused")
    check(np.array([True, True]), "unused")
    fails("^w must be finite$", check, False, "w must be finite")
    fails("^all entries$", check, np.array([True, False]), "all entries")


@pytest.mark.parametrize("condition, what", [
    ((x > 5 for x in [1, 2]), "a generator, which always counts as true"),
    ((x > 5 for x in []), "a generator, which always counts as true"),
    (map(bool, [0]), "an iterator, which always counts as true"),
    ([False], "a list, which counts as true whenever it is not empty"),
    ((False, False), "a tuple, which counts as true whenever it is not empty"),
    ([], "a list, which counts as true whenever it is not empty"),
])
def test_check_refuses_collections_and_generators(condition, what):
    with pytest.raises(TypeError, match=rf"^check needs a bool; got {what}: use all\(\.\.\.\) "
                                        rf"\(or any\(\.\.\.\)\)\.$"):
        check(condition, "unused")
    check(all(x < 5 for x in [1, 2]), "unused")  # the fix


# ------------------------------------------------------------ assert_close: inputs
def test_right_values_pass_silently():
    assert assert_close(E.copy(), E) is None
    assert_close(E * (1 + 1e-8), E)
    assert_close([1, -2, 3, 4, 0.5], E)  # a list of numbers is array-like
    assert_close(np.array([np.nan, 1.0]), [np.nan, 1.0])  # NaN where NaN is expected
    assert_close(np.float64(0.25), 0.25)
    assert_close(0.25, np.array(0.25))  # python float against a 0-d array
    assert_close(np.array(0.25), 0.25, check_dtype=True)
    assert_close(LABELS.astype(bool), LABELS)


def test_none_asks_for_a_return_statement():
    fails(r"^sigmoid\(a\) returned None\. Did you forget a `return` statement\?$",
          assert_close, None, E, name="sigmoid(a)")


@pytest.mark.parametrize(("value", "found"), [
    ("0.5", r"got a str \('0\.5'\)"),
    (["a", "b"], r"got a list of 2 items \(the first is a str\)"),
    ({"loss": 1.0}, "got a dict"),
    (np.array([1 + 2j]), "got a NumPy array of dtype complex128"),
    (3 + 1j, "got a complex"),
])
def test_non_numeric_says_what_came_and_what_was_expected(value, found):
    msg = fails("^loss should be a NumPy array of numbers with shape", assert_close, value,
                E, name="loss")
    assert re.search(found, msg)
    fails(r"^loss should be a number; got a str", assert_close, "x", 1.0, name="loss")


def test_a_returned_tuple_is_named():
    fails(r"^loss should be a number; got a tuple of 2 items .*more than one value\?",
          assert_close, (0.5, np.zeros(3)), 0.5, name="loss")
    assert_close(np.array([1.0, 2.0], dtype=object), [1.0, 2.0])  # objects that are numbers


def test_dtype_is_checked_only_on_request():
    assert_close(E.astype(np.float32), E, rtol=1e-6)
    fails(r"^x has dtype float32, but float64 is expected \(use \.astype\(np\.float64\)\)",
          assert_close, E.astype(np.float32), E, name="x", check_dtype=True)


# ------------------------------------------------------------ assert_close: shapes
@pytest.mark.parametrize(("actual", "expected", "match"), [
    (np.ones((3, 2)), np.arange(6.0).reshape(2, 3), "dimensions in reverse order"),
    (np.arange(6.0).reshape(2, 3).T, np.arange(6.0).reshape(2, 3), r"looks transposed: use \.T"),
    (E[:, None], E, r"extra dimension of size 1 \(use \.ravel\(\) or \.reshape\(5,\)\)"),
    (E, E[:, None], r"missing a dimension of size 1 \(use \.reshape\(5, 1\)\)"),
    (np.array([2.0]), 2.0, r"extra dimension of size 1 \(use \.item\(\) or float"),
    (np.ones((1, 3, 1)), np.ones((3, 1, 1)), "size 1 in the wrong place"),
    (E[:, None] - E, E, r"broadcasting a \(5,\) array against a \(5, 1\) array"),
    (np.ones((5, 5)), np.ones((5, 1)), "broadcasting"),
    (E[:4], E, "one entry too few along axis 0 \\(off by one"),
    (np.ones((2, 4)), np.ones((2, 3)), "one entry too many along axis 1"),
])
def test_shape_mismatches_are_diagnosed(actual, expected, match):
    msg = fails(f"^out has shape {re.escape(str(np.shape(actual)))}, but the expected shape is "
                f"{re.escape(str(np.shape(expected)))}. It ", assert_close, actual, expected,
                name="out")
    assert re.search(match, msg)
    assert re.search(match, diagnose(actual, expected))


def test_unrelated_shapes_get_no_diagnosis():
    msg = fails("^out has shape", assert_close, np.ones((2, 7)), np.ones((4, 3)), name="out")
    assert msg.endswith("(4, 3).")
    assert diagnose(np.ones((2, 7)), np.ones((4, 3))) is None


# ------------------------------------------------------------ assert_close: NaN/inf
def test_nan_says_where_and_suggests_stability():
    bad = E.copy()
    bad[2] = np.nan
    bad[4] = np.inf
    fails(r"^loss contains 2 NaN/inf value\(s\) where finite values are expected \(the "
          r"first at index 2 is nan\)\..*log of 0, exp overflow", assert_close, bad, E,
          name="loss")
    fails(r"^loss contains 1 NaN/inf value\(s\) .*\(the first is -inf\)", assert_close,
          float("-inf"), 2.0, name="loss")
    fails(r"index \(1, 0\)", assert_close, np.array([[1.0], [np.nan]]), np.ones((2, 1)))


# ------------------------------------------------------------ assert_close: values
@pytest.mark.parametrize(("actual", "hint", "match"), [
    (5 * E, None, r"sum instead of a mean: it is 5 times the expected value .*n = 5"),
    (E * 64, 64, r"sum instead of a mean: .*n = 64\)"),
    (2 * E, 2, r"sum instead of a mean: it is 2 times"),  # the hint wins over "factor 2"
    (E / 32, None, r"mean instead of a sum: it is the expected value divided by 32"),
    # a known batch size (1 sample) that is not the factor: no 1/n story (a divide by d)
    (E / 3, 1, r"^is 1/3 of the expected value$"),
    (E * 6, 4, r"^is 6 times the expected value$"),
    (E * 10000, None, r"sum instead of a mean.*n = 10000"),
    (-E, None, r"has the wrong sign \(it is the negative of the expected value\)"),
    (-3 * E, None, r"has the wrong sign and looks like a sum instead of a mean"),
    (2 * E, None, r"off by a factor of 2: it is twice the expected value"),
    (E / 2, None, r"off by a factor of 2: it is half the expected value"),
    (1.37 * E, None, r"off by a constant factor: it is about 1\.37 times"),
    (-1.0001 * E, None, r"^has the wrong sign$"),
    (E + 0.5, None, r"off by a constant: every entry is 0\.5 larger than expected"),
    (E - 2, None, r"every entry is 2 smaller"),
])
def test_value_mistakes_are_diagnosed(actual, hint, match):
    msg = fails("^loss differs from the expected value in 5 of 5 entries", assert_close,
                actual, E, name="loss", n_samples=hint)
    assert re.search(match.lstrip("^").rstrip("$"), msg)
    assert re.search(match, diagnose(actual, E, n_samples=hint))


def test_values_message_names_the_worst_entry():
    actual = E.copy()
    actual[1], actual[3] = -2.1, 40.0
    msg = fails(r"^y_hat differs from the expected value in 2 of 5 entries \(rtol=1e-06, "
                r"atol=1e-08\)\. The largest difference is at index 3: got 40, expected 4\.$",
                assert_close, actual, E, name="y_hat")
    assert "It " not in msg  # no diagnosis fits: none is invented
    fails(r"at index \(0, 2\): got 6, expected 2\. It looks transposed: it equals the "
          r"transpose", assert_close, M.T, M, name="W")
    assert diagnose(M + M.T, M + M.T) is None  # symmetric: nothing to diagnose


def test_scalars():
    fails(r"^loss is 0\.5, but the expected value is 0\.25 \(rtol.*\)\. It is off by a factor "
          r"of 2", assert_close, 0.5, 0.25, name="loss")
    fails(r"^loss is 7\.5, but the expected value is 0\.25 .*30 times", assert_close,
          np.array(7.5), 0.25, name="loss")
    msg = fails(r"^loss is 0\.3, but the expected value is 0\.25 \(rtol=1e-06, atol=1e-08\)\.$",
                assert_close, 0.3, 0.25, name="loss")
    assert "factor" not in msg  # one number has a ratio to any other: not a diagnosis


def test_labels_flipped_shifted_and_off_by_one():
    fails("every 0/1 label flipped", assert_close, 1 - LABELS, LABELS, name="pred")
    classes = np.array([0, 2, 1, 3, 1, 0, 2, 3])
    fails("off by one position: the entries sit one place later", assert_close,
          np.r_[0, classes[:-1]], classes, name="pred")
    fails("off by one position: the entries sit one place earlier", assert_close,
          np.r_[classes[1:], 0], classes, name="pred")
    idx = np.array([3, 1, 2, 0, 4])
    fails("every entry is 1 larger than expected \\(1-based", assert_close, idx + 1, idx)
    fails("every entry is 1 smaller", assert_close, idx - 1, idx)
    fails(r"^argmax is 4, but the expected value is 3 .*1 larger", assert_close, 4, 3,
          name="argmax")
    # a single wrong label is not a shift, even if a shifted copy happens to match
    msg = fails("differs", assert_close, np.array([0, 0, 1, 1]), np.array([0, 0, 0, 1]))
    assert "position" not in msg


def test_no_shift_diagnosis_for_two_valued_labels_or_offsets():
    # 0/1 labels: a few wrong entries often equal a shifted copy by chance (XOR: [0, 0, 1, 1]
    # against [0, 1, 1, 0]); no "index arithmetic" story for them
    for a, e in (([0, 0, 1, 1], [0, 1, 1, 0]), ([0, 1, 0, 1], [0, 1, 1, 0]),
                 ([1, 1, 0, 1, 1, 0, 0, 0], [0, 1, 1, 0, 1, 1, 0, 0]),
                 (np.r_[0, LABELS[:-1]], LABELS)):
        msg = fails("differs", assert_close, np.array(a), np.array(e), name="predict(X)")
        assert "position" not in msg and diagnose(np.array(a), np.array(e)) is None
    # every entry 1 larger (or a constant larger) is an offset, even where it is also a shift
    assert diagnose([2.0, 3.0, 4.0], [1.0, 2.0, 3.0]).startswith("is off by one: every entry is 1 "
                                                               "larger")
    assert diagnose([1, 2, 3, 4], [0, 1, 2, 3]).startswith("is off by one: every entry is 1 larger")
    assert diagnose([0.5, 1.0, 1.5], [0.0, 0.5, 1.0]).startswith("is off by a constant: every "
                                                                 "entry is 0.5 larger")


def test_diagnose_returns_none_when_nothing_to_say():
    assert diagnose(E, E) is None
    assert diagnose("abc", E) is None
    assert diagnose([1.0, np.nan], [1.0, 2.0]) is None
    assert diagnose(np.zeros(0), np.zeros(0)) is None
    assert diagnose(np.array([1.0, 5.0, -2.0]), np.zeros(3)) is None
    assert diagnose(np.array([3.0, 1.0, 7.0]), np.array([1.0, 2.0, 3.0])) is None


# ----------------------------------------------------------- small helper checks
def test_assert_shape():
    assert_shape(np.zeros((3, 4)), (3, 4))
    assert_shape(np.zeros((3, 4)), (None, 4))
    assert_shape(np.zeros(7), 7)
    fails(r"^y_hat has shape \(3, 1\), but shape \(3,\) is expected\. It has an extra "
          r"dimension of size 1", assert_shape, np.zeros((3, 1)), (3,), name="y_hat")
    fails(r"^W has shape \(4, 3\), but shape \(3, 4\) is expected\. It looks transposed",
          assert_shape, np.zeros((4, 3)), (3, 4), name="W")
    fails(r"shape \(any, 4\) is expected\. It has one entry too many along axis 1",
          assert_shape, np.zeros((3, 5)), (None, 4))
    fails(r"^Z has shape \(3,\), but shape \(any, 4\) is expected\.$", assert_shape,
          np.zeros(3), (None, 4), name="Z")
    fails("^Z returned None", assert_shape, None, (3,), name="Z")


def test_assert_dtype_kind():
    assert_dtype_kind(np.zeros(3), "float")
    assert_dtype_kind(np.zeros(3, dtype=np.int32), "iu")
    assert_dtype_kind(True, "bool")
    fails(r"^pred must have an int dtype; got float64 \(use \.astype\(int\)\)\.$",
          assert_dtype_kind, np.zeros(3), "int", name="pred")
    fails(r"^p must have a float dtype; got int64 \(use \.astype\(float\)\)\.$",
          assert_dtype_kind, np.zeros(3, dtype=np.int64), "float", name="p")
    fails(r"^m must have a dtype of kind 'b'; got float64\.$", assert_dtype_kind,
          np.zeros(3), "b", name="m")


def test_assert_in_range():
    assert_in_range(np.array([0.0, 0.5, 1.0]), 0, 1)
    assert_in_range(0.5, 0, 1, inclusive=False)
    fails(r"^p must lie in \[0, 1\]; 2 value\(s\) do not \(the first at index 1 is 1\.2\)\.$",
          assert_in_range, np.array([0.2, 1.2, -0.1]), 0, 1, name="p")
    fails(r"^p must lie in \(0, 1\); 1 value\(s\) do not \(the first is 0\)", assert_in_range,
          0.0, 0, 1, name="p", inclusive=False)
    fails(r"^p must lie in \[0, 1\]; 1 value", assert_in_range, [np.nan], 0, 1, name="p")


def test_assert_labels():
    assert_labels(np.array([0, 1, 1]), {0, 1})
    assert_labels(np.array([True, False]), (0, 1))
    assert_labels(np.array([2.0, 0.0]), range(3))
    fails(r"^pred must contain only the labels \{0, 1\}; found \{-1, 1\} \(the first "
          r"unexpected value at index 0 is -1\)\. Use \(y \+ 1\) // 2", assert_labels,
          np.array([-1, 1]), {0, 1}, name="pred")
    fails(r"labels \{-1, 1\}; found \{0, 1\} .*Use 2 \* y - 1", assert_labels,
          np.array([0, 1]), [1, -1])
    fails(r"found \{0\.2, 0\.7\} .*look like probabilities", assert_labels,
          np.array([0.2, 0.7]), {0, 1})
    msg = fails(r"found \{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \.\.\.\} \(the first unexpected value "
                r"at index 2 is 2\)\.$", assert_labels, np.arange(12), {0, 1})
    assert "Use" not in msg
    fails(r"^c must contain only the labels \{0, 1\}; found \{5\} \(the first unexpected "
          r"value is 5\)", assert_labels, 5, {0, 1}, name="c")


# ------------------------------------------------------------------ gradients
X0 = np.array([[1.0, -2.0, 0.5], [0.3, 2.0, -1.5]])


def sum_of_squares(x):
    return float(np.sum(x ** 2))


def test_assert_gradient_passes_the_right_gradient_and_leaves_x_alone():
    x = X0.copy()
    assert_gradient(sum_of_squares, x, 2 * x)
    assert_gradient(lambda v: float(v ** 3), 2.0, 12.0)  # scalars
    assert_gradient(sum_of_squares, [1, 2], [2, 4])  # int lists: checked on a float copy
    np.testing.assert_array_equal(x, X0)


def test_assert_gradient_catches_a_sign_error_and_names_the_worst_entry():
    wrong = 2 * X0
    wrong[1, 1] *= -1
    fails(r"^dL/dx does not match the numerical gradient: relative error 1\.00e\+00 > "
          r"tolerance 1e-06\. The worst entry is at index \(1, 1\): analytic -4, numerical 4\.$",
          assert_gradient, sum_of_squares, X0, wrong, name="dL/dx")
    fails(r"worst entry is at index \(0, 0\).* It has the wrong sign", assert_gradient,
          sum_of_squares, X0, -2 * X0)
    # One number three times too small: a factor is named, but no 1/n story is guessed.
    fails(r"^gradient does not match .*The worst entry is: analytic 4, numerical 12\. It "
          r"is 1/3 of the expected value\.$", assert_gradient, lambda v: float(v ** 3), 2.0,
          4.0)


def test_no_sum_or_label_stories_for_single_numbers_or_one_class():
    # A scalar 20 times too large (2/lambda_min vs 2/lambda_max) is not a missing 1/n.
    assert mt.diagnose(2.0, 0.1) == "is 20 times the expected value"
    assert mt.diagnose(3.3, 1.0) is None  # no integer factor, and one number: no story
    # All ones against all zeros is not "every label flipped": there was one class only.
    assert "flipped" not in (mt.diagnose(np.ones(4), np.zeros(4)) or "")
    assert "flipped" in mt.diagnose(np.array([1, 0, 1.0]), np.array([0, 1, 0.0]))


def test_assert_gradient_diagnoses_factors_and_transposes():
    def mean_sq(x):
        return float(np.mean(x ** 2))

    fails("sum instead of a mean: it is 6 times", assert_gradient, mean_sq, X0, 2 * X0)
    fails("off by a factor of 2: it is half", assert_gradient, sum_of_squares, X0, X0)
    S = np.array([[1.0, 2.0], [-3.0, 0.5]])
    A = np.array([[0.2, -1.0], [0.7, 0.1]])
    fails("looks transposed", assert_gradient, lambda W: float(np.sum(W * A)), S, A.T)


def test_assert_gradient_checks_shape_none_and_nan():
    fails(r"^g has shape \(3, 2\), but a gradient has the shape of x, \(2, 3\)\. It looks "
          "transposed", assert_gradient, sum_of_squares, X0, 2 * X0.T, name="g")
    fails(r"^g has shape \(6,\), but a gradient has the shape of x, \(2, 3\)\.$",
          assert_gradient, sum_of_squares, X0, np.ones(6), name="g")
    fails("^g returned None", assert_gradient, sum_of_squares, X0, None, name="g")
    bad = 2 * X0
    bad[0, 2] = np.nan
    fails(r"^g contains 1 NaN/inf value\(s\) .*at index \(0, 2\)", assert_gradient,
          sum_of_squares, X0, bad, name="g")


@pytest.fixture
def net():
    """A tiny loss of two parameters and its correct gradients."""
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=2)}
    X = rng.normal(size=(4, 3))

    def f():
        A = X @ params["W"].T + params["b"]
        return float(np.mean(np.tanh(A) ** 2))

    A = X @ params["W"].T + params["b"]
    dA = 2 * np.tanh(A) * (1 - np.tanh(A) ** 2) / A.size
    return f, params, {"W": dA.T @ X, "b": dA.sum(axis=0)}


def test_assert_gradients_passes_and_names_the_failing_parameter(net):
    f, params, grads = net
    assert_gradients(f, params, grads)
    msg = fails(r"^grads\['b'\] does not match the numerical gradient: relative error "
                r"1\.00e\+00 > tolerance 1e-07\. The worst entry is at index [01]: .* It has "
                r"the wrong sign", assert_gradients, f, params, {**grads, "b": -grads["b"]})
    assert "b              1.00e+00" in msg and "<-- FAILED" in msg  # the report table
    fails(r"^dparams\['W'\] .*sum instead of a mean: it is 4 times .* Also failing: b\.\n",
          assert_gradients, f, params, {"W": 4 * grads["W"], "b": 2 * grads["b"]},
          name="dparams")


@pytest.mark.parametrize("grads, found", [((np.ones(2),), "tuple"), (None, "NoneType"),
                                           ([np.ones(2)], "list"), (np.ones(2), "ndarray")])
def test_assert_gradients_needs_a_dict(grads, found):
    fails(rf"^dparams should be a dict with the keys \['W'\]; got {found}\.$", assert_gradients,
          lambda: 0.0, {"W": np.ones(2)}, grads, name="dparams")


def test_assert_gradients_passes_tiny_right_entries_and_catches_small_bugs():
    # entries of ~1e-6: centered differences (h = 1e-5) carry ~1e-12 of rounding noise, a
    # relative error ~1e-6 that says nothing; an error above the noise is still caught
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    w = rng.normal(size=3)
    params = {"w": w, "b": np.zeros(1)}
    scale = np.array([1.0, 1e-6, 3e-7])

    def f():
        return float(np.mean(np.tanh(X @ (scale * params["w"]) + params["b"])) + 0.7)

    t = np.tanh(X @ (scale * w))
    dz = (1 - t**2) / X.shape[0]
    grads = {"w": scale * (X.T @ dz), "b": np.array([dz.sum()])}
    assert np.abs(grads["w"][1:]).min() < 1e-6
    for tol in (1e-7, 1e-6):
        assert_gradients(f, params, grads, tol=tol)
        assert_gradient(lambda v: float(np.mean(np.tanh(X @ (scale * v)))), w, grads["w"], tol=tol)
    fails(r"^grads\['w'\] does not match", assert_gradients, f, params,
          {**grads, "w": grads["w"] * [1.001, 1, 1]}, tol=1e-6)
    fails(r"^grads\['b'\] does not match", assert_gradients, f, params,
          {**grads, "b": grads["b"] * 1.001}, tol=1e-6)


def test_assert_gradients_of_lecture_05s_network_with_a_tiny_entry():
    # seed 2: W2 has an entry of -1.05e-6 whose centered difference is off by 7e-12 (rounding
    # alone), a relative error of 1.8e-6; the right gradients must pass at the assignments' 1e-6
    X, y = make_moons(n_samples=40, noise=0.2, seed=2)
    net = MLP(hidden_sizes=(6, 4), activation="tanh", learning_rate=0.05, epochs=20,
              batch_size=40, seed=2).fit(X, y)
    _, grads = net.loss_and_gradients(X, y)
    assert np.abs(grads["W2"]).min() < 2e-6

    def f():
        return net.loss_and_gradients(X, y)[0]

    assert_gradients(f, net.params_, grads, tol=1e-6)
    assert_gradients(f, net.params_, grads)
    fails(r"^grads\['W2'\] does not match .* It is off by a factor of 2: it is twice",
          assert_gradients, f, net.params_, {**grads, "W2": 2 * grads["W2"]}, tol=1e-6)
    b1 = grads["b1"].copy()
    b1[np.argmax(np.abs(b1))] *= 1.001
    fails(r"^grads\['b1'\] does not match", assert_gradients, f, net.params_,
          {**grads, "b1": b1}, tol=1e-6)


def test_assert_gradients_checks_keys_shapes_and_values(net):
    f, params, grads = net
    fails(r"^grads has no gradient for \['b'\]; it needs one entry per parameter, with the "
          r"keys \['W', 'b'\]\.$", assert_gradients, f, params, {"W": grads["W"]})
    fails(r"^grads has no gradient for \['W'\]", assert_gradients, f, params,
          {"W": None, "b": grads["b"]})
    fails(r"^grads\['W'\] has shape \(3, 2\), but the parameter has shape \(2, 3\)\. It looks "
          "transposed", assert_gradients, f, params, {**grads, "W": grads["W"].T})
    fails(r"^grads\['W'\] has shape \(6,\), but the parameter has shape \(2, 3\)\.$",
          assert_gradients, f, params, {**grads, "W": np.ones(6)})
    fails(r"^grads\['b'\] should be a NumPy array of numbers with shape \(2,\); got a str",
          assert_gradients, f, params, {**grads, "b": "db"})
    fails(r"^grads\['b'\] contains 1 NaN", assert_gradients, f, params,
          {**grads, "b": np.array([0.0, np.nan])})


# ---------------------------------------------------- assert_not_calling / uses_mlkit
P = np.array([0.2, 0.9, 0.6])
Y = np.array([0.0, 1.0, 1.0])
NOT_YOURS = ("; this exercise asks you to implement it yourself (you may read mlkit's code, "
             "but not call it).")


def my_bce_clean(p, y):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def my_bce_direct(p, y):
    return mlkit.losses.bce(p, y)[0]


def my_bce_alias(p, y):
    return b(p, y)[0]


def my_bce_nested(p, y):  # two levels of own helpers before the call into mlkit
    return _level_one(p, y)


def _level_one(p, y):
    return _level_two(p, y)


def _level_two(p, y):
    return L.bce(p, y)[0]


def test_clean_function_passes_and_returns_its_result():
    assert assert_not_calling(my_bce_clean, P, Y) == pytest.approx(b(P, Y)[0])
    assert assert_not_calling(lambda *, p: p, p=3) == 3  # keyword arguments are passed on
    assert uses_mlkit(my_bce_clean) == []


def test_direct_aliased_and_nested_calls_are_caught():
    msg = fails("^my_bce_direct: your function called mlkit.losses.bce; ", assert_not_calling,
                my_bce_direct, P, Y)
    assert msg.endswith(NOT_YOURS)
    fails(re.escape("my_bce_alias: your function called mlkit.losses.bce" + NOT_YOURS),
          assert_not_calling, my_bce_alias, P, Y)
    fails(r"^my_bce_nested: your function called mlkit\.losses\.bce \(inside _level_two\);",
          assert_not_calling, my_bce_nested, P, Y)


def test_calls_through_numpy_callbacks_and_methods_are_caught():
    fails(r"called mlkit\.activations\.sigmoid \(inside apply_along_axis\)", assert_not_calling,
          lambda a: np.apply_along_axis(sigmoid, 0, a), P)
    fails(r"called mlkit\.activations\.sigmoid", assert_not_calling,
          lambda a: np.frompyfunc(sigmoid, 1, 1)(a), P)  # called back from C
    fails(r"^<lambda>: your function called mlkit\.mlp\.MLP\.__init__", assert_not_calling,
          lambda: mlkit.MLP())


def test_allowed_modules_and_other_packages():
    assert_not_calling(lambda: assert_close(1.0, 1.0))  # mlkit.testing is allowed
    fails(r"called mlkit\.testing\.assert_close", assert_not_calling,
          lambda: assert_close(1.0, 1.0), allowed=())
    assert assert_not_calling(json.dumps, [1]) == "[1]"
    fails(r"^dumps: your function called json\.dumps; this exercise .*you may read json's code",
          assert_not_calling, json.dumps, [1], forbidden="json")


def test_an_error_after_a_forbidden_call_is_chained():
    def crash(p, y):
        b(p, y)
        raise KeyError("later")

    with pytest.raises(AssertionError, match="called mlkit.losses.bce") as info:
        assert_not_calling(crash, P, Y)
    assert isinstance(info.value.__cause__, KeyError)
    with pytest.raises(ZeroDivisionError):  # a clean function's own error passes through
        assert_not_calling(lambda: 1 / 0)


def test_a_previous_profiler_is_chained_and_restored():
    events = []

    def profiler(frame, event, arg):
        events.append((frame.f_code.co_name, event))

    old = sys.getprofile()
    sys.setprofile(profiler)
    try:
        assert_not_calling(my_bce_clean, P, Y)
        assert sys.getprofile() is profiler
        with pytest.raises(AssertionError):
            assert_not_calling(my_bce_alias, P, Y)
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(old)
    assert ("my_bce_clean", "call") in events and ("bce", "call") in events
    tracer = sys.gettrace()  # coverage's tracer (if measuring) is left alone
    assert_not_calling(my_bce_clean, P, Y)
    assert sys.getprofile() is old and sys.gettrace() is tracer


def test_watcher_judges_functions_not_module_or_class_bodies():
    # Called directly: coverage cannot see code running inside a profiler callback.
    seen = []
    watcher = mt._CallWatcher(("mlkit",), mt._ALLOWED, lambda *event: seen.append(event[1]))
    body = compile("x = 1", mlkit.losses.__file__, "exec")
    assert watcher.judge(body, {}) == ""  # importing a module is not calling it
    assert watcher.judge(b.__code__, {}) == "mlkit.losses.bce"
    assert watcher.judge(assert_close.__code__, {}) == ""
    assert watcher.judge(json.dumps.__code__, {"__name__": "json"}) == ""
    assert watcher.judge(my_bce_clean.__code__, {"__name__": "mlkit.fake"}) == "mlkit.fake." \
        "my_bce_clean"
    assert mt._module_of(mlkit.__file__) == "mlkit"
    assert mt._module_of("<ipython-input-1>") is None

    frame = sys._getframe()
    watcher(frame, "return", None)
    watcher(frame, "call", None)
    assert watcher.hit is None
    watcher.judge = lambda code, f_globals: "mlkit.fake"
    watcher.verdicts.clear()
    watcher(frame, "call", None)
    assert (watcher.hit, watcher.caller) == ("mlkit.fake", frame.f_back.f_code.co_qualname)
    assert seen == ["return", "call", "call"]  # the previous profiler saw every event


def test_uses_mlkit_finds_names_statically():
    assert uses_mlkit(my_bce_direct) == ["mlkit.losses.bce"]
    assert uses_mlkit(my_bce_alias) == ["mlkit.losses.bce"]
    assert uses_mlkit(my_bce_nested) == ["mlkit.losses.bce"]  # through own helpers
    assert uses_mlkit(lambda: mlkit.MLP) == ["mlkit.mlp.MLP"]
    assert uses_mlkit(lambda: mlkit) == ["mlkit"]
    assert uses_mlkit(lambda: check(True, "ok")) == []  # mlkit.testing is allowed
    assert uses_mlkit(lambda: check, allowed=()) == ["mlkit.testing.check"]
    assert uses_mlkit(len) == []

    f_loss = b

    def closure(p, y):
        return [f_loss(p, y) for _ in range(2)]  # in a nested code object

    def recursive(n):
        return recursive(n - 1) if n else mlkit.optim

    def late():
        return later  # noqa: F821 - an empty closure cell

    assert uses_mlkit(closure) == ["mlkit.losses.bce"]
    assert uses_mlkit(recursive) == ["mlkit.optim"]
    assert uses_mlkit(late) == []
    later = 1  # noqa: F841
    assert uses_mlkit(mlkit.MLP().fit) == []  # the method's own globals are mlkit's

    def model_user():
        return MODEL.predict

    assert uses_mlkit(model_user) == ["mlkit.mlp.MLP"]


MODEL = mlkit.MLP()


# ----------------------------------------------------------------------- substitute
def test_substitute_replaces_and_restores_names():
    ns = {"f": "student", "g": 1}
    with mt.substitute(ns, f="reference", new="added"):
        assert ns["f"] == "reference" and ns["new"] == "added"
    assert ns == {"f": "student", "g": 1}


def test_substitute_restores_after_an_error():
    ns = {"f": "student"}
    with pytest.raises(RuntimeError), mt.substitute(ns, f="reference"):
        raise RuntimeError("boom")
    assert ns == {"f": "student"}


def test_not_calling_forbids_one_function_by_its_dotted_name():
    from mlkit import activations, losses

    def uses_sigmoid(a):
        return activations.sigmoid(a)

    def uses_bce(a, y):
        return losses.bce_with_logits(a, y)

    # Only mlkit.losses.bce_with_logits is forbidden: calling sigmoid is fine.
    mt.assert_not_calling(uses_sigmoid, np.zeros(2), forbidden=("mlkit.losses.bce",))
    with pytest.raises(AssertionError, match="mlkit.losses.bce_with_logits"):
        mt.assert_not_calling(uses_bce, np.zeros(2), np.zeros(2),
                                   forbidden=("mlkit.losses.bce_with_logits",))


def test_counting_gradient_counts_and_stops_a_search_that_never_ends():
    from mlkit.testing import CountingGradient

    grad = CountingGradient([[2.0, 0.0], [0.0, 3.0]], budget=2, message="over {budget}")
    assert grad(np.array([1.0, 1.0])).tolist() == [2.0, 3.0]
    grad(np.zeros(2))
    assert grad.calls == 2
    with pytest.raises(AssertionError, match="^over 2$"):
        grad(np.zeros(2))
