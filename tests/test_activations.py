"""Tests of mlkit.activations: values, derivatives, extreme inputs, dtypes and laws."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlkit import activations as act
from mlkit.activations import (
    ACTIVATIONS,
    get_activation,
    log_softmax,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    tanh,
)
from mlkit.gradcheck import rel_error

H = 1e-5
# Points away from the kinks at 0 (ReLU, leaky ReLU, step) and inside [-5, 5], where the
# centered difference in float64 is accurate to far better than 1e-7.
POINTS = np.array([-4.2, -2.5, -1.3, -0.7, -0.2, 0.3, 0.9, 1.6, 2.8, 4.5])
EXTREME = np.array([-1e4, -1e3, -1.0, 0.0, 1.0, 1e3, 1e4])


def central_diff(f, a, h=H):
    """Element-wise centered difference of an element-wise function (independent of
    mlkit.gradcheck)."""
    return (f(a + h) - f(a - h)) / (2.0 * h)


def no_float_errors():
    """Turn overflow, divide-by-zero and invalid-value warnings into exceptions (underflow
    to 0 is harmless and allowed), independently of pytest's filterwarnings setting."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


# ---------------------------------------------------------------- registry
def test_activations_names_and_get_activation_return_the_pairs():
    assert ACTIVATIONS == ("sigmoid", "tanh", "relu", "leaky_relu", "silu", "gelu", "step",
                           "identity")
    for name in ACTIVATIONS:
        f, f_grad = get_activation(name)
        assert f is getattr(act, name)
        assert f_grad is getattr(act, name + "_grad")


@pytest.mark.parametrize("bad", ["sigmoidd", "softmax", "ReLU", None, ["relu"]])
def test_get_activation_unknown_name(bad):
    with pytest.raises(ValueError, match=r"Unknown activation .*; choose one of sigmoid, tanh, "
                                         r"relu, leaky_relu, silu, gelu, step, identity\."):
        get_activation(bad)


def test_get_activation_message_shows_the_name():
    with pytest.raises(ValueError, match=r"^Unknown activation 'sigmoidd';"):
        get_activation("sigmoidd")


def test_all_public_names_exist():
    for name in act.__all__:
        assert hasattr(act, name)


# ---------------------------------------------------------------- derivatives
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_derivative_matches_centered_difference(name):
    f, f_grad = get_activation(name)
    numeric = central_diff(f, POINTS)
    analytic = f_grad(POINTS)
    assert analytic.shape == POINTS.shape
    assert rel_error(analytic, numeric) < 1e-7, (name, analytic, numeric)


@pytest.mark.parametrize("alpha", [0.01, 0.2, 1.5])
def test_leaky_relu_derivative_with_alpha(alpha):
    numeric = central_diff(lambda a: act.leaky_relu(a, alpha), POINTS)
    assert rel_error(act.leaky_relu_grad(POINTS, alpha), numeric) < 1e-7


def test_derivatives_keep_the_shape_of_a_matrix():
    a = POINTS.reshape(2, 5)
    for name in ACTIVATIONS:
        f, f_grad = get_activation(name)
        assert f(a).shape == (2, 5)
        assert f_grad(a).shape == (2, 5)
        np.testing.assert_array_equal(f_grad(a), f_grad(POINTS).reshape(2, 5))


def test_softmax_jacobian_matches_finite_differences_of_softmax():
    a = np.array([0.5, -1.0, 2.0, 0.0])
    k = a.size
    numeric = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = H
        numeric[:, j] = (softmax(a + e) - softmax(a - e)) / (2 * H)  # column j = ds/da_j
    J = softmax_jacobian(a)
    assert J.shape == (k, k)
    assert rel_error(J, numeric) < 1e-7


