"""Realistic wrong answers for assignment 05_backpropagation; each must lose points in its own
exercise and nowhere else (checked by tests/test_assignments.py with real nbgrader)."""

from tools.grading import Wrong

# Correct versions of the code that shares an answer cell with a wrong one.
_ADD = '''
class AddGate:
    def forward(self, x, y):
        return x + y

    def backward(self, dz):
        return dz, dz
'''
_MULTIPLY = '''
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dz):
        return self.y * dz, self.x * dz
'''
_SIGMOID = '''
class SigmoidGate:
    def forward(self, x):
        self.z = sigmoid(x)
        return self.z

    def backward(self, dz):
        return self.z * (1 - self.z) * dz
'''
_FXYZ = '''
def fxyz_gradients(x, y, z):
    add, mul = AddGate(), MultiplyGate()
    f = mul.forward(add.forward(x, y), z)
    dq, dz = mul.backward(1.0)
    dx, dy = add.backward(dq)
    return f, dx, dy, dz
'''
_DEMO = '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[2])
    z2 = sigmoid(x[0] * w[1] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = -2 * (y - y_hat)
    d1 = dy * w[4] * z1 * (1 - z1)
    d2 = dy * w[5] * z2 * (1 - z2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d2 * x[0], d1 * x[1], d2 * x[1],
                                              dy * z1, dy * z2])
'''
_LINEAR = '''
def linear_backward(dA, cache):
    Z_prev, W = cache
    return dA @ W, dA.T @ Z_prev, dA.sum(axis=0)
'''
_ACTIVATION = '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return dZ * s * (1 - s)
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    if name == "relu":
        return dZ * (A > 0)
    raise ValueError(f"unknown activation {name!r}")
'''
_NUMERICAL_GRADIENT = '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''
_REL_ERROR = '''
def rel_error(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
'''
_MOONS = '''
moons_config = {"hidden": (16,), "eta": 1.0, "epochs": 40, "batch_size": 32, "seed": 0}
moons_params = train_mlp(X_moons_train, y_moons_train, **moons_config)
'''
_TRAIN = '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
'''


def _backprop(head_code, loop_code=None):
    """loss_and_gradients with the given head (sets loss and delta) and backward loop."""
    loop_code = loop_code or '''
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            delta = activation_backward(delta, A, activations[l - 1])
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
'''
    return ('''
def loss_and_gradients(X, y, params, activations, head):
    A_L, caches = forward(X, params, activations)
    n = len(X)
''' + head_code + loop_code)


_HEADS = '''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((sigmoid(a) - y) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
    else:
        raise ValueError(head)
'''

WRONG = [
    # ------------------------------------------------------------------ ex1_gates
    Wrong("ex1_gates", "AddGate.backward returns the local gradients (1, 1), forgetting dz", '''
class AddGate:
    def forward(self, x, y):
        return x + y

    def backward(self, dz):
        return 1.0, 1.0
''' + _MULTIPLY + _SIGMOID),
    Wrong("ex1_gates", "MultiplyGate.backward does not swap: (x * dz, y * dz)", _ADD + '''
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dz):
        return self.x * dz, self.y * dz
''' + _SIGMOID),
    Wrong("ex1_gates", "MultiplyGate.backward forgets the upstream gradient (right only for dz=1)",
          _ADD + '''
class MultiplyGate:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dz):
        return self.y, self.x
''' + _SIGMOID),
    Wrong("ex1_gates", "SigmoidGate.backward applies z(1 - z) to the stored input x",
          _ADD + _MULTIPLY + '''
class SigmoidGate:
    def forward(self, x):
        self.x = x
        return sigmoid(x)

    def backward(self, dz):
        return self.x * (1 - self.x) * dz
'''),
    Wrong("ex1_gates", "SigmoidGate with the naive formula: exp overflows at x = -1000",
          _ADD + _MULTIPLY + '''
class SigmoidGate:
    def forward(self, x):
        self.z = 1 / (1 + np.exp(-x))
        return self.z

    def backward(self, dz):
        return self.z * (1 - self.z) * dz
