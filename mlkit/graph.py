r"""A scalar computational graph, for backpropagation by hand.

A :class:`Value` holds one float and remembers the operation and the inputs (its *parents*)
that produced it, together with the *local gradients*: the derivative of its result with
respect to each parent, written right next to the forward formula of each operation.
``backward()`` then applies the chain rule from the output back to the inputs: every parent's
``grad`` receives local gradient times *upstream* gradient. Contributions are added with
``+=``, so a value that is used twice receives the sum of both.

The gates :class:`AddGate`, :class:`MultiplyGate` and :class:`SigmoidGate` show the same idea
without a graph: ``forward`` keeps what ``backward`` will need, ``backward(dz)`` returns the
input gradients. They act on floats and, element-wise, on NumPy arrays.

Example
-------
The computational-graph example :math:`f = (x + y) z` at :math:`x=-2, y=5, z=-4`:

>>> x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> f
Value(data=-12.0, grad=1.0)
>>> x.grad, y.grad, z.grad
(-4.0, -4.0, 3.0)
>>> [v.label or v.op for v in f.topological_order()]  # forward order; backward is reversed
['x', 'y', '+', 'z', '*']
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .activations import sigmoid as _sigmoid_array

__all__ = ["Value", "AddGate", "MultiplyGate", "SigmoidGate"]


def _is_real(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _lift(other) -> Value:
    """``other`` as a Value: a plain number becomes a constant leaf of the graph."""
    if isinstance(other, Value):
        return other
    if not _is_real(other):
        raise TypeError("a Value can only be combined with another Value or a real number; "
                        f"got {type(other).__name__}: {other!r}.")
    return Value(other)


def _node(data: float, parents: tuple, op: str, local_grads: tuple) -> Value:
    """The result of an operation, linked to its parents and d(result)/d(parent) for each."""
    if not (math.isfinite(data) and all(math.isfinite(g) for g in local_grads)):
        # every Value is finite, so this is an overflow (its result or a local gradient)
        raise OverflowError(
            f"'{op}' overflows float64 with the inputs {[p.data for p in parents]} (result "
            f"{data}, local gradients {list(local_grads)}); rescale the inputs.")
    out = Value(0.0)
    out.data, out.parents, out.op, out.local_grads = float(data), parents, op, local_grads
    return out


def _sigmoid(x):
    """Stable sigmoid of a float or an array: the exponent is never positive."""
    if isinstance(x, float):
        e = math.exp(-abs(x))
        return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
    return _sigmoid_array(x)


class Value:
    """A scalar node of a computational graph.

    Parameters
    ----------
    data : int or float
        The value; must be finite.
    label : str, optional
        A name to print (``"x"``, ``"theta1"``); results of operations have ``""``.

    Attributes
    ----------
    data, grad : float
        The value, and dL/d(value) after ``L.backward()`` (0.0 before).
    parents, op, local_grads : tuple of Value, str, tuple of float
        The inputs of the operation that produced this value, its name (``"+"``, ``"**2"``,
        ``"tanh"``, ...) and d(value)/d(parent) for each parent; all empty for a leaf.

    Raises
    ------
    TypeError
        If ``data`` is not a real number (or ``label`` is not a str).
    ValueError
        If ``data`` is NaN or infinite.
    """

    def __init__(self, data, label: str = ""):
        if not _is_real(data):
            raise TypeError(f"data must be a real number (int or float); got "
                            f"{type(data).__name__}: {data!r}.")
        if not math.isfinite(data):
            raise ValueError(f"data must be finite; got {data}.")
        if not isinstance(label, str):
            raise TypeError(f"label must be a str; got {type(label).__name__}.")
        self.data, self.grad, self.label = float(data), 0.0, label
        self.parents, self.op, self.local_grads = (), "", ()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- operations: the forward result, and next to it the local gradients ------------
    def __add__(self, other):
        other = _lift(other)
        return _node(self.data + other.data, (self, other), "+", (1.0, 1.0))  # d/dx, d/dy

    def __sub__(self, other):
        other = _lift(other)
        return _node(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __neg__(self):
        return _node(-self.data, (self,), "neg", (-1.0,))

    def __mul__(self, other):
        other = _lift(other)  # d(xy)/dx = y, d(xy)/dy = x
        return _node(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __truediv__(self, other):
        other = _lift(other)
        x, y = self.data, other.data
        if y == 0.0:
            raise ZeroDivisionError(f"division by a Value with data 0.0 (numerator {x}).")
        return _node(x / y, (self, other), "/", (1.0 / y, -(x / y) / y))  # y**2 can underflow

    def __pow__(self, k):
        if isinstance(k, Value) or not _is_real(k):
            raise TypeError("only constant exponents are supported: x ** k needs k to be an int "
                            f"or a float, not {type(k).__name__}. For x ** y with a Value y, "
                            "use (y * x.log()).exp().")
        k, x = float(k), self.data
        if not k.is_integer() and x <= 0:
            raise ValueError(f"x ** {k:g} with a non-integer exponent needs x > 0; got x = {x}.")
        if k < 0 and x == 0:
            raise ValueError(f"x ** {k:g} with a negative exponent needs x != 0; got x = 0.0.")
        try:
            local = k * x ** (k - 1) if k != 0 else 0.0  # d(x^k)/dx = k x^(k-1)
            result = x**k
        except OverflowError:  # Python's float ** raises instead of returning inf
            raise OverflowError(f"x ** {k:g} overflows float64 for x = {x}; rescale the "
                                "input.") from None
        return _node(result, (self,), f"**{k:g}", (local,))

    __radd__ = __add__  # number + Value: addition and multiplication commute
    __rmul__ = __mul__

    def __rsub__(self, other):  # number - Value
        return _lift(other) - self

    def __rtruediv__(self, other):
        return _lift(other) / self

    def __rpow__(self, base):
        raise TypeError(f"only constant exponents are supported: {base!r} ** Value is not. "
                        "For c ** x with c > 0, use (x * math.log(c)).exp().")

    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:  # above x = 709.78, e^x is larger than the largest float64
            raise OverflowError(f"exp(x) overflows float64 for x > 709.78; got x = {self.data}. "
                                "Rewrite the expression in a stable form, e.g. use sigmoid()."
                                ) from None
        return _node(e, (self,), "exp", (e,))  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log(x) needs x > 0; got x = {self.data}.")
        return _node(math.log(self.data), (self,), "log", (1.0 / self.data,))

    def sigmoid(self):
        s = _sigmoid(self.data)  # stable at +-1000
        return _node(s, (self,), "sigmoid", (s * (1.0 - s),))

    def tanh(self):
        t = math.tanh(self.data)
        return _node(t, (self,), "tanh", (1.0 - t**2,))

    def relu(self):  # the derivative at 0 is taken as 0
        return _node(max(self.data, 0.0), (self,), "relu", (float(self.data > 0),))

    # ---- the whole graph -----------------------------------------------------------------
    def topological_order(self) -> list[Value]:
        """Every node this value depends on, each after its parents, ending with ``self``.

        This is the order of the forward pass; ``backward`` walks it in reverse. The depth-first
        search uses an explicit stack, so very deep graphs do not hit Python's recursion limit.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))  # comes back to it after all its parents
                stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
        return order

    def backward(self) -> None:
        """Fill ``grad`` of every node with d(self)/d(node): the chain rule, output first.

        Sets ``self.grad = 1`` (dL/dL). Leaves' gradients *accumulate* over calls, as in
        PyTorch: call :meth:`zero_grad` in between. Intermediate nodes start again from 0.

        Example
        -------
        The loss :math:`L = (\\theta_1 \\theta_2 x - y)^2` and its hand-derived gradient
        :math:`\\partial L / \\partial \\theta_1 = 2 (\\theta_1 \\theta_2 x - y)\\, x\\, \\theta_2`:

        >>> t1, t2, x, y = Value(2.0), Value(-3.0), Value(0.5), Value(1.0)
        >>> L = (t1 * t2 * x - y) ** 2
        >>> L.backward()
        >>> L.data, t1.grad, t2.grad
        (16.0, 12.0, -8.0)
        >>> 2 * (2.0 * -3.0 * 0.5 - 1.0) * 0.5 * -3.0  # the hand formula for dL/dtheta1
        12.0
        """
        order = self.topological_order()
        for node in order:
            if node.parents:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):  # each node's grad is complete before it is passed on
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad  # local gradient * upstream gradient

    def zero_grad(self) -> None:
        """Set ``grad = 0`` on every node of the graph that ends at this value."""
        for node in self.topological_order():
            node.grad = 0.0


