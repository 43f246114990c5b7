"""Tests of mlkit.models: the perceptron and logistic regression (bias absorbed, last).

Hand-worked runs with the arithmetic in comments, the perceptron rule as SGD on the
perceptron criterion, the logistic-regression gradient against centered differences of an
independently written NLL, the stopping rules, and every error message.
"""

import re

import numpy as np
import pytest

from mlkit._validation import NotFittedError
from mlkit.datasets import Standardizer, train_test_split, will_i_pass, xor
from mlkit.gradcheck import numerical_gradient, rel_error
from mlkit.layers import add_bias
from mlkit.losses import perceptron_criterion
from mlkit.models import LogisticRegression, Perceptron

# Four students (hours, lectures) -> pass: a tiny separable set used by the hand-worked run.
X_HAND = np.array([[-1.0, 1.0], [2.0, 0.0], [0.0, 3.0], [2.0, 3.0]])
Y_HAND = np.array([0, 0, 1, 1])

# w after every single step of the hand-worked run (4 samples x 3 epochs), bias last.
W_STEPS = [
    [1.0, -1.0, -1.0],  # epoch 1
    [-1.0, -1.0, -2.0],
    [-1.0, 2.0, -1.0],
    [-1.0, 2.0, -1.0],
    [0.0, 1.0, -2.0],  # epoch 2
    [0.0, 1.0, -2.0],
    [0.0, 1.0, -2.0],
    [0.0, 1.0, -2.0],
    [0.0, 1.0, -2.0],  # epoch 3: no mistakes
    [0.0, 1.0, -2.0],
    [0.0, 1.0, -2.0],
    [0.0, 1.0, -2.0],
]


def _standardized_will_i_pass(**kwargs):
    X, y = will_i_pass(**kwargs)
    return Standardizer().fit_transform(X), y


# ================================================================ Perceptron
def test_perceptron_hand_worked_run():
    # x <- [x, 1], w = [0, 0, 0], learning rate 1, labels 0/1, y_hat = 1 if w.x >= 0.
    # Epoch 1
    #   x1 = (-1, 1, 1), y = 0: w.x = 0 >= 0 -> y_hat = 1, error y - y_hat = -1
    #        w = [0, 0, 0] - [-1, 1, 1] = [1, -1, -1]
    #   x2 = (2, 0, 1), y = 0: w.x = 2 - 0 - 1 = 1 -> y_hat = 1, error -1
    #        w = [1, -1, -1] - [2, 0, 1] = [-1, -1, -2]
    #   x3 = (0, 3, 1), y = 1: w.x = 0 - 3 - 2 = -5 -> y_hat = 0, error +1
    #        w = [-1, -1, -2] + [0, 3, 1] = [-1, 2, -1]
    #   x4 = (2, 3, 1), y = 1: w.x = -2 + 6 - 1 = 3 -> y_hat = 1, correct
    #   3 mistakes
    # Epoch 2
    #   x1: w.x = 1 + 2 - 1 = 2 -> y_hat = 1, error -1: w = [-1, 2, -1] - [-1, 1, 1] = [0, 1, -2]
    #   x2: w.x = 0 + 0 - 2 = -2 -> 0, correct
    #   x3: w.x = 0 + 3 - 2 = 1 -> 1, correct
    #   x4: w.x = 0 + 3 - 2 = 1 -> 1, correct
    #   1 mistake
    # Epoch 3: scores -1, -2, 1, 1 -> all correct, 0 mistakes: stop.
    # Result: w = [0, 1, -2], i.e. "pass iff lectures >= 2".
    clf = Perceptron().fit(X_HAND, Y_HAND)
    np.testing.assert_array_equal(clf.w_, [0.0, 1.0, -2.0])
    assert clf.mistakes_ == [3, 1, 0]
    assert clf.n_epochs_ == 3 and len(clf.mistakes_) == clf.n_epochs_
    assert clf.converged_ and clf.stop_reason_ == "no mistakes"
    np.testing.assert_array_equal(clf.decision_function(X_HAND), [-1.0, -2.0, 1.0, 1.0])
    np.testing.assert_array_equal(clf.predict(X_HAND), Y_HAND)
    assert clf.score(X_HAND, Y_HAND) == 1.0
    # The weights at the end of epochs 1 and 2 (runs stopped early by max_epochs).
    after_1 = Perceptron(max_epochs=1).fit(X_HAND, Y_HAND)
    np.testing.assert_array_equal(after_1.w_, W_STEPS[3])
    assert after_1.mistakes_ == [3] and after_1.stop_reason_ == "max_epochs"
    assert not after_1.converged_
    after_2 = Perceptron(max_epochs=2).fit(X_HAND, Y_HAND)
    np.testing.assert_array_equal(after_2.w_, W_STEPS[7])
    assert after_2.mistakes_ == [3, 1]


