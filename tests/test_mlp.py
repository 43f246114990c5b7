"""Tests of mlkit.mlp.MLP: gradients against centered differences for every head and depth,
a hand-computed 2-2-1 network, initialisation, training options, accuracy targets, errors.
"""

import re

import numpy as np
import pytest

from mlkit._validation import NotFittedError
from mlkit.activations import sigmoid, softmax
from mlkit.datasets import (
    Standardizer,
    load_digits,
    make_moons,
    train_test_split,
    xor,
)
from mlkit.gradcheck import check_gradients
from mlkit.mlp import MLP
from mlkit.optim import cosine_decay, get_optimizer, sgd, step_decay


def _keep(w, dw, config):
    """An update rule that changes nothing: params_ stay at their initial values."""
    return w, config


@pytest.fixture(scope="module")
def moons():
    return make_moons(n_samples=200, noise=0.1, seed=0)


def _toy(output, n=6, d=3, seed=0):
    """Small data for gradient checks: X (n, d) and targets for the given head."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = {
        "sigmoid": np.array([0, 1] * (n // 2)),
        "softmax": np.arange(n) % 3,
        "identity": rng.normal(size=n),
        "identity-2d": rng.normal(size=(n, 2)),
    }[output]
    return X, y


def _with_moderate_weights(model, seed):
    """Replace every parameter (biases too) by N(0, 0.5^2) values, in place."""
    rng = np.random.default_rng(seed)
    for p in model.params_.values():
        p[...] = 0.5 * rng.standard_normal(p.shape)
    return model


# ====================================================== gradients (float64)
HIDDEN = [
    ((), "tanh"),  # depth 1: logistic / softmax / linear regression
    ((5,), "tanh"),  # depth 2
    ((5, 4), ["silu", "gelu"]),  # depth 3
    ((4, 3), ["sigmoid", "leaky_relu"]),
]


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "identity", "identity-2d"])
@pytest.mark.parametrize(("hidden", "activation"), HIDDEN)
def test_loss_and_gradients_match_centered_differences(output, hidden, activation):
    X, y = _toy(output)
    model = MLP(hidden_sizes=hidden, activation=activation, l2=0.1, epochs=1, batch_size=6,
                optimizer=_keep, output=output.split("-")[0]).fit(X, y)
    _with_moderate_weights(model, seed=len(hidden))
    loss, grads = model.loss_and_gradients(X, y)
    assert set(grads) == set(model.params_)
    assert loss == model.loss_and_gradients(X, y)[0]  # no dropout, nothing random
    report = check_gradients(lambda: model.loss_and_gradients(X, y)[0], model.params_, grads,
                             tol=1e-7)
    report.raise_if_failed()


def test_relu_gradients_away_from_the_kink():
    X, y = _toy("softmax")
    model = MLP(hidden_sizes=(6, 5), activation="relu", l2=0.05, epochs=1, optimizer=_keep,
                output="softmax").fit(X, y)
    _with_moderate_weights(model, seed=3)
    _, caches = model.forward(X)
    for (_, act, _) in caches[:-1]:
        assert np.min(np.abs(act[0])) > 1e-3  # every pre-activation far from ReLU's kink
    _, grads = model.loss_and_gradients(X, y)
    check_gradients(lambda: model.loss_and_gradients(X, y)[0], model.params_, grads,
                    tol=1e-7).raise_if_failed()


def test_l2_term_in_loss_and_gradient():
    X, y = _toy("sigmoid")
    plain = MLP(hidden_sizes=(4,), activation="tanh", epochs=1, optimizer=_keep).fit(X, y)
    penalised = MLP(hidden_sizes=(4,), activation="tanh", epochs=1, optimizer=_keep,
                    l2=0.5).fit(X, y)
    loss0, g0 = plain.loss_and_gradients(X, y)
    loss1, g1 = penalised.loss_and_gradients(X, y)
    W1, W2 = plain.params_["W1"], plain.params_["W2"]
    assert loss1 == pytest.approx(loss0 + 0.25 * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-12)
    np.testing.assert_allclose(g1["W1"], g0["W1"] + 0.5 * W1, rtol=1e-12)
    np.testing.assert_array_equal(g1["b1"], g0["b1"])  # biases are not penalised


# ========================================================= 2-2-1 by hand
def test_tiny_network_by_hand():
    X = np.array([[1.0, 2.0], [0.0, 0.0]])
    y = np.array([1, 0])
    model = MLP(hidden_sizes=(2,), activation="relu", epochs=1, optimizer=_keep).fit(X, y)
    model.params_ = {
        "W1": np.array([[1.0, -1.0], [0.5, 2.0]]), "b1": np.array([0.5, -1.0]),
        "W2": np.array([[2.0, -0.5]]), "b2": np.array([1.75]),
    }
    # sample 1, x = (1, 2):
    #   a1 = W1 x + b1 = [1 - 2 + 0.5, 0.5 + 4 - 1] = [-0.5, 3.5];  z1 = relu = [0, 3.5]
    #   a2 = W2 z1 + b2 = 2 * 0 - 0.5 * 3.5 + 1.75 = 0;               p = sigma(0) = 0.5
    # sample 2, x = (0, 0):
    #   a1 = b1 = [0.5, -1];  z1 = [0.5, 0];  a2 = 2 * 0.5 - 0 + 1.75 = 2.75;  p = sigma(2.75)
    s = 1.0 / (1.0 + np.exp(-2.75))
    A_L, caches = model.forward(X)
    np.testing.assert_allclose(A_L, [[0.0], [2.75]], atol=1e-15)
    np.testing.assert_allclose(caches[0][1][0], [[-0.5, 3.5], [0.5, -1.0]])  # a1
    z1 = model.hidden_activations(X)
    assert len(z1) == 1
    np.testing.assert_allclose(z1[0], [[0.0, 3.5], [0.5, 0.0]])
    np.testing.assert_allclose(model.predict_proba(X), [0.5, s], rtol=1e-15)
    np.testing.assert_array_equal(model.predict(X), [1, 1])  # p >= 0.5 -> class 1
    # loss = mean BCE = (-log 0.5 - log(1 - s)) / 2 = (log 2 + log(1 + e^2.75)) / 2
    # delta2 = (p - y) / n = [(0.5 - 1) / 2, (s - 0) / 2] = [-0.25, s / 2]
    # dW2 = delta2^T z1 = -0.25 * [0, 3.5] + (s / 2) * [0.5, 0] = [s / 4, -0.875]
    # db2 = -0.25 + s / 2
    # delta1 = (delta2 W2) * relu'(a1): sample 1 [-0.25 * 2, -0.25 * -0.5] * [0, 1]
    #        = [0, 0.125]; sample 2 [s, -s / 4] * [1, 0] = [s, 0]
    # dW1 = delta1^T x = [[0 * 1 + s * 0, 0 * 2 + s * 0], [0.125 * 1, 0.125 * 2]]
    #     = [[0, 0], [0.125, 0.25]];  db1 = [s, 0.125]
    loss, grads = model.loss_and_gradients(X, y)
    assert loss == pytest.approx((np.log(2.0) + np.log1p(np.exp(2.75))) / 2, rel=1e-14)
    np.testing.assert_allclose(grads["W2"], [[s / 4, -0.875]], rtol=1e-14)
    np.testing.assert_allclose(grads["b2"], [-0.25 + s / 2], rtol=1e-14)
    np.testing.assert_allclose(grads["W1"], [[0.0, 0.0], [0.125, 0.25]], atol=1e-15)
    np.testing.assert_allclose(grads["b1"], [s, 0.125], rtol=1e-14)


# ======================================================== shapes and init
def test_params_shapes_follow_the_lectures():
    X, y = _toy("softmax")
    model = MLP(hidden_sizes=(5, 4), epochs=1).fit(X, y)
    shapes = {k: v.shape for k, v in model.params_.items()}
    assert shapes == {"W1": (5, 3), "b1": (5,), "W2": (4, 5), "b2": (4,),
                      "W3": (3, 4), "b3": (3,)}  # W^[l]: (d_l, d_{l-1})
    assert model.n_layers_ == 3 and model.output_ == "softmax"
    assert model.classes_.tolist() == [0, 1, 2]
    Xs, ys = _toy("sigmoid")
    assert MLP(hidden_sizes=(), epochs=1).fit(Xs, ys).params_["W1"].shape == (1, 3)
    Xr, yr = _toy("identity-2d")
    reg = MLP(hidden_sizes=(7,), epochs=1).fit(Xr, yr)
    assert reg.params_["W2"].shape == (2, 7) and reg.output_ == "identity"


@pytest.mark.parametrize(
    ("init", "activation", "expected_std"),
    [
        ("he", "tanh", np.sqrt(2.0 / 400)),
        ("xavier", "relu", np.sqrt(2.0 / (400 + 300))),
        ("auto", "relu", np.sqrt(2.0 / 400)),  # He for ReLU-like layers
        ("auto", "tanh", np.sqrt(2.0 / (400 + 300))),  # Xavier otherwise
    ],
)
def test_init_standard_deviation_on_a_wide_layer(init, activation, expected_std):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 400)), np.array([0, 1, 0, 1])
    model = MLP(hidden_sizes=(300,), activation=activation, init=init, epochs=1,
                optimizer=_keep, seed=1).fit(X, y)
    W1 = model.params_["W1"]  # 120,000 draws: the sample std is within ~0.2% of the truth
    assert W1.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W1.mean()) < 3 * expected_std / np.sqrt(W1.size)
    assert np.all(model.params_["b1"] == 0) and np.all(model.params_["b2"] == 0)
    other = MLP(hidden_sizes=(300,), activation=activation, init=init, epochs=1,
                optimizer=_keep, seed=2).fit(X, y).params_["W1"]
    assert not np.array_equal(W1, other)


def test_seeds_give_identical_results(moons):
    X, y = moons
    kwargs = dict(hidden_sizes=(8,), activation="tanh", learning_rate=0.01, epochs=15,
                  dropout=0.2, early_stopping=True, patience=50)
    a, b = MLP(seed=4, **kwargs).fit(X, y), MLP(seed=4, **kwargs).fit(X, y)
    for name in a.params_:
        np.testing.assert_array_equal(a.params_[name], b.params_[name])
    assert a.history_ == b.history_
    g = MLP(seed=np.random.default_rng(4), **kwargs).fit(X, y)
    np.testing.assert_array_equal(g.params_["W1"], a.params_["W1"])
    c = MLP(seed=5, **kwargs).fit(X, y)
    assert not np.array_equal(a.params_["W1"], c.params_["W1"])
    assert a.history_["loss"] != c.history_["loss"]


# ================================================================== float32
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "identity", "identity-2d"])
def test_float32_end_to_end(output):
    X, y = _toy(output, n=12)
    model = MLP(hidden_sizes=(5,), activation="tanh", dtype=np.float32, epochs=3,
                batch_size=4, learning_rate=0.01, dropout=0.1,
                output=output.split("-")[0]).fit(X, y)
    assert all(p.dtype == np.float32 for p in model.params_.values())
    A_L, _ = model.forward(X)
    assert A_L.dtype == np.float32
    assert model.hidden_activations(X)[0].dtype == np.float32
    _, grads = model.loss_and_gradients(X, y)
    assert all(g.dtype == np.float32 for g in grads.values())
    if output.startswith("identity"):
        assert model.predict(X).dtype == np.float32
    else:
        assert model.predict_proba(X).dtype == np.float32
    assert np.all(np.isfinite(model.history_["loss"]))


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "identity"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_float32_training_steps_never_upcast(output, optimizer):
    # every update sees float32 weights and gradients, and a Python float learning rate
    # even from a schedule that returns NumPy float64 (which would make w - lr * dw float64)
    X, y = _toy(output, n=12)
    seen, rule = [], get_optimizer(optimizer)

    def recording(w, dw, config):
        seen.append((w.dtype, dw.dtype, type(config["learning_rate"])))
        w_new, config = rule(w, dw, config)
        seen.append((w_new.dtype, *(config[k].dtype for k in ("velocity", "m", "v")
                                     if k in config)))
        return w_new, config

    MLP(hidden_sizes=(5, 4), activation="relu", dtype=np.float32, epochs=2, batch_size=4,
        optimizer=recording, learning_rate=lambda epoch: np.float64(0.01), l2=0.01,
        dropout=0.1, output=output).fit(X, y)
    assert len(seen) == 2 * 6 * 2 * 3  # 2 records, 6 parameters, 2 epochs, 3 batches
    for record in seen:
        assert all(t in (np.float32, float) for t in record), record


def test_validation_loss_is_the_loss_without_the_backward_pass():
    # the validation loss runs the forward pass and the head only; without L2 it must equal
    # the loss of loss_and_gradients to the bit (epochs=1: the weights kept are these)
    X, y = make_moons(n_samples=60, noise=0.2, seed=2)
    model = MLP(hidden_sizes=(8,), epochs=1, early_stopping=True,
                validation_fraction=0.25, seed=0).fit(X, y)
    X_val, y_val = _validation_split(model, X, y)
    assert model.history_["val_loss"] == [model.loss_and_gradients(X_val, y_val)[0]]


def test_validation_loss_leaves_out_the_l2_penalty():
    # with l2 > 0 the training loss includes the penalty and the validation loss does not:
    # it is the plain cross-entropy of the validation split for the same weights
    X, y = make_moons(n_samples=60, noise=0.2, seed=2)
    l2 = 0.05
    model = MLP(hidden_sizes=(8,), l2=l2, epochs=1, early_stopping=True,
                validation_fraction=0.25, seed=0).fit(X, y)
    X_val, y_val = _validation_split(model, X, y)
    p = model.predict_proba(X_val)
    cross_entropy = -np.mean(y_val * np.log(p) + (1 - y_val) * np.log(1 - p))
    penalty = 0.5 * l2 * sum(np.sum(model.params_[f"W{l}"] ** 2) for l in (1, 2))
    assert penalty > 0.01  # large enough that a penalised validation loss would show
    (val_loss,) = model.history_["val_loss"]
    assert val_loss == pytest.approx(cross_entropy, rel=1e-10)
    assert model.loss_and_gradients(X_val, y_val)[0] == pytest.approx(val_loss + penalty,
                                                                       rel=1e-10)
    model.l2 = 0.0  # the same weights, the loss without the penalty: equal to the bit
    assert val_loss == model.loss_and_gradients(X_val, y_val)[0]


def test_float32_trains_like_float64(moons):
    X, y = moons
    kw = dict(hidden_sizes=(16,), activation="tanh", learning_rate=0.05, epochs=60, seed=0)
    m32 = MLP(dtype=np.float32, **kw).fit(X, y)
    m64 = MLP(**kw).fit(X, y)
    assert m32.score(X, y) >= 0.99 and m64.score(X, y) >= 0.99
    np.testing.assert_allclose(m32.params_["W1"], m64.params_["W1"], rtol=0, atol=1e-3)
    assert m32.history_["loss"][-1] == pytest.approx(m64.history_["loss"][-1], rel=1e-4)


# ========================================================= output="auto"
@pytest.mark.parametrize(("y", "expected", "n_outputs"), [
    (np.array([0, 1, 1, 0, 1, 0]), "sigmoid", 1),
    (np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]), "sigmoid", 1),
    (np.array([0, 1, 2, 2, 1, 0]), "softmax", 3),
    (np.array([0.5, 1.0, 2.0, -3.0, 1.0, 0.0]), "identity", 1),  # not all integers
    (np.arange(12.0).reshape(6, 2), "identity", 2),  # integer 2-D targets
])
def test_auto_output_picks_the_head(y, expected, n_outputs):
    X = np.random.default_rng(0).normal(size=(6, 2))
    model = MLP(hidden_sizes=(3,), epochs=1).fit(X, y)
    assert model.output_ == expected
    assert model.params_["b2"].shape == (n_outputs,)


@pytest.mark.parametrize(("y", "summary"), [
    (np.round(3 * np.arange(40) / 4 + 2), "{2, 3, 4, ..., 31} (30 distinct values)"),  # counts
    (np.array([-3, -1, 0, 2, 5, 7]), "{-3, -1, 0, 2, 5, 7}"),  # negative integers
    (np.array([1, 2, 3, 1, 2, 3]), "{1, 2, 3}"),  # 1-based labels (class 0 would be unseen)
    (np.array([0, 1, 3, 0, 1, 3]), "{0, 1, 3}"),  # class 2 missing
])
def test_auto_output_refuses_integer_targets_that_are_not_labels_0_to_k_minus_1(y, summary):
    X = np.random.default_rng(0).normal(size=(len(y), 2))
    message = (f"output='auto' cannot tell classes from the integer targets {summary}; pass "
               "output='identity' for regression, or labels 0..k-1 with output='softmax' "
               "(1-based labels? use y - 1).")
    with pytest.raises(ValueError, match=re.escape(message)):
        MLP(hidden_sizes=(3,), epochs=1).fit(X, y)
    # the fixes the message names work
    assert MLP(hidden_sizes=(3,), epochs=1, output="identity").fit(X, y).output_ == "identity"


# ================================================================ divergence
def test_diverging_training_raises_and_keeps_the_history(moons):
    X, y = moons
    model = MLP(hidden_sizes=(16,), optimizer="sgd", learning_rate=50.0, epochs=30)
    message = ("training diverged at epoch 7 (loss nan); use a smaller learning_rate (now 50) "
               "or standardise X (mlkit.datasets.Standardizer).")
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=re.escape(message)):
        model.fit(100 * X, y)  # unscaled data, far too large a step
    loss = model.history_["loss"]
    assert len(loss) == 8 == model.n_epochs_ and np.isnan(loss[-1])
    assert np.isfinite(loss[:-1]).all()  # every epoch before the blow-up is kept
    regression = MLP(hidden_sizes=(16,), optimizer="sgd", learning_rate=1.0, epochs=30)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=re.escape(
            "training diverged at epoch 0 (loss nan); use a smaller learning_rate (now 1)")):
        regression.fit(100 * X, 100 * X[:, 0])


def test_weights_blown_up_by_the_last_step_raise():
    # one full-batch step: the recorded loss (before the step) is finite, the weights are not
    X, y = _toy("identity")
    model = MLP(hidden_sizes=(), optimizer="sgd", learning_rate=1e308, batch_size=6, epochs=1)
    message = ("training diverged at epoch 0 (the weights became NaN or infinite); use a "
               "smaller learning_rate (now 1e+308)")
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match=re.escape(message)):
        model.fit(X, 1000 * y)
    assert np.isfinite(model.history_["loss"]).all() and model.n_epochs_ == 1


# ================================================================== history
def test_history_keys_and_lengths(moons):
    X, y = moons
    model = MLP(hidden_sizes=(8,), activation="tanh", epochs=7, learning_rate=0.01).fit(X, y)
    assert set(model.history_) == {"loss", "accuracy"}
    assert all(len(v) == 7 == model.n_epochs_ for v in model.history_.values())
    assert model.history_["loss"][-1] < model.history_["loss"][0]
    assert all(0.0 <= a <= 1.0 for a in model.history_["accuracy"])
    es = MLP(hidden_sizes=(8,), activation="tanh", epochs=7, learning_rate=0.01,
             early_stopping=True).fit(X, y)
    assert set(es.history_) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == es.n_epochs_ for v in es.history_.values())


def test_history_loss_is_the_mean_over_the_epoch():
    # full batch, plain GD: the epoch's loss is the loss before its single step
    X, y = _toy("softmax", n=9)
    model = MLP(hidden_sizes=(4,), activation="tanh", optimizer="sgd", learning_rate=0.1,
                batch_size=9, epochs=1, l2=0.01)
    model.fit(X, y)
    after_one = {k: v.copy() for k, v in model.params_.items()}
    twice = MLP(hidden_sizes=(4,), activation="tanh", optimizer="sgd", learning_rate=0.1,
                batch_size=9, epochs=2, l2=0.01).fit(X, y)
    model.params_ = after_one
    loss, _ = model.loss_and_gradients(X, y)
    assert twice.history_["loss"][1] == pytest.approx(loss, rel=1e-12)
    assert twice.history_["accuracy"][1] == np.mean(model.predict(X) == y)


def test_history_accuracy_pairs_each_batch_with_its_own_labels(moons):
    # the logits are kept per batch and compared once per epoch with y in the epoch's
    # shuffled order. With the weights kept fixed, every batch sees the initial network;
    # labelled by that network's own predictions, every epoch must score 1.0 (with both
    # classes common, labels paired in any other order would score far less)
    X, _ = moons
    kw = dict(hidden_sizes=(8,), epochs=3, batch_size=16, optimizer=_keep, seed=3)
    y = MLP(**kw).fit(X, np.arange(len(X)) % 2).predict(X)
    assert 0.1 < y.mean() < 0.9
    assert MLP(**kw).fit(X, y).history_["accuracy"] == [1.0, 1.0, 1.0]
    y3 = MLP(**kw).fit(X, np.arange(len(X)) % 3).predict(X)  # softmax: argmax of logits
    # (output given: the initial network may never predict some class, and "auto" refuses
    # labels that are not all of 0..k-1)
    multi = MLP(**kw, output="softmax").fit(X, y3)
    assert multi.params_["b2"].shape == (3,) and max(np.bincount(y3)) < 0.9 * len(X)
    assert multi.history_["accuracy"] == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_plain_sgd_trains_exactly_like_its_update_rule(moons, dtype):
    # MLP writes plain SGD's step inline; the rule from mlkit.optim, passed as a custom
    # update (so not recognised as plain SGD), must give the same bits
    X, y = moons
    kw = dict(hidden_sizes=(8, 8), learning_rate=step_decay(0.1, every=2), batch_size=32,
              epochs=4, dtype=dtype)
    inline = MLP(optimizer="sgd", **kw).fit(X, y)
    rule = MLP(optimizer=lambda w, dw, config: sgd(w, dw, config), **kw).fit(X, y)
    assert inline.history_ == rule.history_
    for name, value in rule.params_.items():
        assert inline.params_[name].dtype == dtype
        np.testing.assert_array_equal(inline.params_[name], value)


@pytest.mark.parametrize("bad", [-0.1, 0.0, float("nan"), "0.1", None])
def test_schedule_returning_a_bad_learning_rate_names_the_epoch(moons, bad):
    X, y = moons
    model = MLP(hidden_sizes=(4,), optimizer="sgd", epochs=3,
                learning_rate=lambda epoch: 0.1 if epoch < 2 else bad)
    with pytest.raises(ValueError, match=r"learning_rate \(the schedule's, at epoch 2\)"):
        model.fit(X, y)


@pytest.mark.parametrize("activation", ["relu", ("relu", "tanh"), ("tanh", "relu")])
def test_training_steps_use_the_gradients_of_loss_and_gradients(activation):
    # while training, ReLU layers overwrite a with z in place; the gradients must not change
    X, y = _toy("softmax", n=12)
    seen = []

    def record(w, dw, config):
        seen.append(dw.copy())
        return w, config

    model = MLP(hidden_sizes=(5, 4), activation=activation, optimizer=record, batch_size=12,
                epochs=1).fit(X, y)
    _, grads = model.loss_and_gradients(X, y)  # params_ are still the initial ones
    assert len(seen) == len(grads)
    for dw, name in zip(seen, model.params_, strict=True):  # (fit shuffles: sums reorder)
        np.testing.assert_allclose(dw, grads[name], rtol=1e-12, atol=1e-15, err_msg=name)
    _, caches = model.forward(X)  # the public caches keep the pre-activations a
    a1 = caches[0][1][0]
    np.testing.assert_array_equal(a1, X @ model.params_["W1"].T + model.params_["b1"])


def _validation_split(model, X, y):
    """Rebuild fit's hold-out set: fit draws the initial weights (layer by layer) and then
    the permutation from the same generator."""
    rng = np.random.default_rng(model.seed)
    sizes = [X.shape[1], *model.hidden_sizes, model.params_[f"b{model.n_layers_}"].shape[0]]
    for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True):
        rng.standard_normal((d_out, d_in))
    order = rng.permutation(len(X))
    n_val = max(1, round(model.validation_fraction * len(X)))
    return X[order[:n_val]], y[order[:n_val]]


def test_early_stopping_restores_the_best_weights():
    X, y = make_moons(n_samples=100, noise=0.35, seed=1)
    kwargs = dict(hidden_sizes=(64, 64), activation="tanh", learning_rate=0.02, epochs=300,
                  early_stopping=True, validation_fraction=0.3, patience=8, seed=0)
    model = MLP(**kwargs).fit(X, y)
    val = model.history_["val_loss"]
    best = int(np.argmin(val))
    assert model.n_epochs_ < 300 and len(val) == model.n_epochs_
    assert model.n_epochs_ == best + 1 + 8  # patience epochs without improvement
    X_val, y_val = _validation_split(model, X, y)
    assert model.loss_and_gradients(X_val, y_val)[0] == pytest.approx(min(val), abs=1e-8)
    assert model.loss_and_gradients(X_val, y_val)[0] < val[-1]
    # the same run stopped after the best epoch ends with exactly these weights
    short = MLP(**{**kwargs, "epochs": best + 1}).fit(X, y)
    for name in model.params_:
        np.testing.assert_array_equal(model.params_[name], short.params_[name])


# ================================================================== dropout
def test_dropout_changes_training_but_not_prediction(moons):
    X, y = moons
    kw = dict(hidden_sizes=(16,), activation="relu", learning_rate=0.01, epochs=10, seed=0)
    plain = MLP(**kw).fit(X, y)
    dropped = MLP(dropout=0.5, **kw).fit(X, y)
    assert not np.array_equal(plain.params_["W1"], dropped.params_["W1"])
    assert dropped.history_["loss"] != plain.history_["loss"]
    p1, p2 = dropped.predict_proba(X), dropped.predict_proba(X)
    np.testing.assert_array_equal(p1, p2)
    np.testing.assert_array_equal(p1, sigmoid(dropped.forward(X)[0][:, 0]))
    np.testing.assert_array_equal(dropped.predict(X), dropped.predict(X))
    l1, l2 = dropped.loss_and_gradients(X, y)[0], dropped.loss_and_gradients(X, y)[0]
    assert l1 == l2


# =============================================================== optimizers
@pytest.mark.parametrize(
    ("optimizer", "learning_rate"),
    [("sgd", 1.0), ("gd", 1.0), ("momentum", 0.1), ("adam", 0.03), (sgd, 1.0)],
)
def test_every_optimizer_trains(moons, optimizer, learning_rate):
    X, y = moons
    model = MLP(hidden_sizes=(16,), activation="tanh", optimizer=optimizer,
                learning_rate=learning_rate, epochs=80, seed=0).fit(X, y)
    loss = model.history_["loss"]
    assert loss[-1] < 0.2 * loss[0]
    assert model.score(X, y) >= 0.97


def test_custom_optimizer_gets_config_and_state():
    X, y = _toy("sigmoid", n=10)
    seen = []

    def update(w, dw, config):
        seen.append((config["learning_rate"], config["mu"], config.get("steps", 0)))
        config["steps"] = config.get("steps", 0) + 1  # state kept per parameter
        w -= config["learning_rate"] * dw
        return w, config

    model = MLP(hidden_sizes=(3,), optimizer=update, learning_rate=0.05, batch_size=4,
                epochs=2, optimizer_config={"mu": 0.7}).fit(X, y)
    n_batches, n_params = 3, len(model.params_)
    assert len(seen) == 2 * n_batches * n_params
    assert all(lr == 0.05 and mu == 0.7 for lr, mu, _ in seen)
    assert max(steps for _, _, steps in seen) == 2 * n_batches - 1


def test_learning_rate_schedule_is_called_each_epoch():
    X, y = _toy("sigmoid", n=10)
    calls, used = [], []

    def schedule(epoch):
        calls.append(epoch)
        return 0.1 / (1 + epoch)

    def update(w, dw, config):
        used.append(config["learning_rate"])
        return sgd(w, dw, config)

    MLP(hidden_sizes=(3,), optimizer=update, learning_rate=schedule, batch_size=10,
        epochs=4).fit(X, y)
    assert calls == [0, 1, 2, 3]
    # one batch per epoch, four parameters (W1, b1, W2, b2) updated with the epoch's rate
    assert used == [lr for lr in (0.1, 0.05, 0.1 / 3, 0.025) for _ in range(4)]


def test_constant_schedule_equals_a_fixed_learning_rate(moons):
    X, y = moons
    kw = dict(hidden_sizes=(8,), activation="tanh", epochs=5, seed=0)
    fixed = MLP(learning_rate=0.01, **kw).fit(X, y)
    sched = MLP(learning_rate=lambda epoch: 0.01, **kw).fit(X, y)
    decayed = MLP(learning_rate=step_decay(0.01, drop=0.1, every=2), **kw).fit(X, y)
    np.testing.assert_array_equal(fixed.params_["W1"], sched.params_["W1"])
    assert fixed.history_["loss"][:2] == decayed.history_["loss"][:2]
    assert fixed.history_["loss"][2:] != decayed.history_["loss"][2:]


# ============================================================== predictions
def test_predict_proba_shapes_and_predict(moons):
    X, y = moons
    binary = MLP(hidden_sizes=(8,), epochs=3).fit(X, y)
    p = binary.predict_proba(X)
    assert p.shape == (200,) and np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(binary.predict(X), (p >= 0.5).astype(int))
    y3 = np.where(X[:, 0] > 1.0, 2, y)  # three classes
    multi = MLP(hidden_sizes=(8,), epochs=3).fit(X, y3)
    assert multi.output_ == "softmax"
    P = multi.predict_proba(X)
    assert P.shape == (200, 3)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(multi.predict(X), np.argmax(P, axis=1))
    np.testing.assert_allclose(P, softmax(multi.forward(X)[0], axis=1))


def test_predict_proba_refuses_regression():
    X, y = _toy("identity")
    model = MLP(hidden_sizes=(4,), epochs=1).fit(X, y)
    message = ("predict_proba needs a classifier; this MLP does regression "
               "(output='identity'). Use predict.")
    with pytest.raises(ValueError, match=re.escape(message)):
        model.predict_proba(X)


def test_score_is_accuracy_for_classifiers(moons):
    X, y = moons
    model = MLP(hidden_sizes=(8,), epochs=2).fit(X, y)
    assert model.score(X, y) == np.mean(model.predict(X) == y)


def test_score_is_r2_for_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = 2.0 * X[:, 0] - X[:, 1] + 0.1 * rng.normal(size=200)
    model = MLP(hidden_sizes=(), learning_rate=0.05, epochs=60, seed=0).fit(X, y)
    assert model.output_ == "identity" and set(model.history_) == {"loss"}  # no accuracy
    pred = model.predict(X)
    assert pred.shape == (200,)
    r2 = 1.0 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2)
    assert model.score(X, y) == pytest.approx(r2, rel=1e-12)
    assert model.score(X, y) > 0.99
    Y = np.column_stack([y, -y])
    two = MLP(hidden_sizes=(), learning_rate=0.05, epochs=60, seed=0).fit(X, Y)
    assert two.predict(X).shape == (200, 2) and two.score(X, Y) > 0.99
    assert model.score(X, np.full(200, 3.0)) == 0.0  # constant targets: R^2 defined as 0


def test_score_accepts_a_column_of_targets(moons):
    # y of shape (n, 1) used to broadcast against the (n,) predictions to (n, n)
    X, y = moons
    clf = MLP(hidden_sizes=(8,), activation="tanh", learning_rate=0.05, epochs=20).fit(X, y)
    assert clf.score(X, y[:, None]) == clf.score(X, y) > 0.8
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(50, 2))
    yr = (Xr @ [1.0, -2.0] + 0.1 * rng.normal(size=50))[:, None]
    reg = MLP(hidden_sizes=(8,), activation="tanh", learning_rate=0.01, epochs=300).fit(Xr, yr)
    assert reg.predict(Xr).shape == (50,)  # fit accepts y (n, 1); predict gives (n,)
    assert reg.score(Xr, yr) == reg.score(Xr, yr.ravel()) > 0.99


def test_score_refuses_targets_of_another_shape(moons):
    X, y = moons
    clf = MLP(hidden_sizes=(4,), epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=re.escape(
            "y has shape (200, 2), but this MLP predicts shape (200,); pass y of shape "
            "(200,) (y.argmax(axis=1) for one-hot labels).")):
        clf.score(X, np.eye(2)[y])
    X2, Y2 = _toy("identity-2d")
    reg = MLP(hidden_sizes=(4,), epochs=1).fit(X2, Y2)
    with pytest.raises(ValueError, match=re.escape(
            "y has shape (6,), but this MLP predicts shape (6, 2); pass y of shape (6, 2).")):
        reg.score(X2, Y2[:, 0])


def test_hidden_activations():
    X, y = _toy("softmax")
    model = MLP(hidden_sizes=(5, 4), activation=["tanh", "sigmoid"], epochs=1).fit(X, y)
    Z = model.hidden_activations(X)
    assert [z.shape for z in Z] == [(6, 5), (6, 4)]
    P = model.params_
    z1 = np.tanh(X @ P["W1"].T + P["b1"])
    np.testing.assert_allclose(Z[0], z1, rtol=1e-12)
    np.testing.assert_allclose(Z[1], sigmoid(z1 @ P["W2"].T + P["b2"]), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu"])
def test_extreme_inputs_give_finite_probabilities(moons, activation, dtype):
    X, y = moons
    big = np.array([[1e3, 1e3], [-1e3, -1e3], [1e3, -1e3], [-1e3, 1e3]])
    y3 = np.where(X[:, 0] > 1.0, 2, y)
    for target in (y, y3):
        model = MLP(hidden_sizes=(16,), activation=activation, dtype=dtype, epochs=2,
                    learning_rate=0.01).fit(X, target)
        P = model.predict_proba(big)
        assert np.all(np.isfinite(P)) and np.all((P >= 0) & (P <= 1))
        assert P.shape[0] == 4


# ========================================================= accuracy targets
def test_digits_test_accuracy_at_least_97_percent():
    # Checked with model seeds 0..15: test accuracy 0.971 to 0.987 (mean 0.980); ~1-3 s.
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    scaler = Standardizer().fit(X_train)
    model = MLP(hidden_sizes=(128,), activation="relu", dropout=0.2, optimizer="adam",
                learning_rate=cosine_decay(1e-2, 30), batch_size=32, epochs=30, seed=0)
    model.fit(scaler.transform(X_train), y_train)
    assert model.score(scaler.transform(X_test), y_test) >= 0.97


def test_moons_test_accuracy_at_least_99_percent():
    # Checked with model seeds 0..11: 100% test accuracy each time; < 1 s.
    X, y = make_moons(n_samples=1000, noise=0.1, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    model = MLP(hidden_sizes=(32,), activation="relu", optimizer="adam", learning_rate=0.01,
                batch_size=32, epochs=50, seed=0).fit(X_train, y_train)
    assert model.score(X_test, y_test) >= 0.99


def test_xor_is_learned_exactly():
    # Checked with model seeds 0..29: all four points right every time.
    X, y = xor()
    model = MLP(hidden_sizes=(8,), activation="tanh", optimizer="adam", learning_rate=0.05,
                batch_size=4, epochs=300, seed=0).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), [0, 1, 1, 0])
    assert model.score(X, y) == 1.0


# =================================================================== errors
X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])

BAD_HYPERPARAMETERS = [
    ({"hidden_sizes": 16}, "hidden_sizes must be a sequence of ints, one width per hidden "
                           "layer, such as (16,) or (); got 16."),
    ({"hidden_sizes": (0,)}, "each entry of hidden_sizes must be > 0; got 0."),
    ({"hidden_sizes": (2.5,)}, "each entry of hidden_sizes must be an int; got 2.5."),
    ({"hidden_sizes": (4, 4), "activation": ["tanh"]},
     "activation has 1 entries but there are 2 hidden layers; give one name, or one per "
     "hidden layer."),
    ({"activation": "swish"}, "Unknown or untrainable activation 'swish'; choose one of "
                              "sigmoid, tanh, relu"),
    ({"activation": ["tanh", "step"], "hidden_sizes": (2, 2)},
     "Unknown or untrainable activation 'step'"),
    ({"output": "linear"}, "output must be one of ('auto', 'sigmoid', 'softmax', "
                           "'identity'); got 'linear'."),
    ({"init": "glorot"}, "init must be 'auto', 'he' or 'xavier'; got 'glorot'."),
    ({"dtype": np.int32}, "dtype must be np.float32 or np.float64"),
    ({"dtype": "no such type"}, "dtype must be np.float32 or np.float64; got 'no such type'."),
    ({"learning_rate": 0.0}, "learning_rate must be > 0; got 0.0."),
    ({"batch_size": 0}, "batch_size must be > 0; got 0."),
    ({"batch_size": 1.5}, "batch_size must be an int; got 1.5."),
    ({"epochs": -3}, "epochs must be > 0; got -3."),
    ({"l2": -0.1}, "l2 must be >= 0; got -0.1."),
    ({"dropout": 1.0}, "dropout must be in [0.0, 1.0); got 1.0."),
    ({"dropout": -0.2}, "dropout must be in [0.0, 1.0); got -0.2."),
    ({"patience": 0}, "patience must be > 0; got 0."),
    ({"early_stopping": True, "validation_fraction": 0.0},
     "validation_fraction must be > 0 when early_stopping=True."),
    ({"early_stopping": True, "validation_fraction": 1.0},
     "validation_fraction must be in [0.0, 1.0); got 1.0."),
    ({"early_stopping": True, "validation_fraction": 0.9},
     "validation_fraction=0.9 leaves no training samples out of 4; use a smaller "
     "validation_fraction or more samples."),
    ({"optimizer": "rmsprop"}, "Unknown optimizer 'rmsprop'; choose one of sgd, gd, "
                               "momentum, adam"),
    # the learning rate in optimizer_config would be overwritten by MLP's learning_rate
    ({"optimizer": "momentum", "optimizer_config": {"learning_rate": 0.5}},
     "optimizer_config must not contain 'learning_rate' (it would be replaced by MLP's own); "
     "pass learning_rate=... to MLP, not in optimizer_config."),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_raise_in_fit(kwargs, message):
    model = MLP(**kwargs)  # __init__ only stores them
    with pytest.raises(ValueError, match=re.escape(message)):
        model.fit(X4, Y4)


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "message"),
    [
        (X4, Y4[:, None, None], {}, "y must have shape (n_samples,) or (n_samples, k); got "
                                    "(4, 1, 1)."),
        (X4, np.eye(4)[:, :2], {"output": "softmax"},
         "y must be 1-D for a classifier; got shape (4, 2). Use y.ravel() (or "
         "y.argmax(axis=1) for one-hot labels)."),
        (X4, Y4[:, None], {}, "y must be 1-D for a classifier; got shape (4, 1). Use "
                              "y.ravel()"),
        (X4, [1, 1, 1, 1], {}, "y contains only one class (1); a classifier needs at least "
                               "2 classes."),
        (X4, [0, 2, 2, 0], {"output": "sigmoid"},
         "output='sigmoid' needs labels {0, 1}; found [0, 2]. Use output='softmax' for more "
         "than two classes."),
        (X4, [-1, 1, 1, -1], {}, "found {-1, 1}. Use (y + 1) // 2."),
        (X4, [-1, 1, 1, -1], {"output": "sigmoid"}, "Use (y + 1) // 2."),
        (X4, [0.5, 1, 1, 0], {"output": "softmax"},
         "y must contain integer class labels; found 0.5."),
        (X4, [-1, 0, 1, 2], {"output": "softmax"},
         "y must contain labels in [0, k); found the negative label -1."),
        (X4, [-1, 0, 1, 2], {}, "output='auto' cannot tell classes from the integer targets "
                                "{-1, 0, 1, 2}; pass output='identity' for regression, or "
                                "labels 0..k-1 with output='softmax' (1-based labels? use "
                                "y - 1)."),
        (X4, Y4[:3], {}, "X and y have inconsistent numbers of samples: X has 4, y has 3."),
        (np.where(X4 == 1.0, np.inf, X4), Y4, {}, "X contains NaN or infinity; found 4"),
        (X4, [0, np.nan, 1, 0], {}, "y contains NaN or infinity; found 1"),
        (X4[:, 0], Y4, {}, "X must be a 2-D array of shape (n_samples, n_features); got shape "
                           "(4,)."),
    ],
)
def test_bad_data(X, y, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        MLP(**kwargs).fit(X, y)


def test_not_fitted():
    model = MLP()
    message = re.escape("This MLP is not fitted yet. Call fit(X, y) first.")
    for call in (model.predict, model.predict_proba, model.forward, model.hidden_activations):
        with pytest.raises(NotFittedError, match=message):
            call(X4)
    with pytest.raises(NotFittedError, match=message):
        model.score(X4, Y4)
    with pytest.raises(NotFittedError, match=message):
        model.loss_and_gradients(X4, Y4)
    with pytest.raises(NotFittedError, match=message):
        _ = model.n_layers_


def _fitted(output):
    X, y = _toy(output)
    return MLP(hidden_sizes=(3,), epochs=1, output=output.split("-")[0]).fit(X, y), X, y


@pytest.mark.parametrize(("output", "make_y", "message"), [
    # wrong shapes for a classifier (a column used to give a huge loss, or NumPy's message)
    ("softmax", lambda y: y[:, None], "y must have shape (n_samples,) for this MLP's "
     "softmax head; got shape (6, 1). Use y.ravel() (or y.argmax(axis=1) for one-hot "
     "labels)."),
    ("softmax", lambda y: np.eye(3)[y], "y must have shape (n_samples,) for this MLP's "
     "softmax head; got shape (6, 3). Use y.ravel() (or y.argmax(axis=1)"),
    ("sigmoid", lambda y: y[:, None], "y must have shape (n_samples,) for this MLP's "
     "sigmoid head; got shape (6, 1). Use y.ravel()"),
    # labels the sigmoid head cannot take (used to give a negative BCE, or pass)
    ("sigmoid", lambda y: 2 * y - 1, "y must contain only labels {0, 1}; found {-1, 1}. "
     "Use (y + 1) // 2."),
    ("sigmoid", lambda y: y + 1, "y must contain only labels {0, 1}; found {1, 2}."),
    ("softmax", lambda y: y - 1, "found the negative label -1"),
    # regression: the shape must match the outputs (used to broadcast)
    ("identity-2d", lambda y: y[:, 0], "y must have shape (n_samples, 2) for this MLP's 2 "
     "output(s); got shape (6,)."),
    ("identity-2d", lambda y: y[:, :1], "y must have shape (n_samples, 2) for this MLP's 2 "
     "output(s); got shape (6, 1)."),
    ("identity", lambda y: np.column_stack([y, y]), "y must have shape (n_samples,) or "
     "(n_samples, 1) for this MLP's 1 output(s); got shape (6, 2)."),
])
def test_loss_and_gradients_checks_y_against_the_head(output, make_y, message):
    model, X, y = _fitted(output)
    with pytest.raises(ValueError, match=re.escape(message)):
        model.loss_and_gradients(X, make_y(y))


def test_loss_and_gradients_accepts_a_column_for_one_regression_output():
    model, X, y = _fitted("identity")
    loss, grads = model.loss_and_gradients(X, y)
    loss_col, grads_col = model.loss_and_gradients(X, y[:, None])
    assert loss_col == loss and all(np.array_equal(grads[k], grads_col[k]) for k in grads)


def test_wrong_inputs_after_fit():
    model = MLP(hidden_sizes=(3,), epochs=1).fit(X4, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=re.escape(
            "X has 3 features, but this MLP was fitted with 2.")):
        model.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match=re.escape(
            "y contains the label 3, but there are only 3 classes (columns)")):
        model.loss_and_gradients(X4, [0, 1, 2, 3])
    with pytest.raises(ValueError, match=re.escape(
            "X and y have inconsistent numbers of samples: X has 4, y has 2.")):
        model.loss_and_gradients(X4, [0, 1])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.score(X4, [0, 1])
