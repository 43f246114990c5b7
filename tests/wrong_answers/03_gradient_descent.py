"""Realistic wrong answers for assignment 03_gradient_descent; each must lose points in its own
exercise and nowhere else (checked by tests/test_assignments.py with real nbgrader).

Exercise 5c calls gradient_descent (Exercise 1) and mse_and_gradient (Exercise 5b); its tests
substitute reference versions of both, so the wrong answers of 1 and 5b cost points only there.
"""

from tools.grading import Wrong

_MOMENTUM_HEAD = '''
def momentum_update(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity")
    if v is None:
        v = np.zeros_like(w, dtype=float)
'''

_ADAM_HEAD = '''
def adam_update(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    m = config.get("m")
    if m is None:
        m = np.zeros_like(w, dtype=float)
    v = config.get("v")
    if v is None:
        v = np.zeros_like(w, dtype=float)
    t = config.get("t", 0)
    b1, b2 = config["beta1"], config["beta2"]
'''

_BISECTION_TAIL = '''
    lo, hi = 0.0, float(eta_high)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if diverges(mid):
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2
'''

WRONG = [
    # ------------------------------------------------------ Exercise 1: gradient_descent
    Wrong("ex1_gradient_descent", "leaves the start w0 out of the path (n_steps rows)", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_steps):
        w = w - eta * grad_f(w)
        path.append(w)
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "steps along the gradient (ascent: w + eta * grad)", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] + eta * grad_f(path[-1]))
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "updates w in place and appends the same array every step "
          "(all rows end up equal to the last iterate)", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w -= eta * grad_f(w)
        path.append(w)
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "updates the caller's w0 in place (values right, w0 changed)",
          '''
def gradient_descent(grad_f, w0, eta, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w -= eta * grad_f(w)
        path.append(w.copy())
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "off by one: takes n_steps - 1 steps", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(n_steps - 1):
        path.append(path[-1] - eta * grad_f(path[-1]))
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "returns a Python list of arrays instead of one array", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - eta * grad_f(path[-1]))
    return path
'''),
    Wrong("ex1_gradient_descent", "evaluates the gradient at w0 in every step", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - eta * grad_f(np.asarray(w0, dtype=float)))
    return np.array(path)
