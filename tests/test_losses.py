"""Tests of mlkit.losses: worked values, gradients, extreme inputs and error messages."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlkit.activations import sigmoid, sigmoid_grad, softmax
from mlkit.gradcheck import numerical_gradient, rel_error
from mlkit.layers import add_bias
from mlkit.losses import (
    EPS,
    _reduce,
    bce,
    bce_with_logits,
    mae,
    mse,
    perceptron_criterion,
    softmax_cross_entropy,
)

REDUCTIONS = ["mean", "sum"]


def no_float_errors():
    return np.errstate(over="raise", divide="raise", invalid="raise")


def check_grad(loss_fn, x, *args, reduction):
    """The analytic gradient of ``loss_fn`` w.r.t. ``x`` against centered differences."""
    _, grad = loss_fn(x, *args, reduction=reduction)
    assert grad.shape == x.shape
    numeric = numerical_gradient(lambda v: loss_fn(v, *args, reduction=reduction)[0], x)
    err = rel_error(grad, numeric)
    assert err < 1e-7, (loss_fn.__name__, reduction, grad, numeric)


# ---------------------------------------------------------------- gradients
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_gradient(reduction):
    rng = np.random.default_rng(0)
    p = rng.uniform(0.05, 0.95, size=7)
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    check_grad(bce, p, y, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_gradient(reduction):
    rng = np.random.default_rng(1)
    a = rng.uniform(-4, 4, size=7)
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    check_grad(bce_with_logits, a, y, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_softmax_cross_entropy_gradient(reduction):
    rng = np.random.default_rng(2)
    A = rng.normal(0, 2, size=(6, 4))
    y = np.array([0, 3, 1, 1, 2, 3])
    check_grad(softmax_cross_entropy, A, y, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(7,), (5, 3)])
def test_mse_gradient(reduction, shape):
    rng = np.random.default_rng(3)
    y_hat, y = rng.normal(size=shape), rng.normal(size=shape)
    check_grad(mse, y_hat, y, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(7,), (5, 3)])
def test_mae_gradient_away_from_ties(reduction, shape):
    rng = np.random.default_rng(4)
    y = rng.normal(size=shape)
    gap = rng.uniform(0.1, 1.0, size=shape) * rng.choice([-1, 1], size=shape)
    y_hat = y + gap  # |y_hat - y| >= 0.1 >> h: no entry sits on the kink
    check_grad(mae, y_hat, y, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_perceptron_criterion_gradient_away_from_the_boundary(reduction):
    rng = np.random.default_rng(5)
    X = add_bias(rng.normal(size=(20, 3)))
    w = rng.normal(size=4)
    y = rng.choice([-1.0, 1.0], size=20)
    margins = y * (X @ w)
    keep = np.abs(margins) > 0.1  # no point within 0.1 of the boundary
    X, y = X[keep], y[keep]
    assert np.any(y * (X @ w) < 0) and np.any(y * (X @ w) > 0)  # both kinds present
    check_grad(perceptron_criterion, w, X, y, reduction=reduction)


# ---------------------------------------------------------------- worked values
def test_bce_with_logits_at_zero_is_log_2():
    # sigma(0) = 1/2: l = log(1 + e^0) - y * 0 = log 2 for either label;
    # dl/da = sigma(0) - y = +1/2 (y = 0) or -1/2 (y = 1), divided by n = 2 for the mean
    loss, grad = bce_with_logits(np.array([0.0, 0.0]), np.array([0, 1]))
    assert loss == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(grad, [0.25, -0.25])
    loss, grad = bce_with_logits(np.array([0.0, 0.0]), np.array([0, 1]), reduction="sum")
    assert loss == pytest.approx(2 * math.log(2), rel=1e-15)
    np.testing.assert_allclose(grad, [0.5, -0.5])


def test_bce_by_hand():
    # p = [0.8, 0.4], y = [1, 0]: losses -log 0.8 = 0.2231436, -log 0.6 = 0.5108256,
    # mean 0.3669846; dl/dp = (p - y)/(p(1 - p)) = -0.2/0.16 = -1.25 and 0.4/0.24 = 5/3
    loss, grad = bce(np.array([0.8, 0.4]), np.array([1, 0]))
    assert loss == pytest.approx((-math.log(0.8) - math.log(0.6)) / 2, rel=1e-14)
    np.testing.assert_allclose(grad, [-1.25 / 2, (5 / 3) / 2], rtol=1e-14)


def test_softmax_cross_entropy_by_hand():
    # logits [1, 2, 3], label 2: softmax = [0.090031, 0.244728, 0.665241];
    # loss = -log 0.665241 = 0.4076060; grad = softmax - onehot(2)
    loss, grad = softmax_cross_entropy(np.array([[1.0, 2.0, 3.0]]), np.array([2]))
    assert loss == pytest.approx(0.4076059644443806, rel=1e-12)
    np.testing.assert_allclose(grad, [[0.09003057317038046, 0.24472847105479764,
                                       0.6652409557748219 - 1.0]], rtol=1e-12)
    # equal logits over 4 classes: every sample loses log 4, whatever its label
    loss, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]), reduction="sum")
    assert loss == pytest.approx(2 * math.log(4))
    np.testing.assert_allclose(grad, [[-0.75, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, -0.75]])


def test_mse_and_mae_by_hand():
    y_hat, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 4.0])
    # diffs [0, 2, -1], squares [0, 4, 1]: mean 5/3, gradient 2/3 * [0, 2, -1]
    loss, grad = mse(y_hat, y)
    assert loss == pytest.approx(5 / 3)
    np.testing.assert_allclose(grad, [0.0, 4 / 3, -2 / 3])
    loss, grad = mse(y_hat, y, reduction="sum")  # sum 5, gradient 2 * diffs
    assert loss == 5.0
    np.testing.assert_allclose(grad, [0.0, 4.0, -2.0])
    # |diffs| [0, 2, 1]: mean 1, gradient sign(diff)/3 = [0, 1/3, -1/3] (0 at the tie)
    loss, grad = mae(y_hat, y)
    assert loss == pytest.approx(1.0)
    np.testing.assert_allclose(grad, [0.0, 1 / 3, -1 / 3])
    loss, grad = mae(y_hat, y, reduction="sum")
    assert loss == 3.0
    np.testing.assert_allclose(grad, [0.0, 1.0, -1.0])


def test_mse_of_a_matrix_is_the_mean_over_all_entries():
    # 2 x 2 entries with diffs [[1, -1], [2, 0]]: squares sum to 6, mean over 4 entries 1.5
    y_hat = np.array([[1.0, 0.0], [2.0, 5.0]])
    y = np.array([[0.0, 1.0], [0.0, 5.0]])
    loss, grad = mse(y_hat, y)
    assert loss == pytest.approx(1.5)
    np.testing.assert_allclose(grad, 2 / 4 * (y_hat - y))


def test_perceptron_criterion_three_points_one_misclassified():
    # X with a bias column; w = [1, -1, 0.5] (bias last)
    X = add_bias(np.array([[2.0, 1.0], [0.0, 1.0], [1.0, 3.0]]))
    y = np.array([1.0, -1.0, 1.0])
    w = np.array([1.0, -1.0, 0.5])
    # w.x = [2 - 1 + 0.5, 0 - 1 + 0.5, 1 - 3 + 0.5] = [1.5, -0.5, -1.5]
    # margins y * w.x = [1.5, 0.5, -1.5]: only point 3 is misclassified
    # E_P = -(y_3 w.x_3) = 1.5; grad = -y_3 x_3 = -[1, 3, 1]
    loss, grad = perceptron_criterion(w, X, y, reduction="sum")
    assert loss == pytest.approx(1.5)
    np.testing.assert_allclose(grad, [-1.0, -3.0, -1.0])
    loss, grad = perceptron_criterion(w, X, y)  # the mean divides both by n = 3
    assert loss == pytest.approx(0.5)
    np.testing.assert_allclose(grad, [-1 / 3, -1.0, -1 / 3])


def test_perceptron_criterion_boundary_counts_as_a_mistake():
    # w = 0 puts every point on the boundary (margin 0): all count as mistakes, so the
    # loss is 0 but the gradient -sum y_i x_i is not, and w = 0 is not a resting point
    X = np.array([[1.0, 2.0], [3.0, 1.0]])
    y = np.array([1.0, -1.0])
    loss, grad = perceptron_criterion(np.zeros(2), X, y, reduction="sum")
    assert loss == 0.0
    np.testing.assert_allclose(grad, -(X[0] - X[1]))  # -[1 - 3, 2 - 1] = [2, -1]


def test_perceptron_criterion_all_correct_is_zero():
    X = np.array([[1.0, 1.0], [-1.0, 1.0]])
    loss, grad = perceptron_criterion(np.array([1.0, 0.0]), X, np.array([1, -1]))
    assert loss == 0.0
    np.testing.assert_array_equal(grad, [0.0, 0.0])


# ---------------------------------------------------------------- extreme inputs
def test_bce_at_probabilities_exactly_0_and_1():
    p = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0, 1, 1, 0])
    with no_float_errors():
        loss, grad = bce(p, y, reduction="sum")
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    # the two confident mistakes cost -log(EPS) = 27.63 each, the right answers ~0
    assert loss == pytest.approx(-2 * math.log(EPS), rel=1e-4)
    assert grad[2] < -1e11 and grad[3] > 1e11  # huge but finite pushes


@pytest.mark.parametrize("big", [1e3, 1e4])
def test_bce_with_logits_at_extreme_logits(big):
    a = np.array([big, -big, big, -big])
    with no_float_errors():
        loss, grad = bce_with_logits(a, np.array([1, 0, 0, 1]), reduction="sum")
    # right and confident: 0 each; wrong and confident: log(1 + e^big) ~ big each
    assert loss == pytest.approx(2 * big, rel=1e-12)
    np.testing.assert_allclose(grad, [0.0, 0.0, 1.0, -1.0], atol=1e-300)


@pytest.mark.parametrize("big", [1e3, 1e4])
def test_softmax_cross_entropy_at_extreme_logits(big):
    A = np.array([[big, -big, 0.0], [big, -big, 0.0]])
    with no_float_errors():
        loss, grad = softmax_cross_entropy(A, np.array([0, 1]), reduction="sum")
    # label 0 has probability 1 (loss 0); label 1 has log-probability -2 big
    assert loss == pytest.approx(2 * big, rel=1e-12)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0, 0, 0], [1, -1, 0]], atol=1e-300)


# ---------------------------------------------------------------- dtypes
def test_logit_losses_keep_float32_and_convert_ints():
    a32 = np.array([0.5, -1.0], dtype=np.float32)
    _, grad = bce_with_logits(a32, np.array([1, 0]))
    assert grad.dtype == np.float32
    _, grad = bce_with_logits([1, -2], [1, 0])
    assert grad.dtype == np.float64
    _, grad = softmax_cross_entropy(np.ones((2, 3), dtype=np.float32), [0, 2])
    assert grad.dtype == np.float32
    loss, grad = softmax_cross_entropy([[0, 0], [0, 0]], [0, 1])
    assert grad.dtype == np.float64 and loss == pytest.approx(math.log(2))


def test_labels_may_be_floats_or_lists():
    loss1, _ = bce_with_logits([0.3, -0.2], [1.0, 0.0])
    loss2, _ = bce_with_logits(np.array([0.3, -0.2]), np.array([1, 0]))
    assert loss1 == loss2
    loss1, _ = softmax_cross_entropy([[1.0, 2.0]], [1.0])
    loss2, _ = softmax_cross_entropy([[1.0, 2.0]], np.array([1]))
    assert loss1 == loss2


# ---------------------------------------------------------------- properties
@settings(deadline=None)
@given(arrays(np.float64, st.integers(1, 12), elements=st.floats(-15.0, 15.0)),
       st.data())
def test_bce_with_logits_equals_bce_of_sigmoid(a, data):
    y = data.draw(arrays(np.int64, a.shape, elements=st.integers(0, 1)))
    loss_logits, grad_logits = bce_with_logits(a, y)
    loss_probs, grad_probs = bce(sigmoid(a), y)
    assert loss_logits == pytest.approx(loss_probs, rel=1e-9, abs=1e-9)
    # chain rule: dL/da = dL/dp * sigma'(a)
    np.testing.assert_allclose(grad_logits, grad_probs * sigmoid_grad(a), rtol=1e-6,
                               atol=1e-12)


@settings(deadline=None, max_examples=50)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)),
              elements=st.floats(-5.0, 5.0)), st.data())
def test_softmax_cross_entropy_gradient_for_random_logits(A, data):
    y = data.draw(arrays(np.int64, A.shape[0], elements=st.integers(0, A.shape[1] - 1)))
    loss, grad = softmax_cross_entropy(A, y)
    np.testing.assert_allclose(grad, (softmax(A) - np.eye(A.shape[1])[y]) / A.shape[0],
                               rtol=1e-12, atol=1e-15)
    numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, y)[0], A.copy())
    err = np.abs(grad - numeric)
    assert np.all(err <= 1e-7 * (np.abs(grad) + np.abs(numeric)) + 1e-9)


@settings(deadline=None, max_examples=50)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-5.0, 5.0)), st.data())
def test_bce_with_logits_gradient_for_random_logits(a, data):
    y = data.draw(arrays(np.int64, a.shape, elements=st.integers(0, 1)))
    _, grad = bce_with_logits(a, y, reduction="sum")
    numeric = numerical_gradient(lambda v: bce_with_logits(v, y, reduction="sum")[0], a.copy())
    err = np.abs(grad - numeric)
    assert np.all(err <= 1e-7 * (np.abs(grad) + np.abs(numeric)) + 1e-9)


@settings(deadline=None, max_examples=50)
@given(st.sampled_from([np.float64, np.float32]), st.integers(1, 300), st.data())
def test_mean_reduction_is_np_mean_to_the_bit(dtype, n, data):
    # _reduce divides the sum by n instead of calling np.mean (less overhead per batch);
    # the result must not change in the last bit, in float64 or float32
    per_sample = data.draw(arrays(dtype, n, elements=st.floats(0.0, 50.0, width=32)))
    loss, scale = _reduce(per_sample, "mean")
    assert loss == float(np.mean(per_sample)) and scale == 1.0 / n


# ---------------------------------------------------------------- errors
ALL_LOSSES = [
    (bce, (np.array([0.2, 0.7]), np.array([0, 1]))),
    (bce_with_logits, (np.array([0.2, 0.7]), np.array([0, 1]))),
    (softmax_cross_entropy, (np.zeros((2, 3)), np.array([0, 2]))),
    (mse, (np.array([0.2, 0.7]), np.array([0.0, 1.0]))),
    (mae, (np.array([0.2, 0.7]), np.array([0.0, 1.0]))),
    (perceptron_criterion, (np.array([1.0, 0.0]), np.eye(2), np.array([1, -1]))),
]


@pytest.mark.parametrize("loss_fn, args", ALL_LOSSES, ids=lambda v: getattr(v, "__name__", ""))
def test_unknown_reduction(loss_fn, args):
    with pytest.raises(ValueError, match=r"^reduction must be 'mean' or 'sum'; got 'none'\.$"):
        loss_fn(*args, reduction="none")


@pytest.mark.parametrize("loss_fn, name", [(bce, "p"), (bce_with_logits, "a"),
                                           (mse, "y_hat"), (mae, "y_hat")])
def test_prediction_and_label_shapes_must_match(loss_fn, name):
    with pytest.raises(ValueError, match=rf"^{name} and y must have the same shape; got "
                                         rf"{name} \(3,\) and y \(2,\)\. Did you pass "
                                         r"predictions of shape \(n, 1\)\? Use \.ravel\(\)\."):
        loss_fn(np.array([0.1, 0.2, 0.3]), np.array([0, 1]))


def test_mse_with_a_column_of_predictions_suggests_ravel():
    with pytest.raises(ValueError, match=r"got y_hat \(3, 1\) and y \(3,\).*Use \.ravel\(\)"):
        mse(np.zeros((3, 1)), np.zeros(3))


def test_bce_rejects_values_outside_0_1():
    with pytest.raises(ValueError, match=r"^p must contain probabilities in \[0, 1\]; found "
                                         r"values in \[-0\.5, 2\]\. For raw scores \(logits\) "
                                         r"use bce_with_logits\.$"):
        bce(np.array([-0.5, 0.3, 2.0]), np.array([0, 1, 1]))


@pytest.mark.parametrize("loss_fn, x", [(bce, np.array([0.2, 0.7])),
                                        (bce_with_logits, np.array([0.2, 0.7]))])
def test_binary_losses_explain_the_fix_for_pm1_labels(loss_fn, x):
    with pytest.raises(ValueError, match=r"^y must contain only labels \{0, 1\}; found "
                                         r"\{-1, 1\}\. Use \(y \+ 1\) // 2\.$"):
        loss_fn(x, np.array([-1, 1]))


def test_binary_losses_reject_other_labels():
    with pytest.raises(ValueError, match=r"^y must contain only labels \{0, 1\}; found "
                                         r"\{0, 2\}\.$"):
        bce_with_logits(np.array([0.2, 0.7]), np.array([0, 2]))


def test_input_validation_messages():
    with pytest.raises(ValueError, match=r"^a must be an array of numbers; could not convert"):
        bce_with_logits(["x", "y"], [0, 1])
    with pytest.raises(ValueError, match=r"^A must be an array of numbers; could not convert"):
        softmax_cross_entropy([["x", "y"]], [0])
    with pytest.raises(ValueError, match=r"^a must be a 1-D array of shape \(n_samples,\); "
                                         r"got shape \(2, 1\)\.$"):
        bce_with_logits(np.zeros((2, 1)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"^A must be a 2-D array .*got shape \(3,\)\. "
                                         r"Reshape it with A\.reshape\(-1, 1\)"):
        softmax_cross_entropy(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"^p contains NaN or infinity; found 1 non-finite "
                                         r"value\(s\) \(first at index \(1,\)\)"):
        bce(np.array([0.5, np.nan]), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"^a contains NaN or infinity"):
        bce_with_logits(np.array([0.5, np.inf]), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"^y_hat is empty \(shape \(0,\)\)"):
        mse(np.array([]), np.array([]))


def test_softmax_cross_entropy_label_errors():
    A = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"^y contains the label 3, but there are only 3 "
                                         r"classes \(columns\); labels must lie in \[0, 3\)\.$"):
        softmax_cross_entropy(A, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"^y must contain labels in \[0, k\); found the "
                                         r"negative label -1\.$"):
        softmax_cross_entropy(A, np.array([0, -1]))
    with pytest.raises(ValueError, match=r"^y must contain integer class labels; found 0\.5\.$"):
        softmax_cross_entropy(A, np.array([0, 0.5]))
    with pytest.raises(ValueError, match=r"^A and y have inconsistent numbers of samples: "
                                         r"A has 2, y has 3\.$"):
        softmax_cross_entropy(A, np.array([0, 1, 2]))


def test_perceptron_criterion_errors():
    X, w = np.eye(2), np.zeros(2)
    with pytest.raises(ValueError, match=r"^y must contain only labels \{-1, \+1\}; found "
                                         r"\{0, 1\}\. Use 2 \* y - 1\.$"):
        perceptron_criterion(w, X, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"^y must contain only labels \{-1, \+1\}; found "
                                         r"\{-1, 2\}\.$"):
        perceptron_criterion(w, X, np.array([-1, 2]))
    with pytest.raises(ValueError, match=r"^X and y have inconsistent numbers of samples: "
                                         r"X has 2, y has 3\.$"):
        perceptron_criterion(w, X, np.array([1, -1, 1]))
    with pytest.raises(ValueError, match=r"^w has 2 entries but X has 3 columns; they must "
                                         r"match \(did you forget the bias column\? see "
                                         r"mlkit\.layers\.add_bias\)\.$"):
        perceptron_criterion(w, np.ones((2, 3)), np.array([1, -1]))
    with pytest.raises(ValueError, match=r"^w must be a 1-D array"):
        perceptron_criterion(np.zeros((2, 1)), X, np.array([1, -1]))