# ---- gates: the same local rules on floats or arrays, one operation at a time -------------
def _operand(x, name: str):
    """``x`` as a float, or as a float64 array; anything else is a TypeError."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real number or an array of real numbers; got "
                        f"{type(x).__name__} with dtype {arr.dtype}.")
    return float(arr) if arr.ndim == 0 else arr.astype(np.float64)


class _Gate:
    """What the gates share: float or same-shape array inputs; backward only after forward."""

    _shape = None  # shape of the forward output, set by forward

    def _inputs(self, *inputs):
        inputs = [_operand(v, name) for v, name in zip(inputs, "xy", strict=False)]
        if len({np.shape(v) for v in inputs}) > 1:
            raise ValueError(f"x and y must have the same shape; got {np.shape(inputs[0])} and "
                             f"{np.shape(inputs[1])}. Use x, y = np.broadcast_arrays(x, y).")
        self._shape = np.shape(inputs[0])
        return inputs

    def _upstream(self, dz):
        if self._shape is None:
            raise ValueError(f"{type(self).__name__}.backward was called before forward; "
                             "call forward first.")
        dz = _operand(dz, "dz")
        if np.shape(dz) != self._shape:
            raise ValueError(f"dz must have the shape of the forward output {self._shape}; "
                             f"got shape {np.shape(dz)}.")
        return dz


class AddGate(_Gate):
    """``z = x + y``; backward passes ``dz`` unchanged to both inputs.

    >>> gate = AddGate()
    >>> gate.forward(-2.0, 5.0)
    3.0
    >>> gate.backward(-4.0)
    (-4.0, -4.0)
    """

    def forward(self, x, y):
        x, y = self._inputs(x, y)
        return x + y

    def backward(self, dz):
        dz = self._upstream(dz)
        return 1.0 * dz, 1.0 * dz  # local gradients dz/dx = dz/dy = 1


class MultiplyGate(_Gate):
    """``z = x * y``; backward swaps the inputs: ``dx = y * dz``, ``dy = x * dz``.

    >>> gate = MultiplyGate()
    >>> gate.forward(3.0, -4.0)
    -12.0
    >>> gate.backward(1.0)
    (-4.0, 3.0)
    """

    def forward(self, x, y):
        self.x, self.y = self._inputs(x, y)  # must keep these for backward
        return self.x * self.y

    def backward(self, dz):
        dz = self._upstream(dz)
        return self.y * dz, self.x * dz  # [dz/dx * dL/dz, dz/dy * dL/dz]


class SigmoidGate(_Gate):
    """``z = sigmoid(x)``, stable for any input; backward needs only the stored output.

    >>> gate = SigmoidGate()
    >>> gate.forward(0.0)
    0.5
    >>> gate.backward(1.0)
    0.25
    """

    def forward(self, x):
        (x,) = self._inputs(x)
        self.z = _sigmoid(x)
        return self.z

    def backward(self, dz):
        dz = self._upstream(dz)
        return self.z * (1.0 - self.z) * dz  # sigma'(x) = z (1 - z)