def test_softmax_jacobian_batched_is_symmetric_with_zero_row_sums():
    A = np.array([[0.5, -1.0, 2.0], [3.0, 3.0, -2.0]])
    J = softmax_jacobian(A)
    assert J.shape == (2, 3, 3)
    for i in range(2):
        np.testing.assert_allclose(J[i], softmax_jacobian(A[i]), rtol=0, atol=1e-15)
    np.testing.assert_allclose(J, np.swapaxes(J, -1, -2), rtol=0, atol=1e-15)
    # the softmax outputs always sum to 1, so the derivative of the sum is 0
    np.testing.assert_allclose(J.sum(axis=-2), 0.0, atol=1e-15)


def test_softmax_jacobian_by_hand():
    # a = [0, 0]: s = [1/2, 1/2]; J_ij = s_i (delta_ij - s_j) = [[1/4, -1/4], [-1/4, 1/4]]
    np.testing.assert_allclose(softmax_jacobian(np.zeros(2)),
                               [[0.25, -0.25], [-0.25, 0.25]], rtol=0, atol=1e-15)


# ---------------------------------------------------------------- worked values
def test_sigmoid_and_tanh_by_hand():
    # sigma(0) = 1/2; sigma(ln 3) = 1 / (1 + 1/3) = 3/4; sigma'(ln 3) = 3/4 * 1/4 = 3/16
    np.testing.assert_allclose(sigmoid(np.array([0.0, math.log(3.0)])), [0.5, 0.75])
    np.testing.assert_allclose(sigmoid_grad(np.array([0.0, math.log(3.0)])), [0.25, 3 / 16])
    # tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5; tanh'(ln 2) = 1 - 9/25 = 16/25
    np.testing.assert_allclose(tanh(math.log(2.0)), 0.6)
    np.testing.assert_allclose(act.tanh_grad(math.log(2.0)), 0.64)