def test_perceptron_plus_minus_one_labels_give_the_same_boundary():
    y_pm = 2 * Y_HAND - 1  # [-1, -1, 1, 1]
    clf01 = Perceptron().fit(X_HAND, Y_HAND)
    clf_pm = Perceptron().fit(X_HAND, y_pm)
    np.testing.assert_array_equal(clf_pm.w_, clf01.w_)
    assert clf_pm.mistakes_ == clf01.mistakes_
    assert clf_pm.classes_.tolist() == [-1, 1] and clf01.classes_.tolist() == [0, 1]
    pred = clf_pm.predict(X_HAND)
    np.testing.assert_array_equal(pred, y_pm)
    assert set(pred.tolist()) <= {-1, 1}
    assert clf_pm.score(X_HAND, y_pm) == 1.0


def test_perceptron_predict_returns_the_labels_seen_in_fit():
    grid = np.array([[0.0, -5.0], [0.0, 5.0]])  # one point on each side of lectures = 2
    for labels in ([0, 1], [-1, 1], [0.0, 1.0], [-1.0, 1.0]):
        y = np.where(Y_HAND == 1, labels[1], labels[0])
        pred = Perceptron().fit(X_HAND, y).predict(grid)
        assert pred.tolist() == [int(labels[0]), int(labels[1])]
        assert pred.dtype == np.int64


def test_perceptron_update_is_sgd_on_the_perceptron_criterion():
    # E_P(w) = -sum_{misclassified} y_i w.x_i with labels +-1; per sample (reduction="sum")
    # its gradient is -y_i x_i on a mistake, so the SGD step w - eta * grad = w + eta y_i x_i
    # is exactly the perceptron's 0/1 update w + eta (t_i - t_hat_i) x_i, since t - t_hat = y
    # on a mistake. Written with +-1 labels, the rule w + (eta / 2)(y - y_hat) x carries the
    # factor 1/2 because y - y_hat = 2y on a mistake.
    eta = 0.5
    Xb, y_pm = add_bias(X_HAND), 2 * Y_HAND - 1
    w, steps = np.zeros(3), []
    for _ in range(3):
        for x_i, y_i in zip(Xb, y_pm, strict=True):
            _, grad = perceptron_criterion(w, x_i[None, :], np.array([y_i]), reduction="sum")
            y_hat = 1.0 if w @ x_i >= 0 else -1.0
            np.testing.assert_array_equal(-eta * grad, eta / 2 * (y_i - y_hat) * x_i)
            w = w - eta * grad
            steps.append(w.copy())
    # The same sequence as the hand-worked run, scaled by eta (w starts at 0).
    np.testing.assert_array_equal(np.array(steps), eta * np.array(W_STEPS))
    np.testing.assert_array_equal(Perceptron(learning_rate=eta).fit(X_HAND, Y_HAND).w_, w)


