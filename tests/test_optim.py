"""Tests of mlkit.optim: update rules, the mini-batch iterator and the schedules."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlkit.optim import (
    OPTIMIZERS,
    adam,
    constant,
    cosine_decay,
    exponential_decay,
    get_optimizer,
    inverse_time_decay,
    minibatches,
    sgd,
    sgd_momentum,
    step_decay,
)

RULES = [sgd, sgd_momentum, adam]
DEFAULT_LR = {sgd: 1e-2, sgd_momentum: 1e-2, adam: 1e-3}


# ---------------------------------------------------------------- common contract
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_update_is_in_place_and_returns_w_and_config(rule):
    w = np.array([1.0, -2.0, 3.0])
    before = w.copy()
    config = {"learning_rate": 0.1}
    w_out, config_out = rule(w, np.array([0.5, -0.5, 1.0]), config)
    assert w_out is w  # the same array, changed in place
    assert config_out is config
    assert not np.array_equal(w, before)
    assert np.all(np.sign(w - before) == -np.sign([0.5, -0.5, 1.0]))  # downhill


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_config_none_starts_with_the_defaults(rule):
    w = np.zeros(2)
    _, config = rule(w, np.ones(2), None)
    assert isinstance(config, dict)
    assert config["learning_rate"] == DEFAULT_LR[rule]
    w2 = np.zeros(2)
    rule(w2, np.ones(2))  # config may be omitted
    np.testing.assert_array_equal(w, w2)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("lr, message", [
    (-0.1, r"^learning_rate must be > 0; got -0\.1\.$"),
    (0, r"^learning_rate must be > 0; got 0\.$"),
    ("0.1", r"^learning_rate must be a number; got '0\.1'\.$"),
])
def test_bad_learning_rate(rule, lr, message):
    with pytest.raises(ValueError, match=message):
        rule(np.zeros(2), np.ones(2), {"learning_rate": lr})


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("lr", [math.nan, math.inf, -0.0, True])
def test_learning_rates_that_are_not_positive_finite_numbers(rule, lr):
    # the fast check for a Python float must let none of these through
    with pytest.raises(ValueError, match="^learning_rate must be"):
        rule(np.zeros(2), np.ones(2), {"learning_rate": lr})


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("lr", [1, np.float64(0.5), np.float32(0.5)])
def test_learning_rate_may_be_an_int_or_a_numpy_number(rule, lr):
    w = np.zeros(2)
    rule(w, np.ones(2), {"learning_rate": lr})
    assert np.all(w < 0)


# ---------------------------------------------------------------- worked steps
def test_sgd_step_by_hand():
    # w - lr * dw = [1, -2] - 0.1 * [0.5, 0.5] = [0.95, -2.05]
    w, _ = sgd(np.array([1.0, -2.0]), np.array([0.5, 0.5]), {"learning_rate": 0.1})
    np.testing.assert_allclose(w, [0.95, -2.05], rtol=1e-15)


def test_momentum_steps_by_hand_keep_the_velocity():
    # lr = 0.1, mu = 0.9, dw = 1 twice:
    # v1 = 0.9 * 0 - 0.1 = -0.1,     w1 = 0 - 0.1 = -0.1
    # v2 = 0.9 * (-0.1) - 0.1 = -0.19, w2 = -0.1 - 0.19 = -0.29
    w, config = sgd_momentum(np.zeros(1), np.ones(1), {"learning_rate": 0.1})
    assert config["momentum"] == 0.9
    np.testing.assert_allclose(config["velocity"], [-0.1])
    np.testing.assert_allclose(w, [-0.1])
    w, config = sgd_momentum(w, np.ones(1), config)
    np.testing.assert_allclose(config["velocity"], [-0.19])
    np.testing.assert_allclose(w, [-0.29])


def test_momentum_zero_is_sgd():
    w1, _ = sgd_momentum(np.array([1.0, 2.0]), np.array([3.0, -1.0]),
                         {"learning_rate": 0.1, "momentum": 0.0})
    w2, _ = sgd(np.array([1.0, 2.0]), np.array([3.0, -1.0]), {"learning_rate": 0.1})
    np.testing.assert_allclose(w1, w2, rtol=1e-15)


def test_adam_first_step_by_hand_moves_every_weight_by_about_the_learning_rate():
    lr = 0.01
    w = np.array([1.0, -1.0, 0.5])
    g = np.array([0.1, -2.0, 1e-3])
    w_new, config = adam(w.copy(), g, {"learning_rate": lr})
    # m1 = 0.1 g, v1 = 0.001 g^2; bias correction divides by 1 - 0.9 and 1 - 0.999, so
    # m_hat = g, v_hat = g^2 and the step is lr * g / (|g| + 1e-8) ~ lr * sign(g),
    # whatever the size of g
    np.testing.assert_allclose(config["m"], 0.1 * g)
    np.testing.assert_allclose(config["v"], 0.001 * g * g)
    assert config["t"] == 1
    np.testing.assert_allclose(w_new, w - lr * g / (np.abs(g) + 1e-8), rtol=1e-14)
    np.testing.assert_allclose(np.abs(w_new - w), lr, rtol=1e-4)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_in_place_equals_the_textbook_formula_exactly(dtype):
    # adam computes w -= lr * m_hat / (sqrt(v_hat) + eps) in place, without temporaries:
    # the same operations in the same order, so the same bits, in float64 and float32
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 4)).astype(dtype)
    w_ref, m, v = w.copy(), np.zeros_like(w), np.zeros_like(w)
    config = {"learning_rate": 0.01}
    for t in range(1, 6):
        g = rng.normal(size=w.shape).astype(dtype)
        w, config = adam(w, g, config)
        m = 0.9 * m + (1 - 0.9) * g
        v = 0.999 * v + (1 - 0.999) * (g * g)
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        w_ref = w_ref - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        assert w.dtype == dtype
        np.testing.assert_array_equal(config["m"], m)
        np.testing.assert_array_equal(config["v"], v)
        np.testing.assert_array_equal(w, w_ref, err_msg=f"step {t}")


def test_adam_keeps_state_across_calls():
    # With a constant gradient g the bias-corrected moments stay m_hat = g, v_hat = g^2:
    # m2 = 0.9 * 0.1 g + 0.1 g = 0.19 g and 0.19 g / (1 - 0.9^2) = g (same for v), so every
    # step is again lr * sign(g); t counts the steps
    w, config = np.zeros(2), {"learning_rate": 0.1}
    g = np.array([3.0, -0.5])
    for t in range(1, 4):
        w, config = adam(w, g, config)
        assert config["t"] == t
    np.testing.assert_allclose(config["m"], (1 - 0.9**3) * g)
    np.testing.assert_allclose(w, [-0.3, 0.3], rtol=1e-7)


def test_momentum_accelerates_on_an_ill_conditioned_quadratic():
    # f(w) = 0.5 * (w_1^2 + 0.01 w_2^2): plain gradient descent crawls along w_2
    c = np.array([1.0, 0.01])

    def final_loss(rule):
        w, config = np.array([1.0, 1.0]), {"learning_rate": 0.5}
        for _ in range(100):
            w, config = rule(w, c * w, config)
        return 0.5 * np.sum(c * w * w)

    loss_sgd, loss_momentum = final_loss(sgd), final_loss(sgd_momentum)
    # sgd: w_2 = (1 - 0.005)^100 = 0.606, loss 0.5 * 0.01 * 0.367 = 1.8e-3
    assert loss_sgd == pytest.approx(0.5 * 0.01 * 0.995**200, rel=1e-6)
    assert loss_momentum < loss_sgd / 100


def test_adam_converges_on_a_quadratic():
    target = np.array([3.0, -2.0, 0.5])
    scale = np.array([1.0, 10.0, 0.1])  # badly scaled on purpose
    w, config = np.zeros(3), {"learning_rate": 0.05}
    for _ in range(2000):
        w, config = adam(w, 2 * scale * (w - target), config)
    np.testing.assert_allclose(w, target, atol=1e-6)


# ---------------------------------------------------------------- get_optimizer
def test_get_optimizer_names():
    assert get_optimizer("sgd") is sgd
    assert get_optimizer("gd") is sgd
    assert get_optimizer("momentum") is sgd_momentum
    assert get_optimizer("adam") is adam
    assert set(OPTIMIZERS) == {"sgd", "gd", "momentum", "adam"}

    def my_rule(w, dw, config):
        return w, config

    assert get_optimizer(my_rule) is my_rule


@pytest.mark.parametrize("bad", ["rmsprop", "Adam", None, ["sgd"]])
def test_get_optimizer_unknown_name(bad):
    with pytest.raises(ValueError, match=r"^Unknown optimizer .*; choose one of sgd, gd, "
                                         r"momentum, adam, or pass a function "
                                         r"update\(w, dw, config\) -> \(w, config\)\.$"):
        get_optimizer(bad)


# ---------------------------------------------------------------- minibatches
def make_data(n):
    X = np.arange(2.0 * n).reshape(n, 2)
    y = np.arange(n)  # y holds the sample index, so batches can be traced back
    return X, y


def test_minibatches_without_shuffle_keep_the_order_and_a_smaller_last_batch():
    X, y = make_data(10)
    batches = list(minibatches(X, y, 4, shuffle=False))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), np.arange(10))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb])


def test_minibatches_with_a_seed_are_deterministic_and_shuffled():
    X, y = make_data(20)
    order1 = np.concatenate([yb for _, yb in minibatches(X, y, 6, seed=0)])
    order2 = np.concatenate([yb for _, yb in minibatches(X, y, 6, seed=0)])
    order3 = np.concatenate([yb for _, yb in minibatches(X, y, 6, seed=1)])
    np.testing.assert_array_equal(order1, order2)
    assert not np.array_equal(order1, np.arange(20))
    assert not np.array_equal(order1, order3)
    np.testing.assert_array_equal(np.sort(order1), np.arange(20))


def test_minibatches_with_a_generator_draw_a_new_order_each_epoch():
    X, y = make_data(20)
    rng = np.random.default_rng(0)
    epoch1 = np.concatenate([yb for _, yb in minibatches(X, y, 5, seed=rng)])
    epoch2 = np.concatenate([yb for _, yb in minibatches(X, y, 5, seed=rng)])
    assert not np.array_equal(epoch1, epoch2)
    np.testing.assert_array_equal(np.sort(epoch2), np.arange(20))


def test_minibatches_errors_are_raised_at_the_call():
    X, y = make_data(5)
    with pytest.raises(ValueError, match=r"^X and y have inconsistent numbers of samples: "
                                         r"X has 5, y has 4\.$"):
        minibatches(X, y[:4], 2)  # no iteration needed
    with pytest.raises(ValueError, match=r"^batch_size must be > 0; got 0\.$"):
        minibatches(X, y, 0)
    with pytest.raises(ValueError, match=r"^batch_size must be an int; got 2\.5\.$"):
        minibatches(X, y, 2.5)
    with pytest.raises(TypeError, match=r"^seed must be an int, a numpy\.random\.Generator "
                                        r"or None; got str\.$"):
        minibatches(X, y, 2, seed="0")


@settings(deadline=None)
@given(n=st.integers(1, 200), batch_size=st.integers(1, 64), shuffle=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_minibatches_yield_every_index_exactly_once(n, batch_size, shuffle, seed):
    X, y = make_data(n)
    batches = list(minibatches(X, y, batch_size, shuffle=shuffle, seed=seed))
    sizes = [len(yb) for _, yb in batches]
    assert len(batches) == math.ceil(n / batch_size)
    assert all(s == batch_size for s in sizes[:-1]) and 1 <= sizes[-1] <= batch_size
    np.testing.assert_array_equal(np.sort(np.concatenate([yb for _, yb in batches])),
                                  np.arange(n))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb])


# ---------------------------------------------------------------- schedules
def test_constant_schedule():
    schedule = constant(0.1)
    assert [schedule(t) for t in (0, 5, 100)] == [0.1, 0.1, 0.1]


def test_step_decay_values():
    # 0.1 * 0.5^(t // 10): t = 0, 9 -> 0.1; 10, 19 -> 0.05; 25 -> 0.025
    schedule = step_decay(0.1, drop=0.5, every=10)
    assert [schedule(t) for t in (0, 9, 10, 19, 25)] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025])
    assert step_decay(1.0)(20) == pytest.approx(0.25)  # defaults drop 0.5, every 10


def test_exponential_decay_values():
    # 1.0 * 0.5^t: 1, 0.5, 0.125
    schedule = exponential_decay(1.0, 0.5)
    assert [schedule(t) for t in (0, 1, 3)] == pytest.approx([1.0, 0.5, 0.125])
    assert exponential_decay(1.0)(2) == pytest.approx(0.95**2)


def test_inverse_time_decay_values():
    # 1.0 / (1 + 0.5 t): 1, 1/2 (t = 2), 1/6 (t = 10); k = 0 is a constant
    schedule = inverse_time_decay(1.0, 0.5)
    assert [schedule(t) for t in (0, 2, 10)] == pytest.approx([1.0, 0.5, 1 / 6])
    assert inverse_time_decay(0.3, 0.0)(50) == 0.3


def test_cosine_decay_values():
    # 0.5 (1 + cos(pi t / 10)): t = 0 -> 1, t = 5 -> 0.5, t = 10 -> 0, then held at lr_min
    schedule = cosine_decay(1.0, 10)
    assert [schedule(t) for t in (0, 5, 10, 20)] == pytest.approx([1.0, 0.5, 0.0, 0.0],
                                                                  abs=1e-15)
    # lr_min = 0.1: 0.1 + 0.5 * 0.9 * (1 + cos(pi / 2)) = 0.55 at t = 5
    schedule = cosine_decay(1.0, 10, lr_min=0.1)
    assert [schedule(t) for t in (0, 5, 10, 30)] == pytest.approx([1.0, 0.55, 0.1, 0.1])


@pytest.mark.parametrize("make, message", [
    (lambda: constant(0.0), r"^lr must be > 0; got 0\.0\.$"),
    (lambda: step_decay(-1.0), r"^lr must be > 0; got -1\.0\.$"),
    (lambda: step_decay(0.1, drop=0), r"^drop must be > 0; got 0\.$"),
    (lambda: step_decay(0.1, every=2.5), r"^every must be an int; got 2\.5\.$"),
    (lambda: step_decay(0.1, every=0), r"^every must be > 0; got 0\.$"),
    (lambda: exponential_decay("0.1", 0.9), r"^lr must be a number; got '0\.1'\.$"),
    (lambda: exponential_decay(0.1, -0.9), r"^gamma must be > 0; got -0\.9\.$"),
    (lambda: inverse_time_decay(0.1, -1.0), r"^k must be >= 0; got -1\.0\.$"),
    (lambda: inverse_time_decay(math.inf, 1.0), r"^lr must be > 0; got inf\.$"),
    (lambda: cosine_decay(0.1, 0), r"^total_epochs must be > 0; got 0\.$"),
    (lambda: cosine_decay(0.1, 10.0), r"^total_epochs must be an int; got 10\.0\.$"),
    (lambda: cosine_decay(0.1, 10, lr_min=-0.01), r"^lr_min must be >= 0; got -0\.01\.$"),
])
def test_schedule_arguments_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()