def test_relu_family_step_and_identity_by_hand():
    a = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu(a), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_grad(a), [0.0, 0.0, 1.0])  # subgradient 0 at 0
    # alpha = 0.1: -2 -> -0.2, 3 -> 3; slopes 0.1 and 1 (0 counts as the negative side)
    np.testing.assert_allclose(act.leaky_relu(a, alpha=0.1), [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu_grad(a, alpha=0.1), [0.1, 0.1, 1.0])
    np.testing.assert_allclose(act.leaky_relu(np.array([-100.0])), [-1.0])  # default 0.01
    np.testing.assert_array_equal(act.step(a), [0.0, 1.0, 1.0])  # step(0) = 1: a >= 0
    np.testing.assert_array_equal(act.step_grad(a), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(act.identity(a), a)
    np.testing.assert_array_equal(act.identity_grad(a), [1.0, 1.0, 1.0])


def test_identity_returns_a_copy():
    a = np.array([1.0, 2.0])
    z = act.identity(a)
    z[0] = 5.0
    assert a[0] == 1.0


def test_silu_and_gelu_by_hand():
    # silu(ln 3) = ln 3 * sigma(ln 3) = 0.75 ln 3
    np.testing.assert_allclose(act.silu(math.log(3.0)), 0.75 * math.log(3.0))
    # gelu(a) = a Phi(a): Phi(0) = 1/2 so gelu(0) = 0 and gelu'(0) = Phi(0) + 0 = 1/2;
    # Phi(1) = 0.841344746..., so gelu(1) = 0.841344746 and gelu(-1) = -(1 - Phi(1))
    phi1 = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    assert phi1 == pytest.approx(0.8413447460685429)
    np.testing.assert_allclose(act.gelu(np.array([0.0, 1.0, -1.0])), [0.0, phi1, -(1 - phi1)])
    # gelu'(1) = Phi(1) + 1 * exp(-1/2) / sqrt(2 pi) = 0.8413447 + 0.2419707
    np.testing.assert_allclose(act.gelu_grad(np.array([0.0, 1.0])),
                               [0.5, phi1 + math.exp(-0.5) / math.sqrt(2 * math.pi)])


def test_gelu_accepts_scalars_and_0d_arrays():
    assert float(act.gelu(np.array(1.0))) == pytest.approx(0.8413447460685429)
    assert float(act.gelu_grad(0.0)) == pytest.approx(0.5)
    assert float(act.gelu(2)) == pytest.approx(2 * 0.9772498680518208)


def test_softmax_and_log_softmax_by_hand():
    # softmax([1, 2, 3]): shift by the max 3 -> exp([-2, -1, 0]) = [0.135335, 0.367879, 1],
    # sum 1.503215, so s = [0.090031, 0.244728, 0.665241]
    s = softmax(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(s, [0.09003057317038046, 0.24472847105479764,
                                   0.6652409557748219], rtol=1e-12)
    # log_softmax = a - logsumexp(a), logsumexp = 3 + log(1.503215) = 3.4076059644
    np.testing.assert_allclose(log_softmax(np.array([1.0, 2.0, 3.0])),
                               [-2.4076059644443806, -1.4076059644443806,
                                -0.4076059644443806], rtol=1e-12)


def test_softmax_axis_argument():
    A = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    np.testing.assert_allclose(softmax(A, axis=0), softmax(A.T).T, rtol=1e-15)
    np.testing.assert_allclose(log_softmax(A, axis=0), log_softmax(A.T).T, rtol=1e-15)
    np.testing.assert_allclose(softmax(A, axis=0).sum(axis=0), [1.0, 1.0, 1.0])


# ---------------------------------------------------------------- extreme inputs
@pytest.mark.parametrize("name, expected", [
    ("sigmoid", [0.0, 0.0, 0.2689414213699951, 0.5, 0.7310585786300049, 1.0, 1.0]),
    ("sigmoid_grad", [0.0, 0.0, 0.19661193324148185, 0.25, 0.19661193324148185, 0.0, 0.0]),
    ("tanh", [-1.0, -1.0, -0.7615941559557649, 0.0, 0.7615941559557649, 1.0, 1.0]),
    ("tanh_grad", [0.0, 0.0, 0.41997434161402614, 1.0, 0.41997434161402614, 0.0, 0.0]),
    ("silu", [0.0, 0.0, -0.2689414213699951, 0.0, 0.7310585786300049, 1e3, 1e4]),
    ("silu_grad", [0.0, 0.0, 0.07232948812851325, 0.5, 0.9276705118714867, 1.0, 1.0]),
    ("gelu", [0.0, 0.0, -0.15865525393145707, 0.0, 0.8413447460685429, 1e3, 1e4]),
    ("gelu_grad", [0.0, 0.0, -0.08331547058768026, 0.5, 1.0833154705876803, 1.0, 1.0]),
])
def test_extreme_inputs_are_finite_and_warning_free(name, expected):
    with no_float_errors():
        out = getattr(act, name)(EXTREME)
    assert np.all(np.isfinite(out)), out
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-300)


def test_softmax_and_log_softmax_at_extreme_inputs():
    A = np.array([[1e4, -1e4, 0.0], [1e3, 1e3, 1e3], [-1e3, -1e4, -1e3]])
    with no_float_errors():
        s = softmax(A)
        logs = log_softmax(A)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(logs))
    np.testing.assert_allclose(s, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0, 0.5]],
                               rtol=1e-12, atol=0)
    # log_softmax stays exact where softmax has rounded to 0: a - max - log(sum)
    np.testing.assert_allclose(logs, [[0.0, -2e4, -1e4],
                                      [-math.log(3)] * 3,
                                      [-math.log(2), -9000 - math.log(2), -math.log(2)]],
                               rtol=1e-12)


