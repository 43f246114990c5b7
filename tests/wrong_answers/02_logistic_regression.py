"""Realistic wrong answers for assignment 02_logistic_regression; each must lose points in its
own exercise and nowhere else (checked by tests/test_assignments.py with real nbgrader)."""

from tools.grading import Wrong

# Correct versions of the functions that share an answer cell with a wrong one.
_BCE = '''
def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
'''
_BCE_WITH_LOGITS = '''
def bce_with_logits(a, y):
    return float(np.mean(np.logaddexp(0, a) - y * a))
'''
_PREDICT_PROBA = '''
def predict_proba(w, X):
    return sigmoid(X @ w[:-1] + w[-1])
'''
_PREDICT = '''
def predict(w, X):
    return (predict_proba(w, X) >= 0.5).astype(int)
'''

WRONG = [
    # ------------------------------------------------------------------ ex1_sigmoid
    Wrong("ex1_sigmoid", "clips the caller's array in place (values right, a changed)", '''
def sigmoid(a):
    a = np.asarray(a, dtype=float)
    np.clip(a, -500.0, 500.0, out=a)
    return 1.0 / (1.0 + np.exp(-a))
'''),
    Wrong("ex1_sigmoid", "the naive formula: overflows in exp(-a) for a = -1000", '''
def sigmoid(a):
    return 1 / (1 + np.exp(-a))
'''),
    Wrong("ex1_sigmoid", "the form e^a / (1 + e^a): inf / inf = nan for a = +1000", '''
def sigmoid(a):
    return np.exp(a) / (1 + np.exp(a))
'''),
    Wrong("ex1_sigmoid", "np.where of both forms: each branch is computed for every a and "
          "overflows", '''
def sigmoid(a):
    return np.where(a >= 0, 1 / (1 + np.exp(-a)), np.exp(a) / (1 + np.exp(a)))
'''),
    Wrong("ex1_sigmoid", "sign error: 1 / (1 + e^a)", '''
def sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, e / (1 + e), 1 / (1 + e))
'''),
    Wrong("ex1_sigmoid", "calls mlkit's sigmoid instead of writing it", '''
from mlkit import activations


def sigmoid(a):
    return activations.sigmoid(a)
'''),
    Wrong("ex1_sigmoid", "masks in place: overwrites the caller's array", '''
def sigmoid(a):
    a = np.asarray(a, dtype=float)
    neg = a < 0
    e = np.exp(a[neg])
    a[~neg] = 1 / (1 + np.exp(-a[~neg]))
    a[neg] = e / (1 + e)
    return a
'''),
    Wrong("ex1_sigmoid", "np.empty_like keeps an integer dtype: integer input gives 0s", '''
def sigmoid(a):
    a = np.asarray(a)
    out = np.empty_like(a)
    pos = a >= 0
    out[pos] = 1 / (1 + np.exp(-a[pos]))
    e = np.exp(a[~pos])
    out[~pos] = e / (1 + e)
    return out
'''),
    Wrong("ex1_sigmoid", "clips the input to [-30, 30]: tiny probabilities are wrong", '''
def sigmoid(a):
    return 1 / (1 + np.exp(-np.clip(a, -30, 30)))
'''),
    Wrong("ex1_sigmoid", "1 - sigmoid(-a) for negative a: cancellation loses tiny values", '''
def sigmoid(a):
    a = np.asarray(a, dtype=float)
    return np.where(a >= 0, 1 / (1 + np.exp(-np.abs(a))), 1 - 1 / (1 + np.exp(-np.abs(a))))
'''),
    Wrong("ex1_sigmoid", "returns a 1-element array for a scalar input", '''
def sigmoid(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))
'''),
    # ------------------------------------------------------------------ ex2_bce
    Wrong("ex2_bce", "bce without clipping: log(0) at p = 0 or 1", '''
def bce(p, y):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce clips with Keras's epsilon 1e-7 instead of 1e-12", '''
def bce(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce sums instead of averaging", '''
def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce forgets the minus sign", '''
def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce keeps only the y = 1 term", '''
def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce clips in place (np.clip(..., out=p)), changing the caller's p", '''
def bce(p, y):
    np.clip(p, 1e-12, 1 - 1e-12, out=p)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce returns the per-sample losses instead of their mean", '''
def bce(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce calls mlkit.losses.bce", '''
from mlkit import losses


def bce(p, y):
    return losses.bce(p, y)[0]
''' + _BCE_WITH_LOGITS),
    Wrong("ex2_bce", "bce_with_logits written literally: exp(a) overflows at a = 1000", _BCE + '''
def bce_with_logits(a, y):
    return float(np.mean(np.log(1 + np.exp(a)) - y * a))
'''),
    Wrong("ex2_bce", "bce_with_logits through the clipped bce of sigmoid(a): capped at 27.6",
          _BCE + '''
def bce_with_logits(a, y):
    return bce(sigmoid(a), y)
'''),
    Wrong("ex2_bce", "bce_with_logits with log(1 + e^-a) in place of log(1 + e^a)", _BCE + '''
def bce_with_logits(a, y):
    return float(np.mean(np.logaddexp(0, -a) - y * a))
'''),
    Wrong("ex2_bce", "bce_with_logits adds y a instead of subtracting it", _BCE + '''
def bce_with_logits(a, y):
    return float(np.mean(np.logaddexp(0, a) + y * a))
'''),
    Wrong("ex2_bce", "bce_with_logits sums instead of averaging", _BCE + '''
def bce_with_logits(a, y):
    return float(np.sum(np.logaddexp(0, a) - y * a))
'''),
    Wrong("ex2_bce", "bce_with_logits calls mlkit.losses.bce_with_logits", _BCE + '''
from mlkit.losses import bce_with_logits as _mlkit_bce_with_logits


def bce_with_logits(a, y):
    return _mlkit_bce_with_logits(a, y)[0]
'''),
    # ------------------------------------------------------------------ ex3_nll_gradient
    Wrong("ex3_nll_gradient", "sum instead of mean: the 1/n is missing", '''
def nll_gradient(w, X, y):
    return X.T @ (sigmoid(X @ w) - y)
'''),
    Wrong("ex3_nll_gradient", "wrong sign: y - sigmoid(Xw)", '''
def nll_gradient(w, X, y):
    return X.T @ (y - sigmoid(X @ w)) / len(y)
'''),
    Wrong("ex3_nll_gradient", "divides by the number of columns instead of samples", '''
def nll_gradient(w, X, y):
    return X.T @ (sigmoid(X @ w) - y) / X.shape[1]
'''),
    Wrong("ex3_nll_gradient", "averages over the wrong axis", '''
def nll_gradient(w, X, y):
    return np.mean(X * (sigmoid(X @ w) - y)[:, None], axis=1)
'''),
    Wrong("ex3_nll_gradient", "forgets the sigmoid (the linear-regression gradient)", '''
def nll_gradient(w, X, y):
    return X.T @ (X @ w - y) / len(y)
'''),
    Wrong("ex3_nll_gradient", "keeps the factor sigma'(a) that cancels against dl/dz", '''
def nll_gradient(w, X, y):
    s = sigmoid(X @ w)
    return X.T @ ((s - y) * s * (1 - s)) / len(y)
'''),
    Wrong("ex3_nll_gradient", "returns a column vector of shape (d + 1, 1)", '''
def nll_gradient(w, X, y):
    return (X.T @ (sigmoid(X @ w) - y) / len(y)).reshape(-1, 1)
'''),
    Wrong("ex3_nll_gradient", "uses mlkit's bce_with_logits gradient", '''
from mlkit import losses


def nll_gradient(w, X, y):
    return X.T @ losses.bce_with_logits(X @ w, y)[1]
'''),
    Wrong("ex3_nll_gradient", "uses mlkit's numerical gradient instead of the formula", '''
from mlkit.gradcheck import numerical_gradient


def nll_gradient(w, X, y):
    def loss(v):
        a = X @ v
        return float(np.mean(np.logaddexp(0, a) - y * a))
    return numerical_gradient(loss, np.array(w, dtype=float))
'''),
    # ------------------------------------------------------------------ ex4_train
    Wrong("ex4_train", "forgets the bias column", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    w = np.zeros(X.shape[1])
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(X @ w, y))
        w = w - eta * nll_gradient(w, X, y)
    return w, loss_history
'''),
    Wrong("ex4_train", "puts the bias column first", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([np.ones((X.shape[0], 1)), X])
    w = np.zeros(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w = w - eta * nll_gradient(w, Xb, y)
    return w, loss_history
'''),
    Wrong("ex4_train", "records the loss after each step instead of before", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters):
        w = w - eta * nll_gradient(w, Xb, y)
        loss_history.append(bce_with_logits(Xb @ w, y))
    return w, loss_history
'''),
    Wrong("ex4_train", "gradient ascent: w + eta * gradient", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w = w + eta * nll_gradient(w, Xb, y)
    return w, loss_history
'''),
    Wrong("ex4_train", "starts from w = 1 instead of w = 0", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.ones(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w = w - eta * nll_gradient(w, Xb, y)
    return w, loss_history
'''),
    Wrong("ex4_train", "off by one: takes n_iters - 1 steps", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    loss_history = [bce_with_logits(Xb @ w, y)]
    for _ in range(1, n_iters):
        w = w - eta * nll_gradient(w, Xb, y)
        loss_history.append(bce_with_logits(Xb @ w, y))
    return w, loss_history
'''),
    Wrong("ex4_train", "off by one: takes n_iters + 1 steps (the loss after the last too)", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters + 1):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w = w - eta * nll_gradient(w, Xb, y)
    return w, loss_history
'''),
    Wrong("ex4_train", "returns (loss_history, w) in the wrong order", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w = w - eta * nll_gradient(w, Xb, y)
    return loss_history, w
'''),
    Wrong("ex4_train", "updates w in place with a stale gradient of the first step", '''
def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    w = np.zeros(Xb.shape[1])
    grad = nll_gradient(w, Xb, y)
    loss_history = []
    for _ in range(n_iters):
        loss_history.append(bce_with_logits(Xb @ w, y))
        w -= eta * grad
    return w, loss_history
'''),
    Wrong("ex4_train", "calls mlkit.models.LogisticRegression", '''
from mlkit.models import LogisticRegression


def train_logistic_regression(X, y, eta=0.1, n_iters=1000):
    model = LogisticRegression(learning_rate=eta, max_iter=n_iters, tol=0).fit(X, y)
    return model.w_, model.history_["loss"]
'''),
    # ------------------------------------------------------------------ ex5_predict
    Wrong("ex5_predict", "predict_proba forgets the bias", '''
def predict_proba(w, X):
    return sigmoid(X @ w[:-1])
''' + _PREDICT),
    Wrong("ex5_predict", "predict_proba takes the bias from the first entry", '''
def predict_proba(w, X):
    return sigmoid(X @ w[1:] + w[0])
''' + _PREDICT),
    Wrong("ex5_predict", "predict_proba returns the scores, without the sigmoid", '''
def predict_proba(w, X):
    return X @ w[:-1] + w[-1]
''' + _PREDICT),
    Wrong("ex5_predict", "predict_proba returns P(y = 0) instead of P(y = 1)", '''
def predict_proba(w, X):
    return 1 - sigmoid(X @ w[:-1] + w[-1])
''' + _PREDICT),
    Wrong("ex5_predict", "predict_proba returns a column of shape (n, 1)", '''
def predict_proba(w, X):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    return sigmoid(Xb @ w.reshape(-1, 1))
''' + _PREDICT),
    Wrong("ex5_predict", "predict_proba calls mlkit's LogisticRegression", '''
from mlkit.models import LogisticRegression


def predict_proba(w, X):
    model = LogisticRegression()
    model.w_ = w
    return model.predict_proba(X)
''' + _PREDICT),
    Wrong("ex5_predict", "predict uses > 0.5: a probability of exactly 0.5 gives 0",
          _PREDICT_PROBA + '''
def predict(w, X):
    return (predict_proba(w, X) > 0.5).astype(int)
'''),
    Wrong("ex5_predict", "predict returns booleans", _PREDICT_PROBA + '''
def predict(w, X):
    return predict_proba(w, X) >= 0.5
'''),
    Wrong("ex5_predict", "predict rounds the probabilities (floats, and 0.5 rounds to 0)",
          _PREDICT_PROBA + '''
def predict(w, X):
    return np.round(predict_proba(w, X))
'''),
    Wrong("ex5_predict", "predict thresholds the score at 0.5 instead of the probability",
          _PREDICT_PROBA + '''
def predict(w, X):
    return (X @ w[:-1] + w[-1] >= 0.5).astype(int)
'''),
    Wrong("ex5_predict", "predict flips the classes", _PREDICT_PROBA + '''
def predict(w, X):
    return (predict_proba(w, X) < 0.5).astype(int)
'''),
    Wrong("ex5_predict", "predict returns labels -1/+1", _PREDICT_PROBA + '''
def predict(w, X):
    return np.where(predict_proba(w, X) >= 0.5, 1, -1)
'''),
    # ------------------------------------------------------------------ ex6_will_i_pass
    Wrong("ex6_will_i_pass", "raw features with a stable but small step: 20 steps are not enough",
          '''
scaler = None
eta_final = 0.01
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    X_train, y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "learning rate above the stability bound", '''
scaler = Standardizer().fit(X_train)
eta_final = 10.0
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "learning rate too small to converge within 20 steps", '''
scaler = Standardizer().fit(X_train)
eta_final = 0.5
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "over the budget of 20 steps", '''
scaler = Standardizer().fit(X_train)
eta_final = 1.0
n_iters_final = 200
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "fits the Standardizer on all the data, test set included", '''
scaler = Standardizer().fit(np.vstack([X_train, X_test]))
eta_final = 6.0
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "fits the Standardizer on the test set", '''
scaler = Standardizer().fit(X_test)
eta_final = 6.0
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "trains w_final on the raw features although scaler is set", '''
scaler = Standardizer().fit(X_train)
eta_final = 6.0
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    X_train, y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "stores the whole (w, history) tuple in w_final", '''
scaler = Standardizer().fit(X_train)
eta_final = 6.0
n_iters_final = 20
w_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=eta_final, n_iters=n_iters_final)
'''),
    Wrong("ex6_will_i_pass", "trains w_final with other settings than the ones it reports", '''
scaler = Standardizer().fit(X_train)
eta_final = 6.0
n_iters_final = 20
w_final, loss_history_final = train_logistic_regression(
    scaler.transform(X_train), y_train, eta=0.1, n_iters=n_iters_final)
'''),
]