'''),
    Wrong("ex1_gradient_descent", "stores the path in an array of w0's dtype (integers are "
          "truncated)", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    path = np.array([w0] * (n_steps + 1))
    for t in range(n_steps):
        path[t + 1] = path[t] - eta * grad_f(path[t])
    return path
'''),
    Wrong("ex1_gradient_descent", "calls mlkit.optim.sgd for each step", '''
def gradient_descent(grad_f, w0, eta, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w, _ = optim.sgd(w, grad_f(w), {"learning_rate": eta})
        path.append(w.copy())
    return np.array(path)
'''),

    # ---------------------------------------------------- Exercise 2a: largest_stable_eta
    Wrong("ex2a_largest_stable_eta", "1/L instead of 2/L (the one-step learning rate)", '''
def largest_stable_eta(A):
    return float(1.0 / np.linalg.eigvalsh(A).max())
'''),
    Wrong("ex2a_largest_stable_eta", "takes eigvalsh(A)[0], the smallest eigenvalue", '''
def largest_stable_eta(A):
    return float(2.0 / np.linalg.eigvalsh(A)[0])
'''),
    Wrong("ex2a_largest_stable_eta", "uses the largest entry of A instead of its largest "
          "eigenvalue", '''
def largest_stable_eta(A):
    return float(2.0 / np.max(A))
'''),
    Wrong("ex2a_largest_stable_eta", "uses the trace (sum of the eigenvalues)", '''
def largest_stable_eta(A):
    return float(2.0 / np.trace(A))
'''),
    Wrong("ex2a_largest_stable_eta", "uses the Frobenius norm instead of the spectral norm", '''
def largest_stable_eta(A):
    return float(2.0 / np.linalg.norm(A))
'''),
    Wrong("ex2a_largest_stable_eta", "returns an array of shape (1,) (slice instead of index)",
          '''
def largest_stable_eta(A):
    return 2.0 / np.linalg.eigvalsh(A)[-1:]
'''),
    Wrong("ex2a_largest_stable_eta", "2 / the largest diagonal entry", '''
def largest_stable_eta(A):
    return float(2.0 / np.diag(A).max())
'''),

    # ------------------------------------------ Exercise 2b: find_largest_stable_eta_numerically
    Wrong("ex2b_stable_eta_numerically", "counts a run as diverging only once w is inf or nan",
          '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        for _ in range(n_steps):
            w = w - eta * grad_f(w)
        return not np.all(np.isfinite(w))
''' + _BISECTION_TAIL),
    Wrong("ex2b_stable_eta_numerically", "moves the wrong end of the interval", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        start = np.linalg.norm(w)
        for _ in range(n_steps):
            w = w - eta * grad_f(w)
            if np.linalg.norm(w) > start:
                return True
        return False

    lo, hi = 0.0, float(eta_high)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if diverges(mid):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
'''),
    Wrong("ex2b_stable_eta_numerically", "runs all n_steps before comparing (overflows for a "
          "huge eta)", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        for _ in range(n_steps):
            w = w - eta * grad_f(w)
        return np.linalg.norm(w) > np.linalg.norm(w0)
''' + _BISECTION_TAIL),
    Wrong("ex2b_stable_eta_numerically", "modifies w0 in place, so later runs start elsewhere",
          '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    start = np.linalg.norm(w0)

    def diverges(eta):
        w = w0
        for _ in range(n_steps):
            w -= eta * grad_f(w)
            if np.linalg.norm(w) > start:
                return True
        return False
''' + _BISECTION_TAIL),
    Wrong("ex2b_stable_eta_numerically", "a fixed 10 bisection steps instead of stopping at tol",
          '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        start = np.linalg.norm(w)
        for _ in range(n_steps):
            w = w - eta * grad_f(w)
            if np.linalg.norm(w) > start:
                return True
        return False

    lo, hi = 0.0, float(eta_high)
    for _ in range(10):
        mid = (lo + hi) / 2
        if diverges(mid):
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2
'''),
    Wrong("ex2b_stable_eta_numerically", "ignores the n_steps argument (always 500 steps)", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        start = np.linalg.norm(w)
        for _ in range(500):
            w = w - eta * grad_f(w)
            if np.linalg.norm(w) > start:
                return True
        return False
''' + _BISECTION_TAIL),
    Wrong("ex2b_stable_eta_numerically", "skips the search: reads A off grad_f and returns "
          "2 / lambda_max", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    d = np.size(w0)
    A = np.column_stack([grad_f(e) for e in np.eye(d)])
    return float(2.0 / np.linalg.eigvalsh((A + A.T) / 2).max())
'''),
    Wrong("ex2b_stable_eta_numerically", "decides from the first step alone "
          "(||w_1|| > ||w_0||)", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        w_next = w - eta * grad_f(w)
        return np.linalg.norm(w_next) > np.linalg.norm(w)
''' + _BISECTION_TAIL),
    Wrong("ex2b_stable_eta_numerically", "counts a run as diverging as soon as ||w_t|| grows "
          "from one step to the next (||w_t|| > ||w_{t-1}||), not past ||w_0||", '''
def find_largest_stable_eta_numerically(grad_f, w0, eta_high, n_steps=500, tol=1e-4):
    def diverges(eta):
        w = np.array(w0, dtype=float)
        previous = np.linalg.norm(w)
        for _ in range(n_steps):
            w = w - eta * grad_f(w)
            if np.linalg.norm(w) > previous:
                return True
            previous = np.linalg.norm(w)
        return False
''' + _BISECTION_TAIL),

    # ----------------------------------------------------------- Exercise 3: minibatches
    Wrong("ex3_minibatches", "does not shuffle", '''
def minibatches(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
'''),
    Wrong("ex3_minibatches", "shuffles X and y with two different permutations", '''
def minibatches(X, y, batch_size, rng):
    Xs = X[rng.permutation(len(X))]
    ys = y[rng.permutation(len(y))]
    for start in range(0, len(X), batch_size):
        yield Xs[start:start + batch_size], ys[start:start + batch_size]
'''),
    Wrong("ex3_minibatches", "drops the last, smaller batch", '''
def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for k in range(len(X) // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "draws the samples with replacement", '''
def minibatches(X, y, batch_size, rng):
    order = rng.integers(0, len(X), size=len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "shuffles X and y in place (the caller's data change)", '''
def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
'''),
    Wrong("ex3_minibatches", "uses the global np.random instead of rng", '''
def minibatches(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "creates a new generator with a fixed seed inside", '''
def minibatches(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "off by one in the slice (batches one sample short)", '''
def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size - 1]
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "draws each batch with rng.choice (samples repeat across batches)",
          '''
def minibatches(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        idx = rng.choice(len(X), size=min(batch_size, len(X) - start), replace=False)
        yield X[idx], y[idx]
'''),
    Wrong("ex3_minibatches", "calls mlkit.optim.minibatches", '''
def minibatches(X, y, batch_size, rng):
    yield from optim.minibatches(X, y, batch_size, seed=rng)
'''),

    # ----------------------------------------------------- Exercise 4a: momentum_update
    Wrong("ex4a_momentum_update", "subtracts the velocity (w - v)", _MOMENTUM_HEAD + '''
    v = config["momentum"] * v - config["learning_rate"] * dw
    w = w - v
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "does not store the velocity (every step is plain SGD)",
          _MOMENTUM_HEAD + '''
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config
'''),
    Wrong("ex4a_momentum_update", "moves with the old velocity, then updates it",
          _MOMENTUM_HEAD + '''
    w = w + v
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "forgets the learning rate in the velocity", _MOMENTUM_HEAD + '''
    v = config["momentum"] * v - dw
    w = w + v
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "PyTorch's form, storing its velocity mu v + g",
          _MOMENTUM_HEAD + '''
    v = config["momentum"] * v + dw
    w = w - config["learning_rate"] * v
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "an exponential moving average (1 - mu) in front of the "
          "gradient", _MOMENTUM_HEAD + '''
    v = config["momentum"] * v - (1 - config["momentum"]) * config["learning_rate"] * dw
    w = w + v
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "scales dw in place (the caller's gradient changes)",
          _MOMENTUM_HEAD + '''
    dw *= config["learning_rate"]
    v = config["momentum"] * v - dw
    w = w + v
    config["velocity"] = v
    return w, config
'''),
    Wrong("ex4a_momentum_update", "calls mlkit.optim.sgd_momentum", _MOMENTUM_HEAD + '''
    return optim.sgd_momentum(w, dw, config)
'''),

    # --------------------------------------------------------- Exercise 4b: adam_update
    Wrong("ex4b_adam_update", "no bias correction", _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    w = w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "does not store t (bias correction always at t = 1)",
          _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"] = m, v
    return w, config
'''),
    Wrong("ex4b_adam_update", "epsilon inside the square root", _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w = w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "the second moment of dw instead of dw**2", _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * np.abs(dw)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "stores the bias-corrected m_hat and v_hat as the state",
          _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m_hat, v_hat, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "beta1 and beta2 swapped", _ADAM_HEAD + '''
    t = t + 1
    m = b2 * m + (1 - b2) * dw
    v = b1 * v + (1 - b1) * dw**2
    m_hat = m / (1 - b2**t)
    v_hat = v / (1 - b1**t)
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "bias correction with t before it is incremented (t = 0 at the "
          "first step: division by zero)", _ADAM_HEAD + '''
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    t = t + 1
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "a hard-coded epsilon of 1e-8 (ignores config['epsilon'])",
          _ADAM_HEAD + '''
    t = t + 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + 1e-8)
    config["m"], config["v"], config["t"] = m, v, t
    return w, config
'''),
    Wrong("ex4b_adam_update", "calls mlkit.optim.adam", _ADAM_HEAD + '''
    return optim.adam(w, dw, config)
'''),

    # -------------------------------------------- Exercise 5a: least_squares_closed_form
    Wrong("ex5a_least_squares_closed_form", "solves X w = y (X is not square)", '''
def least_squares_closed_form(X, y):
    return np.linalg.solve(X, y)
'''),
    Wrong("ex5a_least_squares_closed_form", "returns np.linalg.lstsq's whole tuple", '''
def least_squares_closed_form(X, y):
    return np.linalg.lstsq(X, y, rcond=None)
'''),
    Wrong("ex5a_least_squares_closed_form", "fits every column on its own (ignores the "
          "correlations between features)", '''
def least_squares_closed_form(X, y):
    return (X.T @ y) / np.sum(X * X, axis=0)
'''),
    Wrong("ex5a_least_squares_closed_form", "normal equations with X X^T", '''
def least_squares_closed_form(X, y):
    return np.linalg.solve(X @ X.T, X @ y)
'''),
    Wrong("ex5a_least_squares_closed_form", "adds another bias column", '''
def least_squares_closed_form(X, y):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    return np.linalg.lstsq(Xb, y, rcond=None)[0]
'''),
    Wrong("ex5a_least_squares_closed_form", "adds a small ridge term 'for stability'", '''
def least_squares_closed_form(X, y):
    return np.linalg.solve(X.T @ X + 1e-3 * np.eye(X.shape[1]), X.T @ y)
'''),
    Wrong("ex5a_least_squares_closed_form", "returns a column vector of shape (d, 1)", '''
def least_squares_closed_form(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y).reshape(-1, 1)
'''),

    # ------------------------------------------------------ Exercise 5b: mse_and_gradient
    Wrong("ex5b_mse_and_gradient", "the gradient lacks the factor 2", '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(np.mean(r**2)), X.T @ r / len(y)
'''),
    Wrong("ex5b_mse_and_gradient", "sums instead of averaging (no 1/n)", '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(np.sum(r**2)), 2 * X.T @ r
'''),
    Wrong("ex5b_mse_and_gradient", "residual the other way round in the gradient (wrong sign)",
          '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(np.mean(r**2)), 2 / len(y) * X.T @ (y - X @ w)
'''),
    Wrong("ex5b_mse_and_gradient", "operator precedence: 2/n multiplies only the first term",
          '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(np.mean(r**2)), 2 / len(y) * X.T @ X @ w - X.T @ y
'''),
    Wrong("ex5b_mse_and_gradient", "returns the vector of squared residuals as the loss", '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return r**2 / len(y), 2 / len(y) * X.T @ r
'''),
    Wrong("ex5b_mse_and_gradient", "the loss is the norm of the residual, not its square", '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(np.linalg.norm(r)) / len(y), 2 / len(y) * X.T @ r
'''),
    Wrong("ex5b_mse_and_gradient", "the loss with 1/(2n), the gradient with 2/n", '''
def mse_and_gradient(w, X, y):
    r = X @ w - y
    return float(r @ r) / (2 * len(y)), 2 / len(y) * X.T @ r
'''),
    Wrong("ex5b_mse_and_gradient", "calls mlkit.losses.mse", '''
def mse_and_gradient(w, X, y):
    loss, dyhat = mse(X @ w, y)
    return loss, X.T @ dyhat
'''),

    # ------------------------------------------------------ Exercise 5c: least_squares_gd
    Wrong("ex5c_least_squares_gd", "starts from ones instead of zeros", '''
def least_squares_gd(X, y, eta, n_steps):
    path = gradient_descent(lambda w: mse_and_gradient(w, X, y)[1], np.ones(X.shape[1]), eta,
                            n_steps)
    return path[-1]
'''),
    Wrong("ex5c_least_squares_gd", "returns the whole path", '''
def least_squares_gd(X, y, eta, n_steps):
    return gradient_descent(lambda w: mse_and_gradient(w, X, y)[1], np.zeros(X.shape[1]), eta,
                            n_steps)
'''),
    Wrong("ex5c_least_squares_gd", "returns the iterate before the last one", '''
def least_squares_gd(X, y, eta, n_steps):
    path = gradient_descent(lambda w: mse_and_gradient(w, X, y)[1], np.zeros(X.shape[1]), eta,
                            n_steps)
    return path[-2] if len(path) > 1 else path[-1]
'''),
    Wrong("ex5c_least_squares_gd", "its own gradient without the factor 2", '''
def least_squares_gd(X, y, eta, n_steps):
    w = np.zeros(X.shape[1])
    for _ in range(n_steps):
        w = w - eta * X.T @ (X @ w - y) / len(y)
    return w
'''),
    Wrong("ex5c_least_squares_gd", "uses the closed form instead of gradient descent", '''
def least_squares_gd(X, y, eta, n_steps):
    return np.linalg.lstsq(X, y, rcond=None)[0]
'''),
    Wrong("ex5c_least_squares_gd", "descends along the loss instead of the gradient "
          "(takes element 0 of mse_and_gradient)", '''
def least_squares_gd(X, y, eta, n_steps):
    path = gradient_descent(lambda w: mse_and_gradient(w, X, y)[0], np.zeros(X.shape[1]), eta,
                            n_steps)
    return path[-1]
'''),
    Wrong("ex5c_least_squares_gd", "a fixed learning rate of 0.1 (ignores eta)", '''
def least_squares_gd(X, y, eta, n_steps):
    path = gradient_descent(lambda w: mse_and_gradient(w, X, y)[1], np.zeros(X.shape[1]), 0.1,
                            n_steps)
    return path[-1]
'''),
]
