"""Tests of mlkit.gradcheck, against known derivatives and an independent centered
difference written here (it copies x instead of perturbing it in place)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlkit import MLP
from mlkit.datasets import make_moons
from mlkit.gradcheck import (
    GradCheckReport,
    ParamResult,
    check_gradients,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
    rounding_noise,
)


def independent_central_diff(f, x, h=1e-5):
    """d f / d x by centered differences on copies of x (independent of mlkit)."""
    grad = np.empty(x.shape)
    for k in range(x.size):
        i = np.unravel_index(k, x.shape)
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad


# ---------------------------------------------------------------- numerical_gradient
def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    # d/dx sum(x^2) = 2x
    assert rel_error(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x) < 1e-9
    # d/dx sum(sin x) = cos x
    assert rel_error(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x)) < 1e-9
    # d/dx (x_00 * x_11) = x_11 at (0, 0), x_00 at (1, 1), 0 elsewhere
    np.testing.assert_allclose(numerical_gradient(lambda v: v[0, 0] * v[1, 1], x),
                               [[3.0, 0.0], [0.0, 1.0]], atol=1e-10)
    # f(x, y, z) = (x + y) z at (-2, 5, -4): df/dx = df/dy = z = -4, df/dz = x + y = 3
    xyz = np.array([-2.0, 5.0, -4.0])
    np.testing.assert_allclose(numerical_gradient(lambda v: (v[0] + v[1]) * v[2], xyz),
                               [-4.0, -4.0, 3.0], rtol=1e-9)


def test_numerical_gradient_uses_h():
    # ((x + h)^3 - (x - h)^3) / (2h) = 3x^2 + h^2 exactly: the error is O(h^2)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x, h=0.1),
                               3 * x**2 + 0.01, rtol=1e-12)


def test_numerical_gradient_of_a_0d_and_an_empty_array():
    assert numerical_gradient(lambda v: float(v) ** 2, np.array(3.0)) == pytest.approx(6.0)
    empty = numerical_gradient(lambda v: 1.0, np.zeros((0, 3)))
    assert empty.shape == (0, 3)


def test_numerical_gradient_perturbs_in_place_and_restores_x_exactly():
    x = np.array([0.1, 1 / 3, -7.123456789])
    x_before = x.copy()
    seen = []

    def f(v):
        assert v is x  # the very array, perturbed in place
        seen.append(v.copy())
        return float(np.sum(v**2))

    numerical_gradient(f, x)
    assert np.array_equal(x, x_before)  # bit for bit, not just close
    assert len(seen) == 2 * x.size
    np.testing.assert_array_equal(seen[0], x_before + [1e-5, 0, 0])
    np.testing.assert_array_equal(seen[1], x_before - [1e-5, 0, 0])


@pytest.mark.parametrize("x, found", [
    (np.array([1, 2, 3]), "ndarray of dtype int64"),
    ([1.0, 2.0], "list"),
    (np.array([True]), "ndarray of dtype bool"),
])
def test_numerical_gradient_needs_a_float_array(x, found):
    with pytest.raises(TypeError, match=rf"^x must be a float NumPy array \(it is perturbed "
                                        rf"in place\); got {found}\. Use "
                                        r"np\.asarray\(x, dtype=float\)\.$"):
        numerical_gradient(lambda v: 0.0, x)


@settings(deadline=None, max_examples=50)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 4)),
              elements=st.floats(-3.0, 3.0)))
def test_numerical_gradient_agrees_with_an_independent_implementation(x):
    def f(v):
        return float(np.sum(np.tanh(v) * np.arange(v.size).reshape(v.shape)) + np.sum(v) ** 2)

    np.testing.assert_allclose(numerical_gradient(f, x), independent_central_diff(f, x),
                               rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- numerical_gradient_array
def test_numerical_gradient_array_is_the_gradient_of_sum_f_times_dout():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    dout = rng.normal(size=(3, 4))
    # f(x) = x^2 element-wise: d sum(x^2 * dout) / dx = 2 x dout
    np.testing.assert_allclose(numerical_gradient_array(lambda v: v**2, x, dout), 2 * x * dout,
                               rtol=1e-8)
    # f(x) = W @ x (a matrix times a vector): d sum((W x) dout) / dx = W^T dout
    W = rng.normal(size=(5, 4))
    v = rng.normal(size=4)
    d5 = rng.normal(size=5)
    num = numerical_gradient_array(lambda u: W @ u, v, d5)
    assert rel_error(num, W.T @ d5) < 1e-8
    expected = independent_central_diff(lambda u: np.sum((W @ u) * d5), v)
    np.testing.assert_allclose(num, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_numerical_gradient_refuses_float32_and_float16(dtype):
    # in float32, 1.0 + 1e-5 rounds to 1.0000100136: the differences are mostly rounding
    with pytest.raises(TypeError, match=rf"^gradient checking needs float64 parameters \(with "
                                        rf"{np.dtype(dtype)}, a step h=1e-5 is lost to "
                                        rf"rounding\); check a float64 model, e\.g\. "
                                        rf"MLP\(dtype=np\.float64\)\.$"):
        numerical_gradient(lambda v: float(np.sum(v)), np.ones(3, dtype=dtype))
    with pytest.raises(TypeError, match="a step h=0.001 is lost"):
        numerical_gradient_array(lambda v: v, np.ones(3, dtype=dtype), np.ones(3), h=1e-3)
    X, y = make_moons(n_samples=10, noise=0.2, seed=0)
    net = MLP(hidden_sizes=(3,), epochs=1, seed=0, dtype=np.float32).fit(X, y)
    _, grads = net.loss_and_gradients(X, y)
    with pytest.raises(TypeError, match="needs float64 parameters"):
        check_gradients(lambda: net.loss_and_gradients(X, y)[0], net.params_, grads)


def test_numerical_gradient_array_type_error():
    with pytest.raises(TypeError, match=r"^x must be a float NumPy array"):
        numerical_gradient_array(lambda v: v, np.arange(3), np.ones(3))


# ---------------------------------------------------------------- rel_error
def test_rel_error_formula():
    # |1 - 1.1| / (1 + 1.1) = 0.1 / 2.1
    assert rel_error(np.array([1.0]), np.array([1.1])) == pytest.approx(0.1 / 2.1)
    # the maximum over the entries: max(0/2, 1/5) = 0.2
    assert rel_error([1.0, 2.0], [1.0, 3.0]) == pytest.approx(0.2)
    # a sign error gives exactly 1: |x - (-x)| / (|x| + |-x|)
    assert rel_error([0.3], [-0.3]) == 1.0
    # tiny values: the denominator is floored at 1e-8, so 1e-9 vs 0 is 1e-9 / 1e-8 = 0.1
    assert rel_error([0.0], [1e-9]) == pytest.approx(0.1)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(2.0, 2.0) == 0.0  # scalars
    assert rel_error(np.array([]), np.array([])) == 0.0
    assert isinstance(rel_error([1.0], [2.0]), float)


def test_rel_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"^rel_error needs equal shapes; got \(2,\) and "
                                         r"\(3,\)\.$"):
        rel_error(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"got \(2, 3\) and \(3, 2\)"):
        rel_error(np.ones((2, 3)), np.ones((3, 2)))


# ---------------------------------------------------------------- check_gradients
def least_squares_problem(seed=0):
    """L = 1/2 sum((X W^T + b - Y)^2), its parameters and its right gradients."""
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=2)}

    def loss():
        R = X @ params["W"].T + params["b"] - Y
        return 0.5 * float(np.sum(R * R))

    R = X @ params["W"].T + params["b"] - Y
    grads = {"W": R.T @ X, "b": R.sum(axis=0)}
    return loss, params, grads


def test_check_gradients_passes_a_right_gradient():
    loss, params, grads = least_squares_problem()
    before = {k: v.copy() for k, v in params.items()}
    report = check_gradients(loss, params, grads)
    assert isinstance(report, GradCheckReport)
    assert report.passed
    assert [r.name for r in report.results] == ["W", "b"]
    assert all(isinstance(r, ParamResult) and r.rel_error < 1e-7 for r in report.results)
    report.raise_if_failed()  # returns quietly
    assert "FAILED" not in str(report)
    for k in params:
        assert np.array_equal(params[k], before[k])  # every parameter restored


def test_check_gradients_names_the_parameter_and_entry_of_a_sign_error():
    loss, params, grads = least_squares_problem()
    right = grads["W"][1, 2]
    grads["W"][1, 2] = -right  # one entry with the wrong sign
    report = check_gradients(loss, params, grads)
    assert not report.passed
    worst = report.worst
    assert worst.name == "W"
    assert worst.worst_index == (1, 2)
    assert worst.rel_error == pytest.approx(1.0)  # |-g - g| / (|g| + |g|)
    assert worst.analytic == -right
    assert worst.numeric == pytest.approx(right, rel=1e-7)
    assert report.results[1].name == "b" and report.results[1].rel_error < 1e-7
    text = str(report)
    lines = text.splitlines()
    assert lines[0].split() == ["parameter", "rel.", "error", "worst", "entry", "analytic",
                                "numerical"]
    assert lines[1].startswith("W") and lines[1].endswith("<-- FAILED")
    assert "(1, 2)" in lines[1]
    assert lines[2].startswith("b") and "FAILED" not in lines[2]
    with pytest.raises(AssertionError, match=rf"^Gradient check failed for W: relative error "
                                             rf"1\.00e\+00 > tolerance 1e-07; worst entry "
                                             rf"W\[1, 2\]: analytic {-right:.6g}, numerical "
                                             rf"{right:.6g}\.\n") as info:
        report.raise_if_failed()
    assert text in str(info.value)  # the table follows the message


def test_check_gradients_tolerance():
    # a gradient 1e-6 too large in one entry: relative error ~ 1e-6 / (2 |g|)
    loss, params, grads = least_squares_problem(seed=1)
    grads["b"] = grads["b"] * (1 + 2e-6)
    assert not check_gradients(loss, params, grads).passed
    assert check_gradients(loss, params, grads, tol=1e-5).passed
    assert check_gradients(loss, params, grads, tol=1e-5).tol == 1e-5


def test_check_gradients_accepts_a_parameter_without_entries():
    report = check_gradients(lambda: 1.0, {"e": np.zeros(0)}, {"e": np.zeros(0)})
    assert report.passed
    assert report.results == [ParamResult("e", 0.0, (), 0.0, 0.0)]


def test_check_gradients_missing_gradient():
    loss, params, grads = least_squares_problem()
    del grads["b"]
    with pytest.raises(ValueError, match=r"^grads has no entry for the parameter\(s\) "
                                         r"\['b'\]\.$"):
        check_gradients(loss, params, grads)


def test_check_gradients_wrong_shape():
    loss, params, grads = least_squares_problem()
    grads["W"] = grads["W"].T
    with pytest.raises(ValueError, match=r"^grads\['W'\] has shape \(3, 2\) but the parameter "
                                         r"has shape \(2, 3\); a gradient must have the shape "
                                         r"of its parameter\.$"):
        check_gradients(loss, params, grads)


def test_check_gradients_of_the_seed_example():
    # f = (x + y) z at x = -2, y = 5, z = -4: df/dx = df/dy = z = -4, df/dz = x + y = 3
    params = {"x": np.array(-2.0), "y": np.array(5.0), "z": np.array(-4.0)}

    def f():
        return float((params["x"] + params["y"]) * params["z"])

    report = check_gradients(f, params, {"x": -4.0, "y": -4.0, "z": 3.0})
    assert report.passed
    bad = check_gradients(f, params, {"x": -4.0, "y": 4.0, "z": 3.0})
    assert bad.worst.name == "y" and bad.worst.worst_index == ()
    assert math.isclose(bad.worst.numeric, -4.0, rel_tol=1e-9)


def test_rounding_noise():
    eps = np.finfo(np.float64).eps
    assert rounding_noise(0.4) == pytest.approx(10 * eps / 1e-5)  # max(1, |f|) = 1
    assert rounding_noise(-50.0, h=1e-4) == pytest.approx(10 * eps * 50 / 1e-4)
    assert rounding_noise(np.array([2.0])) == pytest.approx(10 * eps * 2 / 1e-5)
    assert rounding_noise(np.nan) == 0.0 and rounding_noise(np.inf) == 0.0
    # a loss that is not a number (the check then reports it): no floor at all
    assert rounding_noise("0.4x") == 0.0 and rounding_noise(None) == 0.0


def lecture_05_network(seed):
    """Lecture 05's check: a 2-6-4-1 tanh MLP on 40 moons, its loss and its gradients."""
    X, y = make_moons(n_samples=40, noise=0.2, seed=seed)
    net = MLP(hidden_sizes=(6, 4), activation="tanh", learning_rate=0.05, epochs=20,
              batch_size=40, seed=seed).fit(X, y)
    _, grads = net.loss_and_gradients(X, y)
    return (lambda: net.loss_and_gradients(X, y)[0]), net.params_, grads