'''),
    Wrong("ex1_gates", "MultiplyGate caches its inputs on the class: two gates overwrite each "
          "other", _ADD + '''
class MultiplyGate:
    def forward(self, x, y):
        MultiplyGate.x, MultiplyGate.y = x, y
        return x * y

    def backward(self, dz):
        return MultiplyGate.y * dz, MultiplyGate.x * dz
''' + _SIGMOID),
    Wrong("ex1_gates", "subclasses mlkit.graph's gates instead of writing them", '''
from mlkit import graph


class AddGate(graph.AddGate):
    pass


class MultiplyGate(graph.MultiplyGate):
    pass


class SigmoidGate(graph.SigmoidGate):
    pass
'''),
    Wrong("ex1_gates", "AddGate.backward returns one gradient instead of the tuple (dx, dy)", '''
class AddGate:
    def forward(self, x, y):
        return x + y

    def backward(self, dz):
        return dz
''' + _MULTIPLY + _SIGMOID),
    Wrong("ex1_gates", "SigmoidGate.backward returns the local gradient, forgetting dz",
          _ADD + _MULTIPLY + '''
class SigmoidGate:
    def forward(self, x):
        self.z = sigmoid(x)
        return self.z

    def backward(self, dz):
        return self.z * (1 - self.z)
'''),
    # ------------------------------------------------------------------ ex2_graph
    Wrong("ex2_graph", "fxyz_gradients hard-codes the lecture's numbers", '''
def fxyz_gradients(x, y, z):
    return -12.0, -4.0, -4.0, 3.0
''' + _DEMO),
    Wrong("ex2_graph", "fxyz_gradients: the add gate's backward gets 1 instead of df/dq "
          "(the chain is broken)", '''
def fxyz_gradients(x, y, z):
    add, mul = AddGate(), MultiplyGate()
    f = mul.forward(add.forward(x, y), z)
    dq, dz = mul.backward(1.0)
    dx, dy = add.backward(1.0)
    return f, dx, dy, dz
''' + _DEMO),
    Wrong("ex2_graph", "fxyz_gradients unpacks the multiply gate's gradients in the wrong "
          "order", '''
def fxyz_gradients(x, y, z):
    add, mul = AddGate(), MultiplyGate()
    f = mul.forward(add.forward(x, y), z)
    dz, dq = mul.backward(1.0)
    dx, dy = add.backward(dq)
    return f, dx, dy, dz
''' + _DEMO),
    Wrong("ex2_graph", "fxyz_gradients uses the formulas and no gates", '''
def fxyz_gradients(x, y, z):
    return (x + y) * z, z, z, x + y
''' + _DEMO),
    Wrong("ex2_graph", "fxyz_gradients returns (df_dx, df_dy, df_dz, f)", '''
def fxyz_gradients(x, y, z):
    add, mul = AddGate(), MultiplyGate()
    f = mul.forward(add.forward(x, y), z)
    dq, dz = mul.backward(1.0)
    dx, dy = add.backward(dq)
    return dx, dy, dz, f
''' + _DEMO),
    Wrong("ex2_graph", "demo: dE/dy_hat = y_hat - y, the derivative of (1/2)(y - y_hat)^2",
          _FXYZ + '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[2])
    z2 = sigmoid(x[0] * w[1] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = y_hat - y
    d1 = dy * w[4] * z1 * (1 - z1)
    d2 = dy * w[5] * z2 * (1 - z2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d2 * x[0], d1 * x[1], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: sign error, dE/dy_hat = 2 (y - y_hat)", _FXYZ + '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[2])
    z2 = sigmoid(x[0] * w[1] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = 2 * (y - y_hat)
    d1 = dy * w[4] * z1 * (1 - z1)
    d2 = dy * w[5] * z2 * (1 - z2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d2 * x[0], d1 * x[1], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: the sigmoid's derivative a (1 - a) taken at the pre-activation",
          _FXYZ + '''
