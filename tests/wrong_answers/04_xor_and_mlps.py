"""Realistic wrong answers for assignment 04_xor_and_mlps; each must lose points in its own
exercise and nowhere else (checked by tests/test_assignments.py with real nbgrader).

The tests of 3b, 4b and 5 substitute reference versions of `activation` and `softmax`, so a
wrong answer in 3a or 4a costs points only there. Each source replaces the whole answer cell.
"""

from tools.grading import Wrong

WRONG = [
    # ------------------------------------------- Exercise 1: xor_features, xor_linear_weights
    Wrong("ex1_xor_features", "keeps the raw inputs as features: still a line (OR)", '''
def xor_features(X):
    return X.astype(float)


xor_linear_weights = np.array([1.0, 1.0, -0.5])
'''),
    Wrong("ex1_xor_features", "adds x1 * x2 but gives its weight the wrong sign", '''
def xor_features(X):
    return np.column_stack([X, X[:, 0] * X[:, 1]])


xor_linear_weights = np.array([1.0, 1.0, 2.0, -0.5])
'''),
    Wrong("ex1_xor_features", "puts the bias FIRST in the weight vector", '''
def xor_features(X):
    return np.column_stack([X, X[:, 0] * X[:, 1]])


xor_linear_weights = np.array([-0.5, 1.0, 1.0, -2.0])
'''),
    Wrong("ex1_xor_features", "forgets the bias: one weight per feature only", '''
def xor_features(X):
    return np.column_stack([X, X[:, 0] * X[:, 1]])


xor_linear_weights = np.array([1.0, 1.0, -2.0])
'''),
    Wrong("ex1_xor_features", "threshold through the class-1 corners (zero margin): right on the "
          "4 points, wrong on half of the noisy clouds", '''
def xor_features(X):
    return np.column_stack([X, X[:, 0] * X[:, 1]])


xor_linear_weights = np.array([1.0, 1.0, -2.0, -1.0])
'''),
    Wrong("ex1_xor_features", "returns the single feature (x1 - x2)^2 as a 1-D array (n,)", '''
def xor_features(X):
    return (X[:, 0] - X[:, 1]) ** 2


xor_linear_weights = np.array([1.0, -0.5])
'''),
    Wrong("ex1_xor_features", "computes x1 - x2 in place, overwriting the caller's X", '''
def xor_features(X):
    X[:, 0] -= X[:, 1]
    return X[:, :1] ** 2


xor_linear_weights = np.array([1.0, -0.5])
'''),
    Wrong("ex1_xor_features", "standardises the features with the batch's mean and std, so a "
          "sample's features depend on the other samples (and a single row divides by 0)", '''
def xor_features(X):
    F = np.column_stack([X, X[:, 0] * X[:, 1]])
    return (F - F.mean(axis=0)) / F.std(axis=0)


xor_linear_weights = np.array([0.5, 0.5, -0.8660254037844386, 0.0])
'''),
    # --------------------------------------------------------- Exercise 2: the 2-2-1 network
    Wrong("ex2_xor_network", "OR unit x1 + x2 - 1 >= 0: right only thanks to step(0) = 1 "
          "(zero margin at (0, 1) and (1, 0))", '''
W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
b1 = np.array([-1.0, 1.5])
W2 = np.array([[1.0, 1.0]])
b2 = np.array([-1.5])
'''),
    Wrong("ex2_xor_network", "OR and AND hidden units, AND with zero margin (x1 + x2 - 2)", '''
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
b1 = np.array([-0.5, -2.0])
W2 = np.array([[1.0, -1.0]])
b2 = np.array([-0.5])
'''),
    Wrong("ex2_xor_network", "W2 as a column of shape (2, 1) instead of a row (1, 2)", '''
W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
b1 = np.array([-0.5, 1.5])
W2 = np.array([[1.0], [1.0]])
b2 = np.array([-1.5])
'''),
    Wrong("ex2_xor_network", "b2 as a plain number instead of an array of shape (1,)", '''
W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
b1 = np.array([-0.5, 1.5])
W2 = np.array([[1.0, 1.0]])
b2 = -1.5
'''),
    Wrong("ex2_xor_network", "hidden biases with the wrong sign", '''
W1 = np.array([[1.0, 1.0], [-1.0, -1.0]])
b1 = np.array([0.5, -1.5])
W2 = np.array([[1.0, 1.0]])
b2 = np.array([-1.5])
'''),
    Wrong("ex2_xor_network", "OR and AND hidden units, but the output ORs them (forgets the NOT)",
          '''
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
b1 = np.array([-0.5, -1.5])
W2 = np.array([[1.0, 1.0]])
b2 = np.array([-0.5])
'''),
    Wrong("ex2_xor_network", "W1 transposed: the columns hold the units' weights", '''
W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
b1 = np.array([-0.5, 1.5])
W2 = np.array([[1.0, 1.0]])
b2 = np.array([-1.5])
'''),
    # -------------------------------------------------------------- Exercise 3a: activation
    Wrong("ex3a_activation", "naive sigmoid 1 / (1 + exp(-a)): overflows at a = -1000", '''
def activation(name, a):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-a))
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, a, LEAKY_RELU_ALPHA * a)
    raise ValueError(name)
'''),
    Wrong("ex3a_activation", "the two sigmoid formulas inside np.where, which evaluates both "
          "(overflow warnings)", '''
def activation(name, a):
    if name == "sigmoid":
        return np.where(a >= 0, 1.0 / (1.0 + np.exp(-a)), np.exp(a) / (1.0 + np.exp(a)))
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, a, LEAKY_RELU_ALPHA * a)
    raise ValueError(name)
'''),
    Wrong("ex3a_activation", "tanh from its exponential formula: inf / inf at |a| = 1000", '''
def activation(name, a):
    if name == "sigmoid":
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, a, LEAKY_RELU_ALPHA * a)
    raise ValueError(name)
'''),
    Wrong("ex3a_activation", "leaky ReLU as max(a, alpha) instead of max(a, alpha * a)", '''
def activation(name, a):
    if name == "sigmoid":
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "leaky_relu":
        return np.maximum(a, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3a_activation", "ReLU by zeroing the negative entries of a in place", '''
def activation(name, a):
    if name == "sigmoid":
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        a[a < 0] = 0.0
        return a
    if name == "leaky_relu":
        return np.where(a > 0, a, LEAKY_RELU_ALPHA * a)
    raise ValueError(name)
'''),
    Wrong("ex3a_activation", "returns None for an unknown name instead of raising ValueError", '''
def activation(name, a):
    if name == "sigmoid":
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, a, LEAKY_RELU_ALPHA * a)
'''),
    Wrong("ex3a_activation", "calls mlkit's activations", '''
from mlkit.activations import get_activation


def activation(name, a):
    return get_activation(name)[0](a)
'''),
    # --------------------------------------------------------- Exercise 3b: activation_grad
    Wrong("ex3b_activation_grad", "sigmoid': a (1 - a), forgetting to apply the sigmoid", '''
def activation_grad(name, a):
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "returns the boolean mask a > 0 as relu' (not floats)", '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return a > 0
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "tanh': 1 - a^2, forgetting the tanh", '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - a ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "tanh': (1 - tanh(a))^2, the square in the wrong place", '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return (1.0 - np.tanh(a)) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "ReLU' with a >= 0: 1 at the kink instead of the convention 0",
          '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return (a >= 0).astype(float)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "leaky ReLU' copied from ReLU': 0 instead of alpha for a <= 0",
          '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name in ("relu", "leaky_relu"):
        return np.where(a > 0, 1.0, 0.0)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "leaky ReLU' as alpha * a for a <= 0 (copied from the value)",
          '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA * a)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "leaky ReLU' with a >= 0: 1 at the kink instead of the "
          "convention alpha", '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a >= 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "tanh' = 1 / cosh(a)^2: np.cosh overflows at |a| = 1000", '''
def activation_grad(name, a):
    if name == "sigmoid":
        s = activation("sigmoid", a)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 / np.cosh(a) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "sigmoid' = e^-a / (1 + e^-a)^2: inf / inf at a = -1000", '''
def activation_grad(name, a):
    if name == "sigmoid":
        return np.exp(-a) / (1.0 + np.exp(-a)) ** 2
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return np.where(a > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(a > 0, 1.0, LEAKY_RELU_ALPHA)
    raise ValueError(name)
'''),
    Wrong("ex3b_activation_grad", "calls mlkit's derivatives", '''
import mlkit.activations as act


def activation_grad(name, a):
    return {"sigmoid": act.sigmoid_grad, "tanh": act.tanh_grad, "relu": act.relu_grad,
            "leaky_relu": act.leaky_relu_grad}[name](a)
'''),
    # ------------------------------------------------------------------ Exercise 4a: softmax
    Wrong("ex4a_softmax", "no shift by the maximum: inf / inf at logits of 1000", '''
def softmax(A):
    E = np.exp(A)
    return E / np.sum(E, axis=1, keepdims=True)
'''),
    Wrong("ex4a_softmax", "normalises the columns (axis=0) instead of the rows", '''
def softmax(A):
    E = np.exp(A - np.max(A, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)
'''),
    Wrong("ex4a_softmax", "forgets keepdims in the row sums: (n, k) / (n,) broadcasts wrongly", '''
def softmax(A):
    E = np.exp(A - np.max(A, axis=1, keepdims=True))
    return E / np.sum(E, axis=1)
'''),
    Wrong("ex4a_softmax", "shifts by the maximum of the whole matrix, not of each row", '''
def softmax(A):
    E = np.exp(A - np.max(A))
    return E / np.sum(E, axis=1, keepdims=True)
'''),
    Wrong("ex4a_softmax", "shifts by each row's minimum instead of its maximum", '''
def softmax(A):
    E = np.exp(A - np.min(A, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)
'''),
    Wrong("ex4a_softmax", "subtracts the row maximum from A in place", '''
def softmax(A):
    A -= np.max(A, axis=1, keepdims=True)
    E = np.exp(A)
    return E / np.sum(E, axis=1, keepdims=True)
'''),
    Wrong("ex4a_softmax", "calls mlkit's softmax", '''
from mlkit.activations import softmax as mlkit_softmax


def softmax(A):
    return mlkit_softmax(A, axis=1)
'''),
    # ----------------------------------------------------------- Exercise 4b: cross_entropy
    Wrong("ex4b_cross_entropy", "sums the per-sample losses instead of averaging them", '''
def cross_entropy(A, y):
    shifted = A - np.max(A, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(log_probs[np.arange(A.shape[0]), y])
'''),
    Wrong("ex4b_cross_entropy", "np.log(softmax(A)): log(0) when a probability underflows", '''
def cross_entropy(A, y):
    P = softmax(A)
    return -np.mean(np.log(P[np.arange(A.shape[0]), y]))
'''),
    Wrong("ex4b_cross_entropy", "returns the per-sample losses, shape (n,), not their mean", '''
def cross_entropy(A, y):
    shifted = A - np.max(A, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -log_probs[np.arange(A.shape[0]), y]
'''),
    Wrong("ex4b_cross_entropy", "indexes log_probs[:, y], an (n, n) matrix, instead of one entry "
          "per row", '''
def cross_entropy(A, y):
    shifted = A - np.max(A, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(log_probs[:, y])
'''),
    Wrong("ex4b_cross_entropy", "forgets the minus sign (returns the mean log-likelihood)", '''
def cross_entropy(A, y):
    shifted = A - np.max(A, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return np.mean(log_probs[np.arange(A.shape[0]), y])
'''),
    Wrong("ex4b_cross_entropy", "log-sum-exp without the shift: overflows at logits of 1000", '''
def cross_entropy(A, y):
    log_probs = A - np.log(np.sum(np.exp(A), axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(A.shape[0]), y])
'''),
    Wrong("ex4b_cross_entropy", "log-sum-exp over the whole matrix (no axis) instead of per row",
          '''
def cross_entropy(A, y):
    shifted = A - np.max(A, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted)))
    return -np.mean(log_probs[np.arange(A.shape[0]), y])
'''),
    Wrong("ex4b_cross_entropy", "calls mlkit's softmax_cross_entropy", '''
from mlkit.losses import softmax_cross_entropy


def cross_entropy(A, y):
    return softmax_cross_entropy(A, y)[0]
'''),
    # ------------------------------------------------------------------ Exercise 5: forward
    Wrong("ex5_forward", "Z @ W + b: forgets the transpose of W (n_out, n_in)", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W + b
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return A, caches
'''),
    Wrong("ex5_forward", "applies a sigmoid to the output layer: probabilities, not logits", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return activation("sigmoid", A), caches
'''),
    Wrong("ex5_forward", "caches the layer's output Z instead of its input Z_prev", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        if l < L:
            Z = activation(activations[l - 1], A)
        caches.append((Z, W, b, A))
    return A, caches
'''),
    Wrong("ex5_forward", "activations[l] instead of activations[l - 1] (off by one)", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l], A)
    return A, caches
'''),
    Wrong("ex5_forward", "uses the first activation for every hidden layer", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[0], A)
    return A, caches
