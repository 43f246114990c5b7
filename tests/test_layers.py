"""Tests of mlkit.layers: forward values by hand, backward passes against centered
differences, dropout and bias absorption."""

import numpy as np
import pytest

from mlkit.activations import ACTIVATIONS, get_activation
from mlkit.gradcheck import numerical_gradient_array, rel_error
from mlkit.layers import (
    activation_backward,
    activation_forward,
    add_bias,
    dropout_backward,
    dropout_forward,
    linear_backward,
    linear_forward,
)


# ---------------------------------------------------------------- linear
def test_linear_forward_by_hand():
    Z_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 0.0], [-1.0, 2.0]])  # (d_out, d_in) = (2, 2)
    b = np.array([0.5, -1.0])
    # row 1: [1*1 + 2*0, 1*(-1) + 2*2] + b = [1, 3] + [0.5, -1] = [1.5, 2]
    # row 2: [3*1 + 4*0, 3*(-1) + 4*2] + b = [3, 5] + [0.5, -1] = [3.5, 4]
    A, cache = linear_forward(Z_prev, W, b)
    np.testing.assert_array_equal(A, [[1.5, 2.0], [3.5, 4.0]])
    assert cache[0] is Z_prev and cache[1] is W


def test_linear_backward_by_hand():
    Z_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 0.0], [-1.0, 2.0]])
    _, cache = linear_forward(Z_prev, W, np.zeros(2))
    # dA = ones: dZ_prev = dA @ W = column sums of W in every row = [1 - 1, 0 + 2] = [0, 2]
    # dW = dA.T @ Z_prev = column sums of Z_prev in every row = [1 + 3, 2 + 4] = [4, 6]
    # db = dA summed over the batch = [2, 2]
    dZ_prev, dW, db = linear_backward(np.ones((2, 2)), cache)
    np.testing.assert_array_equal(dZ_prev, [[0.0, 2.0], [0.0, 2.0]])
    np.testing.assert_array_equal(dW, [[4.0, 6.0], [4.0, 6.0]])
    np.testing.assert_array_equal(db, [2.0, 2.0])


def test_linear_backward_matches_centered_differences():
    rng = np.random.default_rng(0)
    n, d_in, d_out = 5, 4, 3
    Z_prev = rng.normal(size=(n, d_in))
    W = rng.normal(size=(d_out, d_in))
    b = rng.normal(size=d_out)
    dA = rng.normal(size=(n, d_out))  # upstream gradient dL/dA
    A, cache = linear_forward(Z_prev, W, b)
    assert A.shape == (n, d_out)
    dZ_prev, dW, db = linear_backward(dA, cache)
    assert (dZ_prev.shape, dW.shape, db.shape) == (Z_prev.shape, W.shape, b.shape)
    num_Z = numerical_gradient_array(lambda v: linear_forward(v, W, b)[0], Z_prev, dA)
    num_W = numerical_gradient_array(lambda v: linear_forward(Z_prev, v, b)[0], W, dA)
    num_b = numerical_gradient_array(lambda v: linear_forward(Z_prev, W, v)[0], b, dA)
    assert rel_error(dZ_prev, num_Z) < 1e-7
    assert rel_error(dW, num_W) < 1e-7
    assert rel_error(db, num_b) < 1e-7


def test_linear_forward_shape_errors():
    Z, W = np.ones((4, 3)), np.ones((2, 3))
    with pytest.raises(ValueError, match=r"^linear_forward expects Z_prev \(n, d_in\), W "
                                         r"\(d_out, d_in\), b \(d_out,\); got Z_prev \(4, 3\), "
                                         r"W \(2, 3\), b \(3,\)\.$"):
        linear_forward(Z, W, np.ones(3))
    with pytest.raises(ValueError, match=r"got Z_prev \(3,\)"):
        linear_forward(np.ones(3), W, np.ones(2))
    with pytest.raises(ValueError, match=r"^Z_prev has 3 features but W expects 2 \(W has shape "
                                         r"\(3, 2\) = \(d_out, d_in\)\)\. Is W transposed\?$"):
        linear_forward(Z, W.T, np.ones(3))