def test_check_gradients_ignores_rounding_noise_in_tiny_entries():
    # seed 2: W2[3, 5] = -1.05e-6; its centered difference is off by ~7e-12 from rounding
    # alone, a relative error of 1.8e-6 that used to fail the check of a right gradient
    loss, params, grads = lecture_05_network(seed=2)
    assert abs(grads["W2"][3, 5]) < 2e-6
    report = check_gradients(loss, params, grads)
    assert report.noise == pytest.approx(rounding_noise(loss()))
    assert report.passed, str(report)
    assert "rounding noise" in str(report).splitlines()[-1]
    for seed in (8, 24):  # two more with relative errors of ~2e-7 from rounding
        assert check_gradients(*lecture_05_network(seed)).passed


def test_check_gradients_still_catches_small_bugs_next_to_tiny_entries():
    loss, params, grads = lecture_05_network(seed=2)
    doubled = check_gradients(loss, params, {**grads, "W2": 2 * grads["W2"]})
    assert [r.name for r in doubled.results if r.rel_error > doubled.tol] == ["W2"]
    assert doubled.worst.rel_error == pytest.approx(1 / 3, rel=1e-3)  # |2g - g| / (3 |g|)
    b1 = grads["b1"].copy()
    i = int(np.argmax(np.abs(b1)))
    b1[i] *= 1.001  # 0.1 % off in one entry of moderate size
    off = check_gradients(loss, params, {**grads, "b1": b1})
    assert not off.passed
    assert off.worst.name == "b1" and off.worst.worst_index == (i,)
    assert off.worst.rel_error == pytest.approx(0.0005, rel=1e-2)
    # a tiny entry wrong by more than the noise is still caught
    W2 = grads["W2"].copy()
    W2[3, 5] += 50 * rounding_noise(loss())
    assert not check_gradients(loss, params, {**grads, "W2": W2}).passed


def test_check_gradients_shows_the_worst_raw_entry_when_all_agree_within_noise():
    params = {"w": np.array([1.0, 2.0])}
    report = check_gradients(lambda: float(params["w"][0] * 1e-9 + params["w"][1] * 3e-9),
                             params, {"w": np.array([1.1e-9, 3e-9])})
    # the report shows the real relative error (1%, far above tol) but passes the entry,
    # whose difference 1e-10 is within the rounding noise, and says why
    assert report.passed and report.results[0].passed
    assert report.results[0].rel_error == pytest.approx(0.01, rel=1e-6)
    assert report.results[0].worst_index == (0,)  # the entry of largest raw relative error
    assert "FAILED" not in str(report) and "rounding noise" in str(report)