def test_perceptron_equals_sgd_on_the_criterion_on_random_data():
    # Generic data: no score is exactly 0 after the first step, where the two conventions
    # (step(0) = 1 for the perceptron, y w.x <= 0 counts as a mistake for E_P) agree because
    # the first sample is of class 0 (y = -1).
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 3))
    y = (X @ np.array([1.0, -2.0, 0.5]) + 0.3 > 0).astype(int)
    first = int(np.argmax(y == 0))  # a sample of class 0 goes first
    order = np.r_[first, np.delete(np.arange(len(y)), first)]
    X, y = X[order], y[order]
    clf = Perceptron(learning_rate=0.1, max_epochs=200).fit(X, y)
    assert clf.converged_
    Xb, y_pm, w = add_bias(X), 2 * y - 1, np.zeros(4)
    for _ in range(clf.n_epochs_):
        for x_i, y_i in zip(Xb, y_pm, strict=True):
            w = w - 0.1 * perceptron_criterion(w, x_i[None, :], np.array([y_i]), "sum")[1]
    np.testing.assert_allclose(clf.w_, w, rtol=0, atol=1e-12)


def test_perceptron_stops_without_mistakes_on_separable_data():
    X, y = will_i_pass()
    clf = Perceptron(max_epochs=1000).fit(X, y)
    assert clf.converged_ and clf.stop_reason_ == "no mistakes"
    assert clf.mistakes_[-1] == 0 and min(clf.mistakes_[:-1]) > 0
    assert len(clf.mistakes_) == clf.n_epochs_ < 1000
    assert clf.score(X, y) == 1.0


def test_perceptron_runs_max_epochs_on_xor():
    X, y = xor()
    clf = Perceptron(max_epochs=25).fit(X, y)
    assert clf.stop_reason_ == "max_epochs" and not clf.converged_
    assert clf.n_epochs_ == 25 == len(clf.mistakes_)
    assert min(clf.mistakes_) > 0  # XOR is not linearly separable: never an epoch without
    assert clf.score(X, y) < 1.0


def test_perceptron_small_update_stops_a_cycle():
    # On XOR the weights cycle: epoch 3 ends where epoch 2 ended, so its total update is 0.
    X, y = xor()
    after_2 = Perceptron(max_epochs=2).fit(X, y)
    clf = Perceptron(max_epochs=50, tol=1e-9).fit(X, y)
    assert clf.stop_reason_ == "small update" and not clf.converged_
    assert clf.n_epochs_ == 3 == len(clf.mistakes_)
    np.testing.assert_array_equal(clf.w_, after_2.w_)
    # tol = 0 disables the rule; a small learning rate with a large tol stops after 1 epoch.
    assert Perceptron(max_epochs=50, tol=0.0).fit(X, y).stop_reason_ == "max_epochs"
    tiny = Perceptron(learning_rate=1e-3, tol=0.01).fit(X, y)
    assert tiny.stop_reason_ == "small update" and tiny.n_epochs_ == 1


def test_perceptron_shuffle_with_seed_is_deterministic():
    X, y = will_i_pass()
    a = Perceptron(max_epochs=1000, shuffle=True, seed=3).fit(X, y)
    b = Perceptron(max_epochs=1000, shuffle=True, seed=3).fit(X, y)
    np.testing.assert_array_equal(a.w_, b.w_)
    assert a.mistakes_ == b.mistakes_ and a.converged_
    c = Perceptron(max_epochs=1000, shuffle=True, seed=np.random.default_rng(3)).fit(X, y)
    np.testing.assert_array_equal(c.w_, a.w_)  # an int seed and a Generator from it agree
    plain = Perceptron(max_epochs=1000).fit(X, y)
    assert a.mistakes_ != plain.mistakes_  # the order really changed


def test_perceptron_coef_intercept_and_decision_function_agree_with_w():
    X, y = will_i_pass(noise=0.1)
    clf = Perceptron(max_epochs=20).fit(X, y)
    np.testing.assert_array_equal(clf.coef_, clf.w_[:-1])
    assert clf.intercept_ == clf.w_[-1] and isinstance(clf.intercept_, float)
    scores = clf.decision_function(X)
    np.testing.assert_allclose(scores, X @ clf.coef_ + clf.intercept_, rtol=1e-12)
    np.testing.assert_allclose(scores, add_bias(X) @ clf.w_, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), (scores >= 0).astype(int))