# ---------------------------------------------------------------- activations
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_forward_applies_the_named_function(name):
    A = np.array([[-1.5, 0.3], [2.0, -0.4]])
    Z, cache = activation_forward(A, name)
    f, _ = get_activation(name)
    np.testing.assert_array_equal(Z, f(A))
    assert cache[0] is A and cache[1] == name


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_backward_matches_centered_differences(name):
    rng = np.random.default_rng(1)
    A = rng.uniform(0.2, 3.0, size=(4, 5)) * rng.choice([-1, 1], size=(4, 5))  # |A| >= 0.2
    dZ = rng.normal(size=(4, 5))
    _, cache = activation_forward(A, name)
    dA = activation_backward(dZ, cache)
    num = numerical_gradient_array(lambda v: activation_forward(v, name)[0], A, dZ)
    assert dA.shape == A.shape
    assert rel_error(dA, num) < 1e-7, name


def test_activation_forward_unknown_name():
    with pytest.raises(ValueError, match=r"^Unknown activation 'softmax'; choose one of"):
        activation_forward(np.ones((2, 2)), "softmax")


# ---------------------------------------------------------------- dropout
def test_dropout_forward_drops_and_rescales():
    Z = np.ones((200, 50))
    out, mask = dropout_forward(Z, 0.25, np.random.default_rng(0))
    # each kept unit is scaled by 1 / (1 - 0.25) = 4/3, each dropped one is 0
    assert set(np.unique(out).tolist()) == {0.0, 4 / 3}
    np.testing.assert_array_equal(out, Z * mask)
    assert np.mean(out == 0) == pytest.approx(0.25, abs=0.02)  # 10000 draws
    assert np.mean(out) == pytest.approx(1.0, abs=0.03)  # the expectation is unchanged


def test_dropout_is_identity_at_test_time_and_for_p_0():
    Z = np.arange(6.0).reshape(2, 3)
    for out, cache in (dropout_forward(Z, 0.5, np.random.default_rng(0), train=False),
                       dropout_forward(Z, 0.0, np.random.default_rng(0))):
        np.testing.assert_array_equal(out, Z)
        assert cache is None
        dout = np.ones_like(Z)
        assert dropout_backward(dout, cache) is dout


def test_dropout_same_seed_same_mask_and_keeps_float32():
    Z = np.ones((3, 4), dtype=np.float32)
    out1, m1 = dropout_forward(Z, 0.5, np.random.default_rng(7))
    out2, m2 = dropout_forward(Z, 0.5, np.random.default_rng(7))
    np.testing.assert_array_equal(m1, m2)
    assert out1.dtype == np.float32 and m1.dtype == np.float32


def test_dropout_backward_matches_centered_differences_with_the_same_mask():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(6, 5))
    dout = rng.normal(size=(6, 5))
    p = 0.4
    _, cache = dropout_forward(Z, p, np.random.default_rng(3))
    dZ = dropout_backward(dout, cache)
    # re-seeding the generator inside f reproduces the same mask at every evaluation
    num = numerical_gradient_array(
        lambda v: dropout_forward(v, p, np.random.default_rng(3))[0], Z, dout)
    assert rel_error(dZ, num) < 1e-7
    assert np.any(dZ == 0) and np.any(dZ != 0)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_probability_must_be_in_0_1(p):
    with pytest.raises(ValueError, match=rf"^p must be in \[0\.0, 1\.0\); got {p}\.$"):
        dropout_forward(np.ones((2, 2)), p, np.random.default_rng(0))


# ---------------------------------------------------------------- bias absorption
def test_add_bias_appends_a_column_of_ones():
    np.testing.assert_array_equal(add_bias([[1, 2], [3, 4]]), [[1.0, 2.0, 1.0], [3.0, 4.0, 1.0]])


def test_absorbed_bias_equals_explicit_bias():
    rng = np.random.default_rng(4)
    X, w, b = rng.normal(size=(5, 3)), rng.normal(size=3), 0.7
    A, _ = linear_forward(X, w[None, :], np.array([b]))
    np.testing.assert_allclose(add_bias(X) @ np.append(w, b), A[:, 0], rtol=1e-14)


def test_add_bias_needs_a_matrix():
    with pytest.raises(ValueError, match=r"^X must be a 2-D array of shape \(n_samples, "
                                         r"n_features\); got shape \(3,\)\. Reshape it with "
                                         r"X\.reshape\(-1, 1\) for one feature"):
        add_bias(np.ones(3))