def test_naive_formulas_fail_where_mlkit_does_not():
    """Why the stable forms exist: each naive formula warns (an error under -W error)."""
    a = np.array([-1000.0, 1000.0])
    with pytest.warns(RuntimeWarning):  # exp(1000) overflows to inf
        naive_sigmoid = 1.0 / (1.0 + np.exp(-a))
    np.testing.assert_array_equal(naive_sigmoid, [0.0, 1.0])  # right, but only by luck
    with pytest.warns(RuntimeWarning):  # exp(1000) = inf, then inf / inf = nan
        e = np.exp(np.array([1000.0, 1000.0]))
        naive_softmax = e / e.sum()
    assert np.all(np.isnan(naive_softmax))
    with pytest.warns(RuntimeWarning):  # sigma(-1000) rounds to 0 and log(0) = -inf
        naive_log_sigmoid = np.log(1.0 / (1.0 + np.exp(1000.0)))
    assert naive_log_sigmoid == -np.inf
    with no_float_errors():
        np.testing.assert_array_equal(sigmoid(a), [0.0, 1.0])
        np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
        assert log_softmax(np.array([-1000.0, 0.0]))[0] == pytest.approx(-1000.0)


# ---------------------------------------------------------------- dtypes
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_float32_stays_float32(name):
    f, f_grad = get_activation(name)
    a = POINTS.astype(np.float32)
    z, dz = f(a), f_grad(a)
    assert z.dtype == np.float32, (name, z.dtype)
    assert dz.dtype == np.float32, (name, dz.dtype)
    np.testing.assert_allclose(z, f(POINTS), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dz, f_grad(POINTS), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn", [softmax, log_softmax])
def test_softmax_float32_stays_float32(fn):
    a = np.array([[1.0, 2.0, 3.0], [1e3, -1e3, 0.0]], dtype=np.float32)
    out = fn(a)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, fn(a.astype(np.float64)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_int_and_list_inputs_become_float64(name):
    f, f_grad = get_activation(name)
    for a in ([-2, 1, 3], np.array([-2, 1, 3])):
        assert np.asarray(f(a)).dtype == np.float64
        assert np.asarray(f_grad(a)).dtype == np.float64
    assert softmax([1, 2]).dtype == np.float64
    assert log_softmax(np.array([1, 2])).dtype == np.float64


# ---------------------------------------------------------------- properties
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=finite),
       st.floats(-100.0, 100.0))
def test_softmax_rows_sum_to_one_and_ignore_a_constant_shift(A, c):
    s = softmax(A)
    assert np.all(s >= 0) and np.all(s <= 1)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    shifts = c * np.arange(1, A.shape[0] + 1)[:, None]  # a different constant per row
    np.testing.assert_allclose(softmax(A + shifts), s, rtol=1e-9, atol=1e-12)


@settings(deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)),
              elements=st.floats(-100.0, 100.0)))
def test_log_softmax_is_log_of_softmax(A):
    s = softmax(A)
    logs = log_softmax(A)
    assert np.all(logs <= 0)
    ok = s > 1e-300  # where softmax is not tiny, np.log(s) is accurate
    np.testing.assert_allclose(logs[ok], np.log(s[ok]), rtol=1e-12, atol=1e-12)


@settings(deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_tanh_is_a_rescaled_sigmoid(x):
    # tanh(x) = (e^x - e^-x)/(e^x + e^-x) = 2/(1 + e^-2x) - 1 = 2 sigma(2x) - 1
    np.testing.assert_allclose(tanh(x), 2 * sigmoid(2 * x) - 1, rtol=1e-12, atol=1e-15)


@settings(deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_is_point_symmetric(x):
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), rtol=1e-12, atol=1e-15)


away_from_zero = st.floats(-5.0, 5.0).filter(lambda v: abs(v) > 1e-3)


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(deadline=None, max_examples=50)
@given(a=arrays(np.float64, st.integers(1, 10), elements=away_from_zero))
def test_derivative_matches_finite_differences_for_random_inputs(name, a):
    f, f_grad = get_activation(name)
    analytic = f_grad(a)
    numeric = central_diff(f, a)
    # relative error below 1e-7, with an absolute floor where the derivative is ~0
    err = np.abs(analytic - numeric)
    assert np.all(err <= 1e-7 * (np.abs(analytic) + np.abs(numeric)) + 1e-9), (a, err)