def test_perceptron_learning_rate_only_scales_the_weights():
    # from w = 0, eta multiplies every update, so it scales w and leaves the mistakes alone
    X, y = will_i_pass()
    one = Perceptron(max_epochs=1000).fit(X, y)
    two = Perceptron(learning_rate=2.0, max_epochs=1000).fit(X, y)
    np.testing.assert_allclose(two.w_, 2 * one.w_)
    assert two.mistakes_ == one.mistakes_


# ========================================================= LogisticRegression
def _nll(w, Xb, y, l2=0.0):
    """Mean negative log-likelihood written from the definition (naive sigmoid and logs)."""
    p = 1.0 / (1.0 + np.exp(-(Xb @ w)))
    data = -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    return data + 0.5 * l2 * np.sum(w[:-1] ** 2)


@pytest.fixture
def small_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))
    y = np.array([0, 1, 1, 0, 1, 0, 1])
    return X, y


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_logistic_gradient_matches_finite_differences(small_problem, l2):
    # w_2 = w_1 - eta * grad(w_1), so the gradient the model used at w_1 is (w_1 - w_2) / eta.
    X, y = small_problem
    eta = 0.5
    w1 = LogisticRegression(learning_rate=eta, max_iter=1, l2=l2, tol=0.0).fit(X, y).w_
    m2 = LogisticRegression(learning_rate=eta, max_iter=2, l2=l2, tol=0.0).fit(X, y)
    used = (w1 - m2.w_) / eta
    Xb = add_bias(X)
    numeric = numerical_gradient(lambda w: _nll(w, Xb, y, l2), w1.copy())
    assert rel_error(used, numeric) < 1e-7
    formula = Xb.T @ (1.0 / (1.0 + np.exp(-(Xb @ w1))) - y) / len(y)
    formula[:-1] += l2 * w1[:-1]  # the bias (last) is not penalised
    np.testing.assert_allclose(used, formula, rtol=1e-10, atol=1e-12)
    # the history holds the penalised loss before each step
    assert m2.history_["loss"][1] == pytest.approx(_nll(w1, Xb, y, l2), rel=1e-12)


def test_logistic_one_hand_worked_step():
    # X with the bias column: rows [2, 1, 1], [0, 3, 1], [1, -1, 1], [-2, 0, 1], y = 1, 1, 0, 0.
    # At w = 0: sigma(0) = 0.5 for every sample, loss = log 2, and
    #   sigma - y = [-0.5, -0.5, 0.5, 0.5]
    #   X^T (sigma - y) = [2(-.5) + 0(-.5) + 1(.5) - 2(.5), 1(-.5) + 3(-.5) - 1(.5) + 0(.5),
    #                      -.5 - .5 + .5 + .5] = [-1.5, -2.5, 0]
    #   grad = (1/4) [-1.5, -2.5, 0] = [-0.375, -0.625, 0]
    # One step with eta = 2: w = 0 - 2 grad = [0.75, 1.25, 0].
    X = np.array([[2.0, 1.0], [0.0, 3.0], [1.0, -1.0], [-2.0, 0.0]])
    y = np.array([1, 1, 0, 0])
    model = LogisticRegression(learning_rate=2.0, max_iter=1, tol=0.0).fit(X, y)
    np.testing.assert_allclose(model.w_, [0.75, 1.25, 0.0], rtol=0, atol=1e-15)
    assert model.history_["loss"] == [pytest.approx(np.log(2.0), rel=1e-15)]
    assert model.n_iter_ == 1
    np.testing.assert_array_equal(model.coef_, [0.75, 1.25])
    assert model.intercept_ == 0.0