'''),
    Wrong("ex5_forward", "forgets the bias", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return A, caches
'''),
    Wrong("ex5_forward", "L = len(params): counts the biases as layers too (runs past the "
          "last layer)", '''
def forward(X, params, activations):
    L = len(params)
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return A, caches
'''),
    Wrong("ex5_forward", "caches only (Z_prev, A), not the 4-tuple (Z_prev, W, b, A)", '''
def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A = Z @ W.T + b
        caches.append((Z, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return A, caches
'''),
    Wrong("ex5_forward", "calls mlkit.layers.linear_forward", '''
from mlkit.layers import linear_forward


def forward(X, params, activations):
    L = len(params) // 2
    Z, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        A, _ = linear_forward(Z, W, b)
        caches.append((Z, W, b, A))
        if l < L:
            Z = activation(activations[l - 1], A)
    return A, caches
'''),
    # -------------------------------------------------------- Exercise 6: collapse_linear
    Wrong("ex6_collapse_linear", "W = W1 @ W2: the factors in the wrong order", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, W2 @ b1 + b2
'''),
    Wrong("ex6_collapse_linear", "W = W1.T @ W2.T (the row-form product): W transposed", '''
def collapse_linear(W1, b1, W2, b2):
    return W1.T @ W2.T, W2 @ b1 + b2
'''),
    Wrong("ex6_collapse_linear", "b = b1 + b2: adds the biases without passing b1 through W2", '''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, b1 + b2
'''),
    Wrong("ex6_collapse_linear", "b = W2 @ b1: forgets b2", '''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, W2 @ b1
'''),
    Wrong("ex6_collapse_linear", "b = W2 @ b1 - b2: sign error", '''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, W2 @ b1 - b2
'''),
    Wrong("ex6_collapse_linear", "multiplies element-wise (W2 * W1) instead of a matrix product",
          '''
def collapse_linear(W1, b1, W2, b2):
    return W2 * W1, W2 * b1 + b2
'''),
]
