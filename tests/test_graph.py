"""Tests for mlkit.graph: worked examples, every local gradient, gates, errors, properties."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlkit.graph import AddGate, MultiplyGate, SigmoidGate, Value

H = 1e-6  # centered differences in float64: error about h^2 + eps / h, near 1e-10 here
TOL = 1e-7  # relative error a correct gradient stays below


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|), element-wise, as in CS231n."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numeric_grads(f, args):
    """d f / d args[i] for each i by centered differences, running f on fresh Values."""
    grads = []
    for i in range(len(args)):
        plus, minus = list(args), list(args)
        plus[i] += H
        minus[i] -= H
        f_plus = f(*[Value(a) for a in plus]).data
        f_minus = f(*[Value(a) for a in minus]).data
        grads.append((f_plus - f_minus) / (2 * H))
    return grads


def analytic_grads(f, args):
    inputs = [Value(a) for a in args]
    f(*inputs).backward()
    return [v.grad for v in inputs]


# ---- the two worked examples -------------------------------------------------------------
def test_worked_example_x_plus_y_times_z():
    # q = x + y = 3, f = q z = -12; df/dz = q = 3, df/dq = z = -4, df/dx = df/dy = df/dq * 1
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    f = q * z
    f.backward()
    assert f.data == -12.0
    assert (x.grad, y.grad, z.grad, q.grad, f.grad) == (-4.0, -4.0, 3.0, -4.0, 1.0)


def test_worked_example_theta_loss_deck_steps():
    # Seed deck 003 builds L = (theta1 theta2 x - y)^2 as a = theta1 theta2, b = a x,
    # c = b - y, L = c^2 (it gives no numbers; these are ours):
    # theta1=2, theta2=-3, x=0.5, y=1: a=-6, b=-3, c=-4, L=16.
    # dL/dc = 2c = -8; dL/db = dL/dc = -8; dL/da = dL/db * x = -4;
    # dL/dtheta1 = dL/da * theta2 = 12; dL/dtheta2 = dL/da * theta1 = -8;
    # dL/dx = dL/db * a = 48; dL/dy = -dL/dc = 8.
    t1, t2, x, y = Value(2.0), Value(-3.0), Value(0.5), Value(1.0)
    a = t1 * t2
    b = a * x
    c = b - y
    L = c**2
    L.backward()
    assert (a.data, b.data, c.data, L.data) == (-6.0, -3.0, -4.0, 16.0)
    assert (c.grad, b.grad, a.grad) == (-8.0, -8.0, -4.0)
    assert (t1.grad, t2.grad, x.grad, y.grad) == (12.0, -8.0, 48.0, 8.0)


@pytest.mark.parametrize("t1, t2, x, y", [(2.0, -3.0, 0.5, 1.0), (-1.3, 0.7, 2.2, -0.4),
                                          (0.1, 4.0, -1.5, 3.0), (-2.5, -0.2, -0.8, 0.0)])
def test_theta_loss_matches_hand_formula(t1, t2, x, y):
    T1, T2 = Value(t1), Value(t2)
    L = (T1 * T2 * x - y) ** 2
    L.backward()
    r = t1 * t2 * x - y
    assert L.data == pytest.approx(r**2, rel=1e-12)
    assert T1.grad == pytest.approx(2 * r * x * t2, rel=1e-12)  # 2(t1 t2 x - y) x t2
    assert T2.grad == pytest.approx(2 * r * x * t1, rel=1e-12)  # 2(t1 t2 x - y) x t1


# ---- every operation against finite differences -----------------------------------------
ANYWHERE = [-2.7, -1.0, -0.3, 0.4, 1.0, 2.5]
POSITIVE = [0.2, 0.9, 1.7, 3.0]
NONZERO_PAIRS = [(-2.0, 0.5), (1.5, -3.0), (-0.7, -1.2), (2.0, 4.0), (0.0, 1.3)]

UNARY = [  # (name, f on Values, the same on floats, where to test)
    ("neg", lambda v: -v, lambda x: -x, ANYWHERE),
    ("exp", lambda v: v.exp(), math.exp, ANYWHERE),
    ("log", lambda v: v.log(), math.log, POSITIVE),
    ("sigmoid", lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), ANYWHERE),
    ("tanh", lambda v: v.tanh(), math.tanh, ANYWHERE),
    ("relu", lambda v: v.relu(), lambda x: max(x, 0.0), ANYWHERE),
    ("square", lambda v: v**2, lambda x: x**2, ANYWHERE),
    ("cube", lambda v: v**3, lambda x: x**3, ANYWHERE),
    ("inverse", lambda v: v**-1, lambda x: 1 / x, ANYWHERE),
    ("sqrt", lambda v: v**0.5, math.sqrt, POSITIVE),
    ("power -1.5", lambda v: v**-1.5, lambda x: x**-1.5, POSITIVE),
    ("power 0", lambda v: v**0, lambda x: 1.0, ANYWHERE),
    ("plus const", lambda v: v + 2.5, lambda x: x + 2.5, ANYWHERE),
    ("const plus", lambda v: 2.5 + v, lambda x: 2.5 + x, ANYWHERE),
    ("minus const", lambda v: v - 2.5, lambda x: x - 2.5, ANYWHERE),
    ("const minus", lambda v: 2.5 - v, lambda x: 2.5 - x, ANYWHERE),
    ("times const", lambda v: v * -3, lambda x: x * -3, ANYWHERE),
    ("const times", lambda v: -3 * v, lambda x: -3 * x, ANYWHERE),
    ("over const", lambda v: v / 4, lambda x: x / 4, ANYWHERE),
    ("const over", lambda v: 4 / v, lambda x: 4 / x, ANYWHERE),
]
UNARY_CASES = [pytest.param(f, g, x, id=f"{name}({x})")
               for name, f, g, xs in UNARY for x in xs]


@pytest.mark.parametrize("f, f_float, x", UNARY_CASES)
def test_unary_forward_and_gradient(f, f_float, x):
    assert f(Value(x)).data == pytest.approx(f_float(x), rel=1e-12)
    (analytic,) = analytic_grads(f, [x])
    (numeric,) = numeric_grads(f, [x])
    assert rel_error(analytic, numeric) < TOL, (analytic, numeric)


BINARY = [
    ("add", lambda a, b: a + b, lambda a, b: a + b),
    ("sub", lambda a, b: a - b, lambda a, b: a - b),
    ("mul", lambda a, b: a * b, lambda a, b: a * b),
    ("div", lambda a, b: a / b, lambda a, b: a / b),
]


@pytest.mark.parametrize("a, b", NONZERO_PAIRS)
@pytest.mark.parametrize("f, f_float", [pytest.param(f, g, id=n) for n, f, g in BINARY])
def test_binary_forward_and_gradient(f, f_float, a, b):
    assert f(Value(a), Value(b)).data == pytest.approx(f_float(a, b), rel=1e-12)
    analytic, numeric = analytic_grads(f, [a, b]), numeric_grads(f, [a, b])
    assert rel_error(analytic, numeric) < TOL, (analytic, numeric)


def test_relu_gradient_at_zero_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_power_zero_at_zero_has_zero_gradient():
    x = Value(0.0)
    y = x**0
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)


# ---- accumulation, order, repeated calls --------------------------------------------------
@pytest.mark.parametrize("f, grad", [
    (lambda x: x * x, lambda x: 2 * x),
    (lambda x: x + x, lambda x: 2.0),
    (lambda x: x * x + x, lambda x: 2 * x + 1),
    (lambda x: (x * 3).tanh() * x, lambda x: 3 * (1 - math.tanh(3 * x) ** 2) * x
     + math.tanh(3 * x)),
])
@pytest.mark.parametrize("x", [-1.5, 0.25, 2.0])
def test_reused_node_accumulates(f, grad, x):
    (g,) = analytic_grads(f, [x])
    assert g == pytest.approx(grad(x), rel=1e-12)


def test_shared_subexpression_is_visited_once():
    x = Value(1.5)
    y = x * 2.0
    z = y * y + y  # dz/dy = 2y + 1 = 7; dz/dx = 7 * 2 = 14
    z.backward()
    assert (y.grad, x.grad) == (7.0, 14.0)
    assert len(z.topological_order()) == len({id(v) for v in z.topological_order()})


def test_deep_chain_without_recursion_error():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y + 1.0
    y = y * 1.0
    y.backward()
    assert y.data == 5000.5
    assert x.grad == 1.0
    assert len(y.topological_order()) == 1 + 2 * 5000 + 2  # x, each (1.0, sum), (1.0, product)


def test_topological_order_puts_parents_first():
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    f = (x + y) * z
    order = f.topological_order()
    assert [v.label or v.op for v in order] == ["x", "y", "+", "z", "*"]
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v.parents)
    assert order[-1] is f


def test_backward_twice_accumulates_leaves_only_and_zero_grad_resets():
    x, y = Value(3.0), Value(-1.0)
    h = x * y
    f = h * h  # df/dh = 2h = -6, df/dx = -6 y = 6, df/dy = -6 x = -18
    f.backward()
    f.backward()
    assert (x.grad, y.grad) == (12.0, -36.0)  # leaves: twice the gradient
    assert h.grad == -6.0  # intermediate: recomputed, not doubled
    f.zero_grad()
    assert all(v.grad == 0.0 for v in f.topological_order())
    f.backward()
    assert (x.grad, y.grad) == (6.0, -18.0)


def test_value_basics_repr_and_op_names():
    x = Value(3, label="x")
    assert isinstance(x.data, float) and x.grad == 0.0
    assert (x.parents, x.op, x.local_grads) == ((), "", ())
    assert repr(x) == "Value(data=3.0, grad=0.0, label='x')"
    y = x * -4.0
    y.backward()
    assert repr(x) == "Value(data=3.0, grad=-4.0, label='x')"
    assert repr(y) == "Value(data=-12.0, grad=1.0)"
    assert Value(np.float64(2.5)).data == 2.5 and Value(np.int64(2)).data == 2.0
    ops = [(x**2).op, (x**0.5).op, (x**-1).op, (-x).op, (x / 2).op, x.exp().op, x.log().op,
           x.sigmoid().op, x.tanh().op, x.relu().op, (x - 1).op]
    assert ops == ["**2", "**0.5", "**-1", "neg", "/", "exp", "log", "sigmoid", "tanh", "relu",
                   "-"]


# ---- numerics at extreme inputs -------------------------------------------------------------
@pytest.mark.parametrize("x, s", [(-1000.0, 0.0), (1000.0, 1.0), (-40.0, math.exp(-40.0))])
def test_sigmoid_extreme_inputs_finite_without_warnings(x, s):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = Value(x)
        out = v.sigmoid()
        out.backward()
    assert out.data == pytest.approx(s, rel=1e-12, abs=0.0)
    assert math.isfinite(v.grad) and 0.0 <= v.grad <= 0.25


# ---- the same expression built two ways -------------------------------------------------------
def test_values_gates_and_hand_formula_agree_on_a_sigmoid_neuron():
    # z = sigmoid(w0 x0 + w1 x1 + b) with w0=2, x0=-1, w1=-3, x1=-2, b=-3: a = 1.
    w0, x0, w1, x1, b = 2.0, -1.0, -3.0, -2.0, -3.0
    V = [Value(t) for t in (w0, x0, w1, x1, b)]
    out = (V[0] * V[1] + V[2] * V[3] + V[4]).sigmoid()
    out.backward()

    m0, m1, add0, add1, sig = MultiplyGate(), MultiplyGate(), AddGate(), AddGate(), SigmoidGate()
    z = sig.forward(add1.forward(add0.forward(m0.forward(w0, x0), m1.forward(w1, x1)), b))
    da = sig.backward(1.0)
    dp, db = add1.backward(da)
    dp0, dp1 = add0.backward(dp)
    dw0, dx0 = m0.backward(dp0)
    dw1, dx1 = m1.backward(dp1)

    s = 1 / (1 + math.exp(-1.0))  # by hand: da = s (1 - s), dw_i = da x_i, dx_i = da w_i
    hand = [s * (1 - s) * t for t in (x0, w0, x1, w1, 1.0)]
    assert out.data == pytest.approx(s, rel=1e-15) and z == pytest.approx(s, rel=1e-15)
    assert [v.grad for v in V] == pytest.approx([dw0, dx0, dw1, dx1, db], rel=1e-15)
    assert [v.grad for v in V] == pytest.approx(hand, rel=1e-14)


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.2, 4.0])
def test_builtin_ops_agree_with_compositions(x):
    a, b = Value(x), Value(x)
    a.sigmoid().backward()
    (1 / (1 + (-b).exp())).backward()  # the naive sigmoid built from exp and division
    assert a.grad == pytest.approx(b.grad, rel=1e-12)
    c, d = Value(x), Value(x)
    c.tanh().backward()
    (2 * (2 * d).sigmoid() - 1).backward()  # tanh(x) = 2 sigmoid(2x) - 1
    assert c.grad == pytest.approx(d.grad, rel=1e-10)
    e, f = Value(x), Value(x)
    (e / (e * e + 1)).backward()
    (f * (f**2 + 1) ** -1).backward()
    assert e.grad == pytest.approx(f.grad, rel=1e-12)


# ---- gates -------------------------------------------------------------------------------------
def gate_numeric_grads(gate_forward, inputs, dz):
    """d sum(forward(inputs) * dz) / d inputs[i], by centered differences, entry by entry."""
    grads = []
    for i, x in enumerate(inputs):
        x = np.array(x, dtype=float)
        g = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            for sign in (1.0, -1.0):
                shifted = x.copy()
                shifted[idx] += sign * H
                args = [*inputs[:i], shifted, *inputs[i + 1:]]
                g[idx] += sign * np.sum(gate_forward(*args) * dz) / (2 * H)
        grads.append(g)
    return grads


GATES = [(AddGate, 2), (MultiplyGate, 2), (SigmoidGate, 1)]


@pytest.mark.parametrize("gate_cls, n_inputs", GATES, ids=[g.__name__ for g, _ in GATES])
@pytest.mark.parametrize("shape", [(), (5,), (3, 4)])
def test_gates_against_finite_differences(gate_cls, n_inputs, shape):
    rng = np.random.default_rng(0)
    inputs = [rng.normal(scale=2.0, size=shape) for _ in range(n_inputs)]
    if shape == ():
        inputs = [float(x) for x in inputs]
    dz = rng.normal(size=shape) if shape else -1.7
    gate = gate_cls()
    gate.forward(*inputs)
    analytic = gate.backward(dz)
    analytic = analytic if isinstance(analytic, tuple) else (analytic,)
    numeric = gate_numeric_grads(gate_cls().forward, inputs, dz)
    for a, n in zip(analytic, numeric, strict=True):
        assert np.shape(a) == shape
        assert rel_error(a, n) < TOL


def test_gates_on_scalars_return_floats_and_match_the_deck():
    add, mul = AddGate(), MultiplyGate()
    q = add.forward(-2, 5)
    f = mul.forward(q, -4)
    dq, dz = mul.backward(1.0)
    dx, dy = add.backward(dq)
    assert (q, f, dx, dy, dz) == (3.0, -12.0, -4.0, -4.0, 3.0)
    assert all(type(v) is float for v in (q, f, dx, dy, dz))


def test_gates_on_arrays_match_values_elementwise():
    x = np.array([-2.0, 0.5, 3.0])
    y = np.array([1.5, -1.0, 2.0])
    mul, sig = MultiplyGate(), SigmoidGate()
    sig.forward(mul.forward(x, y))
    dx, dy = mul.backward(sig.backward(np.ones(3)))
    for i in range(3):
        a, b = Value(x[i]), Value(y[i])
        (a * b).sigmoid().backward()
        assert (a.grad, b.grad) == pytest.approx((dx[i], dy[i]), rel=1e-15)


def test_sigmoid_gate_extreme_inputs_without_warnings():
    gate = SigmoidGate()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = gate.forward(np.array([-1000.0, 0.0, 1000.0]))
        dx = gate.backward(np.ones(3))
    np.testing.assert_array_equal(z, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(dx, [0.0, 0.25, 0.0])


def test_add_gate_gradients_are_not_the_same_array():
    gate = AddGate()
    gate.forward(np.zeros(2), np.zeros(2))
    dz = np.ones(2)
    dx, dy = gate.backward(dz)
    dx[0] = 5.0
    assert dy[0] == 1.0 and dz[0] == 1.0


# ---- error messages ------------------------------------------------------------------------------
@pytest.mark.parametrize("bad, exc, match", [
    ("abc", TypeError, r"data must be a real number \(int or float\); got str: 'abc'"),
    (True, TypeError, "data must be a real number .* got bool"),
    (np.array([1.0]), TypeError, "data must be a real number .* got ndarray"),
    (float("nan"), ValueError, "data must be finite; got nan"),
    (float("inf"), ValueError, "data must be finite; got inf"),
])
def test_value_rejects_bad_data(bad, exc, match):
    with pytest.raises(exc, match=match):
        Value(bad)


def test_value_rejects_bad_label():
    with pytest.raises(TypeError, match="label must be a str; got int"):
        Value(1.0, label=3)


@pytest.mark.parametrize("op", [lambda v: v + "a", lambda v: "a" + v, lambda v: v * [1],
                                lambda v: v - None, lambda v: 2j / v])
def test_operations_reject_non_numbers(op):
    with pytest.raises(TypeError, match="a Value can only be combined with another Value or a "
                                        "real number; got"):
        op(Value(1.0))


def test_power_errors():
    x = Value(2.0)
    with pytest.raises(TypeError, match="only constant exponents are supported: x \\*\\* k "
                                        "needs k to be an int or a float, not Value"):
        x ** Value(2.0)
    with pytest.raises(TypeError, match="only constant exponents .* not str"):
        x ** "2"
    with pytest.raises(TypeError, match=r"only constant exponents are supported: 2 \*\* Value "
                                        r"is not\. For c \*\* x with c > 0, use"):
        2 ** x
    with pytest.raises(ValueError, match=r"x \*\* 0.5 with a non-integer exponent needs x > 0; "
                                         r"got x = -8.0"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match=r"x \*\* -1 with a negative exponent needs x != 0; "
                                         r"got x = 0.0"):
        Value(0.0) ** -1


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError, match=r"division by a Value with data 0.0 "
                                                r"\(numerator 1.0\)"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="division by a Value with data 0.0"):
        3 / Value(0)


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_non_positive(x):
    with pytest.raises(ValueError, match=f"log\\(x\\) needs x > 0; got x = {x}"):
        Value(x).log()


def test_exp_overflow_message():
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0))
    with pytest.raises(OverflowError, match=r"exp\(x\) overflows float64 for x > 709.78; got "
                                            r"x = 1000.0\. .*use sigmoid\(\)"):
        Value(1000.0).exp()


@pytest.mark.parametrize("gate_cls", [AddGate, MultiplyGate, SigmoidGate])
def test_gate_backward_before_forward(gate_cls):
    with pytest.raises(ValueError, match=f"{gate_cls.__name__}.backward was called before "
                                         "forward; call forward first"):
        gate_cls().backward(1.0)


def test_gate_errors():
    with pytest.raises(ValueError, match=r"x and y must have the same shape; got \(2,\) and "
                                         r"\(3,\)\. Use x, y = np.broadcast_arrays\(x, y\)"):
        MultiplyGate().forward(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"x and y must have the same shape; got \(\) and "
                                         r"\(2,\)"):
        AddGate().forward(1.0, np.zeros(2))
    with pytest.raises(TypeError, match="x must be a real number or an array of real numbers; "
                                        "got str with dtype <U3"):
        SigmoidGate().forward("abc")
    with pytest.raises(TypeError, match="y must be a real number .* got Value with dtype object"):
        AddGate().forward(1.0, Value(1.0))
    gate = MultiplyGate()
    gate.forward(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dz must have the shape of the forward output "
                                         r"\(2, 3\); got shape \(\)"):
        gate.backward(1.0)
    with pytest.raises(TypeError, match="dz must be a real number .* got list with dtype <U1"):
        gate.backward(["a"])


# ---- property: gradients of a composite expression match finite differences -------------------
def composite(a, b, c):
    """Smooth everywhere: every op of Value, with log and division kept away from 0."""
    u = (a * b).tanh() + (a - c).sigmoid() * b
    v = (1 + a * a).log() - (0.5 * c).exp() / (2 + b**2)
    return u * v + (c**2 + 1) ** 0.5 - (-b).relu() * 0.1


@given(st.tuples(*[st.floats(-3.0, 3.0, allow_nan=False) for _ in range(3)]))
def test_composite_gradients_match_finite_differences(args):
    args = list(args)
    analytic = analytic_grads(composite, args)
    numeric = numeric_grads(composite, args)
    for i, (a, n) in enumerate(zip(analytic, numeric, strict=True)):
        if i == 1 and abs(args[1]) <= 2 * H:
            continue  # relu(-b) has a kink at b = 0: a difference across it means nothing
        assert abs(a - n) <= 1e-6 * max(1.0, abs(n)), (i, args, analytic, numeric)


def test_overflow_and_underflow_name_the_operation():
    # a sum or product beyond float64 would silently be inf; x ** k raises a bare (34, ...)
    with pytest.raises(OverflowError, match=r"'\+' overflows float64 with the inputs \[1e\+308"):
        Value(1e308) + Value(1e308)
    with pytest.raises(OverflowError, match=r"'\*' overflows float64"):
        Value(1e200) * Value(1e200)
    with pytest.raises(OverflowError, match=r"x \*\* 2 overflows float64 for x = 1e\+200"):
        Value(1e200) ** 2
    # y**2 = 1e-340 underflows to 0, but d(x/y)/dy = -(x/y)/y = -1e140 is a float
    x, y = Value(1e-200), Value(1e-170)
    q = x / y
    q.backward()
    assert q.data == pytest.approx(1e-30) and y.grad == pytest.approx(-1e140)
    # when the gradient itself is beyond float64, the error says so (not "division by 0")
    with pytest.raises(OverflowError, match=r"'/' overflows float64"):
        Value(1.0) / Value(1e-170)