def test_logistic_loss_history_decreases():
    X, y = _standardized_will_i_pass(noise=0.1)
    model = LogisticRegression(learning_rate=0.5, max_iter=300, tol=0.0).fit(X, y)
    loss = np.array(model.history_["loss"])
    assert len(loss) == model.n_iter_ == 300
    assert loss[0] == pytest.approx(np.log(2.0))
    assert np.all(np.diff(loss) < 0)
    assert loss[-1] < 0.5 * loss[0]


def test_logistic_l2_shrinks_the_weights_but_not_the_bias():
    X, y = _standardized_will_i_pass(n_samples=60, noise=0.1)
    keep = np.flatnonzero(y == 1)[:10].tolist() + np.flatnonzero(y == 0).tolist()
    X, y = X[np.sort(keep)], y[np.sort(keep)]  # unbalanced: about 3 in 4 students fail
    norms = []
    for l2 in (0.0, 0.1, 1.0):
        model = LogisticRegression(learning_rate=0.5, max_iter=5000, l2=l2, tol=1e-10).fit(X, y)
        assert model.n_iter_ < 5000
        norms.append(np.linalg.norm(model.coef_))
        # With an unpenalised bias, d loss / d b = mean(sigma - y) = 0 at the optimum: the mean
        # predicted probability equals the share of class 1, whatever the penalty.
        assert np.mean(model.predict_proba(X)) == pytest.approx(np.mean(y), abs=1e-9)
    assert norms[0] > norms[1] > norms[2] > 0
    # the loss it reports includes the penalty (l2 / 2) |w_1:d|^2
    Xb = add_bias(X)
    assert model.history_["loss"][-1] == pytest.approx(_nll(model.w_, Xb, y, 1.0), rel=1e-9)


def test_logistic_tol_stops_early():
    X, y = _standardized_will_i_pass(noise=0.1)
    model = LogisticRegression(learning_rate=0.5, max_iter=10_000, l2=0.01, tol=1e-6).fit(X, y)
    assert model.n_iter_ < 10_000
    assert len(model.history_["loss"]) == model.n_iter_ + 1  # the last loss is not stepped
    Xb = add_bias(X)
    grad = Xb.T @ (model.predict_proba(X) - y) / len(y)
    grad[:-1] += 0.01 * model.w_[:-1]
    assert np.linalg.norm(grad) < 1e-6
    full = LogisticRegression(learning_rate=0.5, max_iter=50, l2=0.01, tol=0.0).fit(X, y)
    assert full.n_iter_ == 50 == len(full.history_["loss"])


def test_logistic_predict_proba_and_predict():
    X, y = _standardized_will_i_pass(noise=0.1)
    model = LogisticRegression().fit(X, y)
    p = model.predict_proba(X)
    assert p.shape == (len(X),) and np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(model.predict(X), (p >= 0.5).astype(int))
    assert model.predict(X).dtype == np.int64
    extreme = np.array([[1e3, 1e3], [-1e3, -1e3], [1e3, -1e3]])
    p_ext = model.predict_proba(extreme)
    assert np.all(np.isfinite(p_ext)) and np.all((p_ext >= 0) & (p_ext <= 1))
    assert p_ext[0] == pytest.approx(1.0) and p_ext[1] == pytest.approx(0.0)


