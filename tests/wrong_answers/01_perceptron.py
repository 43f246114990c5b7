"""Realistic wrong answers for assignment 01_perceptron; each must lose points in its own exercise
and nowhere else (checked by tests/test_assignments.py with real nbgrader).

Exercise 6 computes its answer with the student's train_perceptron, so the wrong answers of
Exercises 1, 3 and 4 are chosen so that train_perceptron still runs on XOR (its tests accept
the value that the student's own code gives: an earlier mistake is not punished twice).
"""

from tools.grading import Wrong

WRONG = [
    # ---------------------------------------------------------------- Exercise 1: add_bias
    Wrong("ex1_add_bias", "prepends the ones (bias first, as in the TU Berlin deck)", '''
def add_bias(X):
    return np.hstack([np.ones((X.shape[0], 1)), X])
'''),
    Wrong("ex1_add_bias", "appends a column of zeros instead of ones", '''
def add_bias(X):
    return np.hstack([X, np.zeros((X.shape[0], 1))])
'''),
    Wrong("ex1_add_bias", "appends a row of ones (vstack) instead of a column", '''
def add_bias(X):
    return np.vstack([X, np.ones((1, X.shape[1]))])
'''),
    Wrong("ex1_add_bias", "preallocates an integer array, so the features are truncated", '''
def add_bias(X):
    n, d = X.shape
    Xb = np.ones((n, d + 1), dtype=int)
    Xb[:, :d] = X
    return Xb
'''),
    Wrong("ex1_add_bias", "overwrites the last feature with ones, in place, instead of appending",
          '''
def add_bias(X):
    X[:, -1] = 1.0
    return X
'''),
    Wrong("ex1_add_bias", "appends np.ones_like(X): d columns of ones instead of one", '''
def add_bias(X):
    return np.hstack([X, np.ones_like(X)])
'''),
    Wrong("ex1_add_bias", "calls mlkit's add_bias instead of writing it", '''
def add_bias(X):
    from mlkit.layers import add_bias as mlkit_add_bias
    return mlkit_add_bias(X)
'''),
    # ----------------------------------------------------------------- Exercise 2: predict
    Wrong("ex2_predict", "uses > instead of >= (a score of 0 predicts 0)", '''
def predict(w, X):
    return (add_bias(X) @ w > 0).astype(int)
'''),
    Wrong("ex2_predict", "forgets the bias: scores X @ w[:-1]", '''
def predict(w, X):
    return (X @ w[:-1] >= 0).astype(int)
'''),
    Wrong("ex2_predict", "treats the FIRST entry of w as the bias", '''
def predict(w, X):
    return (X @ w[1:] + w[0] >= 0).astype(int)
'''),
    Wrong("ex2_predict", "returns the scores instead of labels", '''
def predict(w, X):
    return add_bias(X) @ w
'''),
    Wrong("ex2_predict", "returns a boolean array", '''
def predict(w, X):
    return add_bias(X) @ w >= 0
'''),
    Wrong("ex2_predict", "returns labels -1/+1 (np.where with -1)", '''
def predict(w, X):
    return np.where(add_bias(X) @ w >= 0, 1, -1)
'''),
    Wrong("ex2_predict", "uses np.sign (0 on the boundary, -1 below)", '''
def predict(w, X):
    return np.sign(add_bias(X) @ w).astype(int)
'''),
    Wrong("ex2_predict", "loops with a Python threshold but compares against 0.5", '''
def predict(w, X):
    scores = add_bias(X) @ w
    return np.array([1 if s >= 0.5 else 0 for s in scores])
'''),
    Wrong("ex2_predict", "calls mlkit.activations.step", '''
def predict(w, X):
    from mlkit.activations import step
    return step(add_bias(X) @ w).astype(int)
'''),
    # ------------------------------------------------------- Exercise 3: perceptron_update
    Wrong("ex3_perceptron_update", "updates w in place (w += ...)", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    w += eta * (y - y_hat) * x
    return w, bool(y != y_hat)
'''),
    Wrong("ex3_perceptron_update", "uses > instead of >= for the prediction", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w > 0 else 0.0
    return w + eta * (y - y_hat) * x, bool(y != y_hat)
'''),
    Wrong("ex3_perceptron_update", "has the sign of the update flipped", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    return w - eta * (y - y_hat) * x, bool(y != y_hat)
'''),
    Wrong("ex3_perceptron_update", "forgets the learning rate", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    return w + (y - y_hat) * x, bool(y != y_hat)
'''),
    Wrong("ex3_perceptron_update", "uses the +-1 rule w + eta * y * x with 0/1 labels", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    if y_hat != y:
        return w + eta * y * x, True
    return w.copy(), False
'''),
    Wrong("ex3_perceptron_update", "returns the error y - y_hat instead of a bool", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    error = y - y_hat
    return w + eta * error * x, error
'''),
    Wrong("ex3_perceptron_update", "returns whether the prediction was correct", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else 0.0
    return w + eta * (y - y_hat) * x, bool(y == y_hat)
'''),
    Wrong("ex3_perceptron_update", "predicts -1/+1, so the error is +-2 with 0/1 labels", '''
def perceptron_update(w, x, y, eta):
    y_hat = 1.0 if x @ w >= 0 else -1.0
    return w + eta * (y - y_hat) * x, bool(y != y_hat)
'''),
    # -------------------------------------------------------- Exercise 4: train_perceptron
    Wrong("ex4_train_perceptron", "stops when ||delta w|| <= tol (fires with tol = 0 on a cycle)",
          '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) <= tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "updates in place and keeps w_old = w (no copy): tol sees no "
          "change", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_old = w
        mistakes = 0
        for i in range(len(y)):
            y_hat = 1.0 if Xb[i] @ w >= 0 else 0.0
            if y_hat != y[i]:
                w += eta * (y[i] - y_hat) * Xb[i]
                mistakes += 1
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_old) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "measures the epoch's change of w without the learning rate "
          "(sum of (y - y_hat) x, not of eta (y - y_hat) x)", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        change = np.zeros_like(w)
        mistakes = 0
        for i in range(len(y)):
            y_hat = 1.0 if Xb[i] @ w >= 0 else 0.0
            if y_hat != y[i]:
                w = w + eta * (y[i] - y_hat) * Xb[i]
                change += (y[i] - y_hat) * Xb[i]
                mistakes += 1
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(change) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "ignores the learning rate (always updates with eta = 1)", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], 1.0)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "forgets the 'no mistakes' stopping rule", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "does not reset the mistake counter each epoch", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    mistakes = 0
    for _ in range(max_epochs):
        w_start = w
        before = mistakes
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == before or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "checks the stopping rules before recording the epoch", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
        mistakes_per_epoch.append(mistakes)
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "shuffles the samples every epoch (as in SGD)", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    rng = np.random.default_rng(0)
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in rng.permutation(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "starts from w = ones instead of zeros", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.ones(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "forgets the bias column (trains on X, w has d entries)", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    w = np.zeros(X.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, X[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "runs one epoch too few (range(1, max_epochs))", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(1, max_epochs):
        w_start = w
        mistakes = 0
        for i in range(len(y)):
            w, mistake = perceptron_update(w, Xb[i], y[i], eta)
            mistakes += mistake
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "counts the samples wrong at the END of each epoch instead of "
          "the mistakes made during it", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    Xb = add_bias(X)
    w = np.zeros(Xb.shape[1])
    mistakes_per_epoch = []
    for _ in range(max_epochs):
        w_start = w
        for i in range(len(y)):
            w, _ = perceptron_update(w, Xb[i], y[i], eta)
        mistakes = int(np.sum(predict(w, X) != y))
        mistakes_per_epoch.append(mistakes)
        if mistakes == 0 or np.linalg.norm(w - w_start) < tol:
            break
    return w, mistakes_per_epoch
'''),
    Wrong("ex4_train_perceptron", "calls mlkit.models.Perceptron instead of writing the loop", '''
def train_perceptron(X, y, eta=1.0, max_epochs=100, tol=0.0):
    from mlkit.models import Perceptron
    clf = Perceptron(learning_rate=eta, max_epochs=max_epochs, tol=tol).fit(X, y)
    return clf.w_, clf.mistakes_
'''),
    # ---------------------------------------------------- Exercise 5: perceptron_criterion
    Wrong("ex5_perceptron_criterion", "uses < 0: samples on the boundary are not mistakes", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins < 0
    return -np.sum(margins[wrong]), -(y[wrong] @ X[wrong])
'''),
    Wrong("ex5_perceptron_criterion", "returns the mean instead of the sum", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins <= 0
    n = len(y)
    return -np.sum(margins[wrong]) / n, -(y[wrong] @ X[wrong]) / n
'''),
    Wrong("ex5_perceptron_criterion", "has the sign of the gradient flipped", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins <= 0
    return -np.sum(margins[wrong]), y[wrong] @ X[wrong]
'''),
    Wrong("ex5_perceptron_criterion", "forgets the minus sign of E_P (E <= 0)", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins <= 0
    return np.sum(margins[wrong]), -(y[wrong] @ X[wrong])
'''),
    Wrong("ex5_perceptron_criterion", "sums over all samples, not only the misclassified ones",
          '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    return -np.sum(margins), -(y @ X)
'''),
    Wrong("ex5_perceptron_criterion", "returns per-sample gradients (no sum over samples)", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins <= 0
    return -np.sum(margins[wrong]), -(y[wrong][:, None] * X[wrong])
'''),
    Wrong("ex5_perceptron_criterion", "returns the per-sample losses instead of their sum", '''
def perceptron_criterion(w, X, y):
    margins = y * (X @ w)
    wrong = margins <= 0
    return np.maximum(0.0, -margins), -(y[wrong] @ X[wrong])
'''),
    Wrong("ex5_perceptron_criterion", "calls mlkit.losses.perceptron_criterion", '''
def perceptron_criterion(w, X, y):
    from mlkit.losses import perceptron_criterion as reference
    return reference(w, X, y, reduction="sum")
'''),
    # ------------------------------------------------------------------ Exercise 6: XOR
    Wrong("ex6_xor", "hard-codes 0 mistakes (as if XOR were separable)", '''
xor_min_mistakes = 0
xor_separable = False
'''),
    Wrong("ex6_xor", "answers 1 (the errors of the best line) instead of running the code", '''
xor_min_mistakes = 1
xor_separable = False
'''),
    Wrong("ex6_xor", "takes the maximum instead of the minimum", '''
X_xor, y_xor = xor()
_, xor_mistakes = train_perceptron(X_xor, y_xor)
xor_min_mistakes = int(max(xor_mistakes))
xor_separable = False
'''),
    Wrong("ex6_xor", "reports the mistakes of the last epoch", '''
X_xor, y_xor = xor()
_, xor_mistakes = train_perceptron(X_xor, y_xor)
xor_min_mistakes = int(xor_mistakes[-1])
xor_separable = False
'''),
    Wrong("ex6_xor", "counts the points the final weights get wrong", '''
X_xor, y_xor = xor()
w_xor, _ = train_perceptron(X_xor, y_xor)
xor_min_mistakes = int(np.sum(predict(w_xor, X_xor) != y_xor))
xor_separable = False
'''),
    Wrong("ex6_xor", "reports the number of epochs", '''
X_xor, y_xor = xor()
_, xor_mistakes = train_perceptron(X_xor, y_xor)
xor_min_mistakes = len(xor_mistakes)
xor_separable = False
'''),
    Wrong("ex6_xor", "answers that XOR is linearly separable", '''
X_xor, y_xor = xor()
_, xor_mistakes = train_perceptron(X_xor, y_xor)
xor_min_mistakes = int(min(xor_mistakes))
xor_separable = True
'''),
    Wrong("ex6_xor", "gives the answers as strings", '''
xor_min_mistakes = "3"
xor_separable = "no"
'''),
]