def demo_network_gradients(x, y, w):
    a1 = x[0] * w[0] + x[1] * w[2]
    a2 = x[0] * w[1] + x[1] * w[3]
    z1, z2 = sigmoid(a1), sigmoid(a2)
    y_hat = z1 * w[4] + z2 * w[5]
    dy = -2 * (y - y_hat)
    d1 = dy * w[4] * a1 * (1 - a1)
    d2 = dy * w[5] * a2 * (1 - a2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d2 * x[0], d1 * x[1], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: wires w2 and w3 the other way round (a1 = x1 w1 + x2 w2)",
          _FXYZ + '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[1])
    z2 = sigmoid(x[0] * w[2] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = -2 * (y - y_hat)
    d1 = dy * w[4] * z1 * (1 - z1)
    d2 = dy * w[5] * z2 * (1 - z2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d1 * x[1], d2 * x[0], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: forgets the sigmoid's derivative in delta1, delta2", _FXYZ + '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[2])
    z2 = sigmoid(x[0] * w[1] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = -2 * (y - y_hat)
    d1, d2 = dy * w[4], dy * w[5]
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d2 * x[0], d1 * x[1], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: the gradient in the order (w1, w3, w2, w4, w5, w6)", _FXYZ + '''
def demo_network_gradients(x, y, w):
    z1 = sigmoid(x[0] * w[0] + x[1] * w[2])
    z2 = sigmoid(x[0] * w[1] + x[1] * w[3])
    y_hat = z1 * w[4] + z2 * w[5]
    dy = -2 * (y - y_hat)
    d1 = dy * w[4] * z1 * (1 - z1)
    d2 = dy * w[5] * z2 * (1 - z2)
    return float((y - y_hat) ** 2), np.array([d1 * x[0], d1 * x[1], d2 * x[0], d2 * x[1],
                                              dy * z1, dy * z2])
'''),
    Wrong("ex2_graph", "demo: the gradient by centred finite differences of E, not the chain "
          "rule", _FXYZ + '''
def demo_network_gradients(x, y, w):
    def loss(v):
        z1 = sigmoid(x[0] * v[0] + x[1] * v[2])
        z2 = sigmoid(x[0] * v[1] + x[1] * v[3])
        return float((y - (z1 * v[4] + z2 * v[5])) ** 2)

    w = np.array(w, dtype=float)
    grad = np.zeros(6)
    for i in range(6):
        step = np.zeros(6)
        step[i] = 1e-5
        grad[i] = (loss(w + step) - loss(w - step)) / 2e-5
    return loss(w), grad
'''),
    # ------------------------------------------------------------------ ex3_layers
    Wrong("ex3_layers", "dW transposed: Z_prev.T @ dA", '''
def linear_backward(dA, cache):
    Z_prev, W = cache
    return dA @ W, Z_prev.T @ dA, dA.sum(axis=0)
''' + _ACTIVATION),
    Wrong("ex3_layers", "db is the mean over the batch instead of the sum", '''
def linear_backward(dA, cache):
    Z_prev, W = cache
    return dA @ W, dA.T @ Z_prev, dA.mean(axis=0)
''' + _ACTIVATION),
    Wrong("ex3_layers", "db not summed over the batch", '''
def linear_backward(dA, cache):
    Z_prev, W = cache
    return dA @ W, dA.T @ Z_prev, dA
''' + _ACTIVATION),
    Wrong("ex3_layers", "dZ_prev = dA @ W.T (the forward pass's transpose reused)", '''
def linear_backward(dA, cache):
    Z_prev, W = cache
    return dA @ W.T, dA.T @ Z_prev, dA.sum(axis=0)
''' + _ACTIVATION),
    Wrong("ex3_layers", "sigmoid: s (1 - s) applied to A itself, as if A were the output",
          _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        return dZ * A * (1 - A)
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    if name == "relu":
        return dZ * (A > 0)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "relu: the mask taken from dZ instead of A", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return dZ * s * (1 - s)
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    if name == "relu":
        return dZ * (dZ > 0)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "tanh: 1 - A^2 instead of 1 - tanh(A)^2", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return dZ * s * (1 - s)
    if name == "tanh":
        return dZ * (1 - A ** 2)
    if name == "relu":
        return dZ * (A > 0)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "sigmoid: e^-a / (1 + e^-a)^2 overflows at A = -1000", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        e = np.exp(-A)
        return dZ * e / (1 + e) ** 2
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    if name == "relu":
        return dZ * (A > 0)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "relu: derivative 1 at A = 0 (>= instead of >)", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return dZ * s * (1 - s)
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    if name == "relu":
        return dZ * (A >= 0)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "returns sigma'(A) without multiplying by dZ", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(A) ** 2
    if name == "relu":
        return (A > 0).astype(float)
    raise ValueError(f"unknown activation {name!r}")
'''),
    Wrong("ex3_layers", "any unknown name is treated as relu (no ValueError)", _LINEAR + '''
def activation_backward(dZ, A, name):
    if name == "sigmoid":
        s = sigmoid(A)
        return dZ * s * (1 - s)
    if name == "tanh":
        return dZ * (1 - np.tanh(A) ** 2)
    return dZ * (A > 0)
'''),
    Wrong("ex3_layers", "calls mlkit.layers instead of writing the backward passes", '''
from mlkit import layers


def linear_backward(dA, cache):
    return layers.linear_backward(dA, cache)


def activation_backward(dZ, A, name):
    return layers.activation_backward(dZ, (A, name))
'''),
    # ------------------------------------------------------------------ ex4_backprop
    Wrong("ex4_backprop", "delta^[L] without the 1/n of the mean loss", _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = (sigmoid(a) - y)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "sigmoid head: (n, 1) logits minus y of shape (n,) broadcast to "
          "(n, n)", _backprop('''
    if head == "sigmoid":
        loss = np.mean(np.logaddexp(0.0, A_L[:, 0]) - y * A_L[:, 0])
        delta = (sigmoid(A_L) - y) / n
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta = delta / n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "sign error: delta^[L] = (y - y_hat) / n", _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((y - sigmoid(a)) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = -np.exp(log_p)
        delta[np.arange(n), y] += 1
        delta /= n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "multiplies delta^[L] by the sigmoid's derivative once more",
          _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        s = sigmoid(a)
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((s - y) * s * (1 - s) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "off by one: activations[l] for layer l", _backprop(_HEADS, '''
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            delta = activation_backward(delta, A, activations[l])
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
''')),
    Wrong("ex4_backprop", "walks the hidden activations in the wrong order", _backprop(_HEADS, '''
    grads = {}
    names = iter(activations)
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            delta = activation_backward(delta, A, next(names))
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
''')),
    Wrong("ex4_backprop", "forgets the chain through the activations (no activation_backward)",
          _backprop(_HEADS, '''
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
''')),
    Wrong("ex4_backprop", "the activation's derivative taken at the post-activation Z",
          _backprop(_HEADS, '''
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            Z = caches[l][0][0]
            delta = activation_backward(delta, Z, activations[l - 1])
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
''')),
    Wrong("ex4_backprop", "softmax head: delta = softmax / n, the one-hot not subtracted",
          _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((sigmoid(a) - y) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p) / n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "softmax without subtracting the row maximum: overflows at logits "
          "of 1000", _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((sigmoid(a) - y) / n)[:, None]
    elif head == "softmax":
        e = np.exp(A_L)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(p[np.arange(n), y]))
        delta = p.copy()
        delta[np.arange(n), y] -= 1
        delta /= n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "BCE from probabilities: log(0) at extreme logits", _backprop('''
    if head == "sigmoid":
        p = sigmoid(A_L[:, 0])
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        delta = ((p - y) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "the loss is the sum over the samples, not the mean", _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.sum(np.logaddexp(0.0, a) - y * a)
        delta = ((sigmoid(a) - y) / n)[:, None]
    elif head == "softmax":
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.sum(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
    else:
        raise ValueError(head)
''')),
    Wrong("ex4_backprop", "names the gradients dW1, db1, ... instead of the keys of params",
          _backprop(_HEADS, '''
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            delta = activation_backward(delta, A, activations[l - 1])
        delta, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
''')),
    Wrong("ex4_backprop", "any head other than 'sigmoid' is treated as softmax (no ValueError)",
          _backprop('''
    if head == "sigmoid":
        a = A_L[:, 0]
        loss = np.mean(np.logaddexp(0.0, a) - y * a)
        delta = ((sigmoid(a) - y) / n)[:, None]
    else:
        shifted = A_L - A_L.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -np.mean(log_p[np.arange(n), y])
        delta = np.exp(log_p)
        delta[np.arange(n), y] -= 1
        delta /= n
''')),
    Wrong("ex4_backprop", "calls mlkit.losses for the heads", '''
from mlkit import losses


def loss_and_gradients(X, y, params, activations, head):
    A_L, caches = forward(X, params, activations)
    if head == "sigmoid":
        loss, da = losses.bce_with_logits(A_L[:, 0], y)
        delta = da[:, None]
    elif head == "softmax":
        loss, delta = losses.softmax_cross_entropy(A_L, y)
    else:
        raise ValueError(head)
    grads = {}
    for l in range(len(caches), 0, -1):
        linear_cache, A = caches[l - 1]
        if l < len(caches):
            delta = activation_backward(delta, A, activations[l - 1])
        delta, grads[f"W{l}"], grads[f"b{l}"] = linear_backward(delta, linear_cache)
    return float(loss), grads
'''),
    Wrong("ex4_backprop", "no backward pass: centred finite differences of the loss, computed "
          "with the provided forward", '''
def loss_and_gradients(X, y, params, activations, head):
    def mean_loss(p):
        A_L = forward(X, p, activations)[0]
        if head == "sigmoid":
            a = A_L[:, 0]
            return float(np.mean(np.logaddexp(0.0, a) - y * a))
        if head == "softmax":
            shifted = A_L - A_L.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.mean(log_p[np.arange(len(X)), y]))
        raise ValueError(head)

    p = {key: np.array(value, dtype=float) for key, value in params.items()}
    grads = {}
    for key, value in p.items():
        grad = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + 1e-6
            f_plus = mean_loss(p)
            value[i] = old - 1e-6
            f_minus = mean_loss(p)
            value[i] = old
            grad[i] = (f_plus - f_minus) / 2e-6
        grads[key] = grad
    return mean_loss(p), grads
'''),
    Wrong("ex4_backprop", "no backward pass: centred finite differences with its own forward "
          "pass (the provided forward is never called) and the best step h = 6e-6", '''
def loss_and_gradients(X, y, params, activations, head):
    funcs = {"tanh": np.tanh, "relu": lambda a: np.maximum(a, 0.0),
             "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a))}
    L = len(params) // 2

    def mean_loss(p):
        Z = X
        for l in range(1, L + 1):
            A = Z @ p[f"W{l}"].T + p[f"b{l}"]
            Z = funcs[activations[l - 1]](A) if l < L else A
        if head == "sigmoid":
            a = A[:, 0]
            return float(np.mean(np.logaddexp(0.0, a) - y * a))
        shifted = A - A.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(log_p[np.arange(len(X)), y]))

    p = {key: np.array(value, dtype=float) for key, value in params.items()}
    grads = {}
    for key, value in p.items():
        grad = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + 6e-6
            f_plus = mean_loss(p)
            value[i] = old - 6e-6
            f_minus = mean_loss(p)
            value[i] = old
            grad[i] = (f_plus - f_minus) / 1.2e-5
        grads[key] = grad
    return mean_loss(p), grads
'''),
    # ------------------------------------------------------------------ ex5_gradcheck
    Wrong("ex5_gradcheck", "one-sided difference (f(x + h) - f(x)) / h", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "does not restore x after perturbing it", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "undoes the steps by arithmetic: x is off by rounding errors", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        x[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "divides the centred difference by h instead of 2h", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "ignores the argument h (always 1e-5)", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + 1e-5
        f_plus = f(x)
        x[i] = old - 1e-5
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / 2e-5
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "loops over range(len(x)): perturbs whole rows of a 2-D x", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''' + _REL_ERROR),
    Wrong("ex5_gradcheck", "rel_error without the 1e-8 floor: 0/0 for two zeros",
          _NUMERICAL_GRADIENT + '''
def rel_error(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))
'''),
    Wrong("ex5_gradcheck", "rel_error averages the entries instead of taking the maximum",
          _NUMERICAL_GRADIENT + '''
def rel_error(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
'''),
    Wrong("ex5_gradcheck", "rel_error as a ratio of norms", _NUMERICAL_GRADIENT + '''
def rel_error(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.linalg.norm(x - y) / max(1e-8, np.linalg.norm(x) + np.linalg.norm(y)))
'''),
    Wrong("ex5_gradcheck", "rel_error returns the array of element-wise errors",
          _NUMERICAL_GRADIENT + '''
def rel_error(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))
'''),
    Wrong("ex5_gradcheck", "calls mlkit.gradcheck instead of writing them", '''
from mlkit import gradcheck


def numerical_gradient(f, x, h=1e-5):
    return gradcheck.numerical_gradient(f, x, h)


def rel_error(x, y):
    return gradcheck.rel_error(x, y)
'''),
    # ------------------------------------------------------------------ ex6_train
    Wrong("ex6_train", "never shuffles: the same order in every epoch", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            _, grads = loss_and_gradients(Xb, yb, params, ["tanh"] * len(hidden), "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "shuffles once, before the first epoch", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    order = rng.permutation(len(X))
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "sign error: p <- p + eta * grad (gradient ascent)", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] + eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "drops the last, smaller mini-batch of every epoch", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for k in range(len(X) // batch_size):
            batch = order[k * batch_size:(k + 1) * batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "draws every mini-batch at random, with replacement", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        for _ in range(-(-len(X) // batch_size)):
            batch = rng.integers(0, len(X), size=batch_size)
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "full-batch gradient descent: ignores batch_size", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        _, grads = loss_and_gradients(X, y, params, ["tanh"] * len(hidden), "sigmoid")
        for key in params:
            params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "divides the step by the batch size (the gradient is already a mean)",
          '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta / len(batch) * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "shuffles X but takes the labels in the original order", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        X_shuffled = X[rng.permutation(len(X))]
        for start in range(0, len(X), batch_size):
            Xb, yb = X_shuffled[start:start + batch_size], y[start:start + batch_size]
            _, grads = loss_and_gradients(Xb, yb, params, ["tanh"] * len(hidden), "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "initialises the parameters anew in every epoch", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        params = init_params([X.shape[1], *hidden, 1], rng)
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "an extra call of loss_and_gradients per epoch, to log the loss", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
        history.append(loss_and_gradients(X, y, params, ["tanh"] * len(hidden), "sigmoid")[0])
    return params
''' + _MOONS),
    Wrong("ex6_train", "relu hidden layers instead of tanh", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = init_params([X.shape[1], *hidden, 1], rng)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["relu"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "shuffles before initialising, so the start is not init_params(rng)", '''
def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(X)) for _ in range(epochs)]
    params = init_params([X.shape[1], *hidden, 1], rng)
    for order in orders:
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = loss_and_gradients(X[batch], y[batch], params, ["tanh"] * len(hidden),
                                          "sigmoid")
            for key in params:
                params[key] = params[key] - eta * grads[key]
    return params
''' + _MOONS),
    Wrong("ex6_train", "moons: a learning rate far too small for 40 epochs", _TRAIN + '''
moons_config = {"hidden": (16,), "eta": 0.01, "epochs": 40, "batch_size": 32, "seed": 0}
moons_params = train_mlp(X_moons_train, y_moons_train, **moons_config)
'''),
    Wrong("ex6_train", "moons: one hidden unit cannot bend the boundary enough", _TRAIN + '''
moons_config = {"hidden": (1,), "eta": 1.0, "epochs": 40, "batch_size": 32, "seed": 0}
moons_params = train_mlp(X_moons_train, y_moons_train, **moons_config)
'''),
    Wrong("ex6_train", "calls mlkit.MLP to train", '''
from mlkit import MLP


def train_mlp(X, y, hidden, eta, epochs, batch_size, seed):
    model = MLP(hidden_sizes=hidden, activation="tanh", output="sigmoid", optimizer="sgd",
                learning_rate=eta, epochs=epochs, batch_size=batch_size, seed=seed).fit(X, y)
    return model.params_
''' + _MOONS),
]