def test_logistic_accuracy_on_will_i_pass():
    X, y = will_i_pass(n_samples=200, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    scaler = Standardizer().fit(X_train)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    assert model.score(scaler.transform(X_test), y_test) >= 0.95
    assert model.score(scaler.transform(X_train), y_train) >= 0.95


# ===================================================================== errors
BAD_PERCEPTRON = [
    ({"learning_rate": 0.0}, "learning_rate must be > 0; got 0.0"),
    ({"learning_rate": -1}, "learning_rate must be > 0; got -1"),
    ({"learning_rate": "fast"}, "learning_rate must be a number; got 'fast'"),
    ({"max_epochs": 0}, "max_epochs must be > 0; got 0"),
    ({"max_epochs": 2.5}, "max_epochs must be an int; got 2.5"),
    ({"tol": -0.1}, "tol must be >= 0; got -0.1"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_PERCEPTRON)
def test_perceptron_bad_hyperparameters_raise_in_fit(kwargs, message):
    clf = Perceptron(**kwargs)  # no error yet
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.fit(X_HAND, Y_HAND)


BAD_LOGISTIC = [
    ({"learning_rate": 0}, "learning_rate must be > 0; got 0"),
    ({"max_iter": 0}, "max_iter must be > 0; got 0"),
    ({"max_iter": 10.0}, "max_iter must be an int; got 10.0"),
    ({"l2": -1.0}, "l2 must be >= 0; got -1.0"),
    ({"tol": -1e-3}, "tol must be >= 0; got -0.001"),
    ({"tol": np.nan}, "tol must be >= 0; got nan"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_LOGISTIC)
def test_logistic_bad_hyperparameters_raise_in_fit(kwargs, message):
    model = LogisticRegression(**kwargs)
    with pytest.raises(ValueError, match=re.escape(message)):
        model.fit(X_HAND, Y_HAND)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([1, 1, 2, 2], "found {1, 2}. Map them to 0 and 1, e.g. (y == 2).astype(int)."),
        ([0, 1, 2, 2], "found {0, 1, 2}. The perceptron separates two classes."),
        ([1, 1, 1, 1], "y contains only one class (1)"),
        ([-1, -1, -1, -1], "y contains only one class (-1)"),
    ],
)
def test_perceptron_wrong_labels(y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Perceptron().fit(X_HAND, y)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([-1, -1, 1, 1], "y must contain only labels {0, 1}; found {-1, 1}. Use (y + 1) // 2."),
        ([0, 2, 2, 0], "y must contain only labels {0, 1}; found {0, 2}."),
        ([0, 0, 0, 0], "y contains only one class (0)"),
    ],
)
def test_logistic_wrong_labels(y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        LogisticRegression().fit(X_HAND, y)


@pytest.mark.parametrize("Model", [Perceptron, LogisticRegression])
@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (X_HAND[:, 0], Y_HAND, "X must be a 2-D array of shape (n_samples, n_features); got "
                               "shape (4,). Reshape it"),
        (np.where(X_HAND == 3.0, np.nan, X_HAND), Y_HAND, "X contains NaN or infinity; found 2"),
        (X_HAND, Y_HAND[:3], "X and y have inconsistent numbers of samples: X has 4, y has 3."),
        (X_HAND, Y_HAND[:, None], "Use y.ravel()."),
        ([["a", "b"]] * 4, Y_HAND, "X must be an array of numbers"),
    ],
)
def test_bad_inputs(Model, X, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Model().fit(X, y)


@pytest.mark.parametrize("Model", [Perceptron, LogisticRegression])
def test_not_fitted(Model):
    model = Model()
    for call in (model.predict, model.decision_function):
        with pytest.raises(NotFittedError, match=re.escape(
                f"This {Model.__name__} is not fitted yet. Call fit(X, y) first.")):
            call(X_HAND)
    with pytest.raises(NotFittedError, match="not fitted"):
        model.score(X_HAND, Y_HAND)
    with pytest.raises(NotFittedError, match="not fitted"):
        _ = model.coef_
    with pytest.raises(NotFittedError, match="not fitted"):
        _ = model.intercept_
    if Model is LogisticRegression:
        with pytest.raises(NotFittedError, match="not fitted"):
            model.predict_proba(X_HAND)
    assert issubclass(NotFittedError, ValueError)


@pytest.mark.parametrize("Model", [Perceptron, LogisticRegression])
def test_wrong_number_of_features_at_predict(Model):
    model = Model().fit(X_HAND, Y_HAND)
    message = f"X has 3 features, but this {Model.__name__} was fitted with 2."
    with pytest.raises(ValueError, match=re.escape(message)):
        model.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="must be a 2-D array"):
        model.decision_function(np.ones(2))
