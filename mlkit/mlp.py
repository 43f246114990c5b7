r"""The multi-layer perceptron: forward pass, the delta algorithm, and mini-batch training.

For layers :math:`l = 1, \dots, L` (shared/DESIGN.md):

.. math:: a^{[l]} = W^{[l]} z^{[l-1]} + b^{[l]}, \quad z^{[l]} = \sigma^{[l]}(a^{[l]}),
          \quad z^{[0]} = x

The output layer has no activation of its own here: its pre-activation :math:`a^{[L]}`
(the logits) goes straight into a loss that applies the head (sigmoid + BCE, softmax +
cross-entropy, or identity + MSE), so the backward pass starts from
:math:`\delta^{[L]} = (\hat y - y)/n` for a batch of :math:`n` with sigmoid or softmax, and
from :math:`\delta^{[L]} = 2(\hat y - y)/(n k)` with identity + MSE (the mean over all
:math:`n \cdot k` entries of the :math:`k` outputs), and then

.. math:: \delta^{[l]} = \sigma'^{[l]}(a^{[l]}) \odot W^{[l+1]\top} \delta^{[l+1]}, \quad
          \frac{\partial L}{\partial W^{[l]}} = \delta^{[l]} z^{[l-1]\top}, \quad
          \frac{\partial L}{\partial b^{[l]}} = \textstyle\sum_{\text{batch}} \delta^{[l]}

Example
-------
>>> from mlkit.datasets import xor
>>> X, y = xor()
>>> model = MLP(hidden_sizes=(4,), activation="tanh", learning_rate=0.1, epochs=300,
...             batch_size=4, seed=0).fit(X, y)
>>> model.predict(X).tolist()
[0, 1, 1, 0]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ._validation import (
    as_rng,
    check_array,
    check_binary_labels,
    check_class_labels,
    check_consistent_length,
    check_fitted,
    check_in_range,
    check_positive,
)
from .activations import ACTIVATIONS, sigmoid, softmax
from .layers import (
    activation_backward,
    activation_forward,
    dropout_backward,
    dropout_forward,
)
from .losses import _bce_with_logits, _mse, _softmax_cross_entropy
from .optim import _batches, get_optimizer, sgd

__all__ = ["MLP"]

_OUTPUTS = ("auto", "sigmoid", "softmax", "identity")
_HE = ("relu", "leaky_relu", "silu", "gelu")


_RAVEL_HINT = "Use y.ravel() (or y.argmax(axis=1) for one-hot labels)."


def _summary(values) -> str:
    """Distinct values as text: {1, 2, 3}, or {-18, -15, -12, ..., 14} (22 distinct values)."""
    v = [f"{x:g}" for x in values]
    if len(v) <= 6:
        return "{" + ", ".join(v) + "}"
    return "{" + ", ".join(v[:3]) + ", ..., " + v[-1] + f"}} ({len(v)} distinct values)"


def _auto_output(y) -> str:
    """The head that output="auto" picks for the targets ``y`` (see the MLP docstring)."""
    values = np.unique(y)
    found = set(values.tolist())
    if found <= {0.0, 1.0} or (found == {-1.0, 1.0} and y.ndim == 1):
        return "sigmoid"  # (fit explains how to turn -1/+1 labels into 0/1)
    if not np.all(np.mod(values, 1) == 0) or y.ndim == 2:
        return "identity"
    if values[0] == 0 and values[-1] == len(values) - 1:  # exactly 0..k-1, all present
        return "softmax"
    raise ValueError(
        f"output='auto' cannot tell classes from the integer targets {_summary(values)}; "
        "pass output='identity' for regression, or labels 0..k-1 with output='softmax' "
        "(1-based labels? use y - 1)."
    )


@functools.cache
def _keys(n_layers: int) -> tuple[tuple[str, str], ...]:
    """("W1", "b1"), ..., ("WL", "bL"): the names of each layer's parameters (built once:
    formatting them anew took 3% of a small network's training step)."""
    return tuple((f"W{l}", f"b{l}") for l in range(1, n_layers + 1))


class MLP:
    r"""A fully connected network with any depth, widths and hidden activations.

    Parameters
    ----------
    hidden_sizes : sequence of int, the widths :math:`d_1, \dots, d_{L-1}`
    activation : str or sequence of str, one per hidden layer (see ``ACTIVATIONS``)
    output : "auto", "sigmoid" (binary, labels 0/1), "softmax" (labels 0..k-1) or
        "identity" (regression); "auto" picks from ``y``: "sigmoid" for labels exactly
        {0, 1}, "softmax" for integer labels exactly 0..k-1 (every class present),
        "identity" for targets that are not all integers (and for integer 2-D targets);
        any other integer targets (such as counts, or labels 1..k) raise a ValueError:
        pass ``output`` explicitly
    optimizer : "sgd", "momentum", "adam" or an update function (see :mod:`mlkit.optim`)
    learning_rate : float, or a schedule ``epoch -> float``
    batch_size : int; use ``n`` for full-batch gradient descent
    epochs : int, passes over the training data
    l2 : float >= 0, penalty :math:`\tfrac{\lambda}{2}\sum_l \lVert W^{[l]}\rVert^2`,
        added to the training loss (and its gradient) only, not to the validation loss
    dropout : float in [0, 1), drop probability of hidden units while training
    init : "auto", "he" (:math:`\mathcal N(0, 2/d_{in})`) or "xavier"
        (:math:`\mathcal N(0, 2/(d_{in}+d_{out}))`); "auto" uses He for ReLU-like layers
    early_stopping : bool, hold out ``validation_fraction`` of the data and stop after
        ``patience`` epochs without a better validation loss (the head's loss alone: no
        dropout and no L2 penalty), keeping the best weights
    optimizer_config : dict, extra settings for the update rule (e.g. momentum); the
        learning rate is not one of them: pass ``learning_rate``
    seed : int, Generator or None, for initialisation, shuffling, dropout and the split
    dtype : np.float64 or np.float32

    Attributes
    ----------
    params_ : dict "W1", "b1", ..., "WL", "bL"; ``W{l}`` has shape (d_l, d_{l-1})
    history_ : dict of lists per epoch: "loss", "accuracy" (classifiers only), and with
        early stopping "val_loss", "val_accuracy" (training figures are averages over the
        epoch's batches, and "loss" includes the L2 penalty; "val_loss" is the head's loss
        on the validation split, without dropout and without the penalty)
    classes_ : ndarray of class labels (classifiers)
    output_ : str, the head used
    n_epochs_ : int, epochs run

    Raises
    ------
    FloatingPointError
        From ``fit``, when training diverges (an epoch's loss, or the final weights, are NaN
        or infinite); ``history_`` keeps every epoch's loss up to the one that diverged, so
        the blow-up can be inspected.
    """

    def __init__(self, hidden_sizes: Sequence[int] = (16,), activation="relu", output="auto",
                 optimizer="adam", learning_rate=1e-3, batch_size: int = 32,
                 epochs: int = 100, l2: float = 0.0, dropout: float = 0.0, init="auto",
                 early_stopping: bool = False, validation_fraction: float = 0.1,
                 patience: int = 10, optimizer_config: dict | None = None, seed=0,
                 dtype=np.float64):
        self.hidden_sizes = hidden_sizes
        self.activation = activation
        self.output = output
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.l2 = l2
        self.dropout = dropout
        self.init = init
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.optimizer_config = optimizer_config
        self.seed = seed
        self.dtype = dtype

    params_ = None

    # ----------------------------------------------------------------- set-up
    def _check_hyperparameters(self):
        if isinstance(self.hidden_sizes, str) or not np.iterable(self.hidden_sizes):
            raise ValueError(
                f"hidden_sizes must be a sequence of ints, one width per hidden layer, such as "
                f"(16,) or (); got {self.hidden_sizes!r}."
            )
        sizes = list(self.hidden_sizes)
        for s in sizes:
            check_positive(s, "each entry of hidden_sizes", integer=True)
        acts = ([self.activation] * len(sizes) if isinstance(self.activation, str)
                else list(self.activation))
        if len(acts) != len(sizes):
            raise ValueError(
                f"activation has {len(acts)} entries but there are {len(sizes)} hidden "
                "layers; give one name, or one per hidden layer."
            )
        for a in acts:
            if a not in ACTIVATIONS or a == "step":
                raise ValueError(
                    f"Unknown or untrainable activation {a!r}; choose one of "
                    f"{', '.join(n for n in ACTIVATIONS if n != 'step')}."
                )
        if self.output not in _OUTPUTS:
            raise ValueError(f"output must be one of {_OUTPUTS}; got {self.output!r}.")
        if self.init not in ("auto", "he", "xavier"):
            raise ValueError(f"init must be 'auto', 'he' or 'xavier'; got {self.init!r}.")
        try:
            ok = np.dtype(self.dtype) in (np.float32, np.float64)
        except TypeError:
            ok = False
        if not ok:
            raise ValueError(f"dtype must be np.float32 or np.float64; got {self.dtype!r}.")
        if not callable(self.learning_rate):
            check_positive(self.learning_rate, "learning_rate")
        check_positive(self.batch_size, "batch_size", integer=True)
        check_positive(self.epochs, "epochs", integer=True)
        check_positive(self.l2, "l2", allow_zero=True)
        check_in_range(self.dropout, "dropout", 0.0, 1.0)
        check_positive(self.patience, "patience", integer=True)
        if self.early_stopping:
            check_in_range(self.validation_fraction, "validation_fraction", 0.0, 1.0)
            if self.validation_fraction == 0.0:
                raise ValueError("validation_fraction must be > 0 when early_stopping=True.")
        if self.optimizer_config is not None and "learning_rate" in self.optimizer_config:
            raise ValueError(
                "optimizer_config must not contain 'learning_rate' (it would be replaced by "
                "MLP's own); pass learning_rate=... to MLP, not in optimizer_config."
            )
        self._update = get_optimizer(self.optimizer)
        return sizes, acts

    def _check_targets(self, y):
        """Pick the head and return the training targets in the form its loss wants."""
        output = self.output
        if output == "auto":
            output = _auto_output(y)
        if output == "identity":
            return output, y.astype(self.dtype), (y.shape[1] if y.ndim == 2 else 1)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D for a classifier; got shape {y.shape}. "
                             f"{_RAVEL_HINT}")
        if -1.0 in y and set(np.unique(y).tolist()) <= {-1.0, 1.0}:
            raise ValueError("y must contain labels {0, 1} (or 0..k-1); found {-1, 1}. "
                             "Use (y + 1) // 2.")
        y = check_class_labels(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"y contains only one class ({self.classes_[0]}); a classifier needs at least "
                "2 classes."
            )
        if output == "sigmoid":
            if not set(self.classes_.tolist()) <= {0, 1}:
                raise ValueError(
                    f"output='sigmoid' needs labels {{0, 1}}; found {self.classes_.tolist()}. "
                    "Use output='softmax' for more than two classes."
                )
            return output, y.astype(self.dtype), 1
        return output, y, int(y.max()) + 1

    def _init_params(self, sizes, acts, rng):
        params = {}
        for l in range(1, len(sizes)):
            d_in, d_out = sizes[l - 1], sizes[l]
            act = acts[l - 1] if l - 1 < len(acts) else "identity"
            he = self.init == "he" or (self.init == "auto" and act in _HE)
            std = np.sqrt(2.0 / d_in) if he else np.sqrt(2.0 / (d_in + d_out))
            params[f"W{l}"] = (std * rng.standard_normal((d_out, d_in))).astype(self.dtype)
            params[f"b{l}"] = np.zeros(d_out, dtype=self.dtype)
        return params

    # ------------------------------------------------------- forward / backward
    @property
    def n_layers_(self) -> int:
        """L, the number of weight layers (hidden layers + 1)."""
        check_fitted(self, "params_")
        return len(self.params_) // 2

    def _forward(self, X, train=False, rng=None):
        """The logits :math:`a^{[L]}` and, per layer, the caches ``((Z_prev, W), (A, name),
        dropout mask)`` of :mod:`mlkit.layers` (the last layer has no activation). While
        training, a ReLU layer overwrites ``A`` with ``Z`` (see below)."""
        Z, caches, L = X, [], len(self.params_) // 2
        for l, (W_key, b_key) in enumerate(_keys(L), start=1):
            W, b = self.params_[W_key], self.params_[b_key]
            A = Z @ W.T  # a = W z + b, as in layers.linear_forward (without its shape checks)
            A += b
            if l == L:
                caches.append(((Z, W), None, None))
                return A, caches
            Z_prev, name = Z, self.activations_[l - 1]
            if train and name == "relu":
                # z = max(a, 0), written over a: while training nothing reads a again, and
                # relu'(a) = [a > 0] = [z > 0], so the cache may hold z in a's place
                Z = np.maximum(A, 0, out=A)
                act = (Z, name)
            else:
                Z, act = activation_forward(A, name)  # z = sigma(a)
            drop = None
            if train and self.dropout:
                Z, drop = dropout_forward(Z, self.dropout, rng)
            caches.append(((Z_prev, W), act, drop))
        raise AssertionError("unreachable")  # pragma: no cover

    def _head_loss(self, A_L, y):
        """Loss of the head and delta^[L] = dL/dA^[L], shape (n, d_L)."""
        if self.output_ == "sigmoid":
            loss, da = _bce_with_logits(A_L[:, 0], y)
            return loss, da[:, None]
        if self.output_ == "softmax":
            return _softmax_cross_entropy(A_L, y)
        target = y if y.ndim == 2 else y[:, None]
        return _mse(A_L, target)

    def _backward(self, delta, caches):
        """The delta algorithm, from delta^[L] = dL/dA^[L] down to layer 1."""
        grads, keys = {}, _keys(len(caches))
        for l in range(len(caches), 0, -1):
            (Z_prev, W), _, _ = caches[l - 1]
            W_key, b_key = keys[l - 1]
            grads[W_key] = delta.T @ Z_prev  # dL/dW^[l] = delta^[l] z^[l-1]^T
            grads[b_key] = delta.sum(axis=0)  # dL/db^[l] = delta^[l], summed over the batch
            if l > 1:  # (nobody needs dL/dX: layer 1 stops here)
                _, act, drop = caches[l - 2]
                dZ_prev = dropout_backward(delta @ W, drop)  # dL/dz^[l-1] = W^[l]^T delta^[l]
                if act[1] == "relu":  # delta^[l-1] = [a > 0] * dL/dz, in place
                    dZ_prev *= act[0] > 0
                    delta = dZ_prev
                else:
                    delta = activation_backward(dZ_prev, act)  # delta^[l-1] = sigma'(a) * dL/dz
        return grads

    def _l2_term(self, loss, grads):
        """Add the L2 penalty to the loss and its gradient l2 * W to ``grads``."""
        for l in range(1, len(self.params_) // 2 + 1):
            W = self.params_[f"W{l}"]
            loss += 0.5 * self.l2 * float(np.sum(W * W))
            grads[f"W{l}"] += self.l2 * W
        return loss

    def _loss_and_gradients(self, X, y, train=False, rng=None):
        A_L, caches = self._forward(X, train, rng)
        loss, delta = self._head_loss(A_L, y)
        grads = self._backward(delta, caches)
        if self.l2:
            loss = self._l2_term(loss, grads)
        return loss, grads, A_L

    def forward(self, X):
        """The output pre-activation :math:`a^{[L]}` (logits), shape (n, d_L), and the
        per-layer caches ``(linear_cache, activation_cache, dropout_cache)``."""
        return self._forward(self._check_X(X))

    def loss_and_gradients(self, X, y):
        """The training loss (with the L2 term) and the gradient of every parameter,
        as a dict with the keys of ``params_``; no dropout is applied. ``y`` is checked as
        ``fit`` checks it for the fitted head: shape (n,) with labels {0, 1} (sigmoid) or
        0..k-1 (softmax); (n, k) for k regression outputs, or (n,) when k = 1."""
        X = self._check_X(X)
        y = check_array(y, "y", dtype=np.float64)
        check_consistent_length(X, y)
        k = self.params_[f"b{self.n_layers_}"].shape[0]  # the number of outputs
        if self.output_ != "identity":
            if y.ndim != 1:
                raise ValueError(
                    f"y must have shape (n_samples,) for this MLP's {self.output_} head; got "
                    f"shape {y.shape}. {_RAVEL_HINT}"
                )
            y = (check_class_labels(y, n_classes=k) if self.output_ == "softmax"
                 else check_binary_labels(y))
        elif not (y.shape == (len(X), k) or (k == 1 and y.ndim == 1)):
            shapes = "(n_samples,) or (n_samples, 1)" if k == 1 else f"(n_samples, {k})"
            raise ValueError(
                f"y must have shape {shapes} for this MLP's {k} output(s); got shape "
                f"{y.shape}."
            )
        if self.output_ != "softmax":  # float32 models: keep the gradients float32
            y = y.astype(X.dtype, copy=False)
        loss, grads, _ = self._loss_and_gradients(X, y)
        return loss, grads

    # -------------------------------------------------------------------- fit
    def fit(self, X, y) -> MLP:
        """Train on ``X`` (n, d) and ``y`` (n,) (or (n, k) for regression); returns self.

        Raises FloatingPointError if training diverges (the loss or the weights become NaN
        or infinite); ``history_`` then keeps the losses recorded up to that epoch."""
        sizes, acts = self._check_hyperparameters()  # first: X is converted to self.dtype
        X = check_array(X, "X", ndim=2, dtype=self.dtype)
        y_arr = check_array(y, "y", dtype=np.float64)
        if y_arr.ndim not in (1, 2):
            raise ValueError(
                f"y must have shape (n_samples,) or (n_samples, k); got {y_arr.shape}."
            )
        check_consistent_length(X, y_arr)
        self.output_, y_arr, d_out = self._check_targets(y_arr)
        n_val = max(1, int(round(self.validation_fraction * len(X)))) if self.early_stopping else 0
        if n_val >= len(X):
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves no training samples "
                f"out of {len(X)}; use a smaller validation_fraction or more samples."
            )
        rng = as_rng(self.seed)
        self.activations_ = acts
        self.n_features_in_ = X.shape[1]
        self.params_ = self._init_params([X.shape[1], *sizes, d_out], acts, rng)
        X_val = y_val = None
        if self.early_stopping:
            order = rng.permutation(len(X))
            X_val, y_val = X[order[:n_val]], y_arr[order[:n_val]]
            X, y_arr = X[order[n_val:]], y_arr[order[n_val:]]
        self._train(X, y_arr, X_val, y_val, rng)
        return self

    def _train(self, X, y, X_val, y_val, rng):
        configs = {name: dict(self.optimizer_config or {}) for name in self.params_}
        update = self._update
        plain_sgd = update is sgd  # written inline below: w -= lr * dw
        classifier = self.output_ != "identity"
        keys = ["loss", "accuracy"] if classifier else ["loss"]
        if X_val is not None:
            keys += [f"val_{k}" for k in keys]
        self.history_ = {k: [] for k in keys}
        best, best_params, waited = np.inf, None, 0
        for epoch in range(self.epochs):
            lr = self.learning_rate
            if callable(lr):
                lr = check_positive(lr(epoch), f"learning_rate (the schedule's, at epoch {epoch})")
            lr = float(lr)  # a NumPy float64 would turn float32 updates into float64 ones
            total_loss, logits = 0.0, []
            for config in configs.values():
                config["learning_rate"] = lr
            # optim.minibatches without its checks (fit made them): the same draws of rng
            order = rng.permutation(len(X))
            for Xb, yb in _batches(X, y, order, self.batch_size):
                loss, grads, A_L = self._loss_and_gradients(Xb, yb, True, rng)
                if plain_sgd:  # optim.sgd's step, without its per-call bookkeeping
                    for name, p in self.params_.items():
                        p -= lr * grads[name]
                else:
                    for name, p in self.params_.items():  # update rules change p in place
                        self.params_[name], configs[name] = update(p, grads[name], configs[name])
                total_loss += loss * len(Xb)
                if classifier:
                    logits.append(A_L)  # for the accuracy, counted once per epoch
            self.history_["loss"].append(total_loss / len(X))
            if not np.isfinite(self.history_["loss"][-1]):
                self._diverged(epoch, f"loss {self.history_['loss'][-1]}", lr)
            if classifier:  # each batch's logits, from the weights before its step
                correct = self._n_correct(np.concatenate(logits), y[order])
                self.history_["accuracy"].append(correct / len(X))
            if X_val is not None:
                # the validation loss: forward pass and head only (no dropout, no
                # backward pass, and no L2 penalty: that belongs to the training objective)
                A_val, _ = self._forward(X_val)
                val_loss = self._head_loss(A_val, y_val)[0]
                self.history_["val_loss"].append(val_loss)
                if classifier:
                    self.history_["val_accuracy"].append(
                        self._n_correct(A_val, y_val) / len(X_val))
                if val_loss < best - 1e-8:
                    best, waited = val_loss, 0
                    best_params = {k: v.copy() for k, v in self.params_.items()}
                else:
                    waited += 1
                    if waited >= self.patience:
                        break
        if best_params is not None:
            self.params_ = best_params
        self.n_epochs_ = len(self.history_["loss"])
        if not all(np.isfinite(p).all() for p in self.params_.values()):
            # the last step can blow up the weights after the last loss was recorded
            self._diverged(self.n_epochs_ - 1, "the weights became NaN or infinite", lr)

    def _diverged(self, epoch, what, lr):
        """Raise the error for a training run that blew up (``history_`` stays as it is)."""
        self.n_epochs_ = len(self.history_["loss"])
        raise FloatingPointError(
            f"training diverged at epoch {epoch} ({what}); use a smaller learning_rate "
            f"(now {lr:g}) or standardise X (mlkit.datasets.Standardizer)."
        )

    def _n_correct(self, A_L, y) -> int:
        """How many rows of a classifier's logits ``A_L`` predict their label in ``y``."""
        pred = (A_L[:, 0] >= 0) if self.output_ == "sigmoid" else np.argmax(A_L, axis=1)
        return int(np.count_nonzero(pred == y))

    # ---------------------------------------------------------------- predict
    def _check_X(self, X):
        check_fitted(self, "params_")
        X = check_array(X, "X", ndim=2, dtype=self.params_["W1"].dtype)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but this MLP was fitted with "
                f"{self.n_features_in_}."
            )
        return X

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities: shape (n,) for P(y=1) with a sigmoid head, (n, k) with
        softmax."""
        A_L, _ = self.forward(X)
        if self.output_ == "sigmoid":
            return sigmoid(A_L[:, 0])
        if self.output_ == "softmax":
            return softmax(A_L, axis=1)
        raise ValueError("predict_proba needs a classifier; this MLP does regression "
                         "(output='identity'). Use predict.")

    def predict(self, X) -> np.ndarray:
        """Labels of shape (n,) for classifiers; values (n,) or (n, k) for regression."""
        A_L, _ = self.forward(X)
        if self.output_ == "sigmoid":
            return (A_L[:, 0] >= 0).astype(np.int64)
        if self.output_ == "softmax":
            return np.argmax(A_L, axis=1)
        return A_L[:, 0] if A_L.shape[1] == 1 else A_L

    def score(self, X, y) -> float:
        """Accuracy for classifiers; the coefficient of determination R^2 for regression."""
        y = check_array(y, "y")
        pred = self.predict(X)
        check_consistent_length(pred, y)
        if pred.ndim == 1 and y.shape == (len(pred), 1):
            y = y[:, 0]  # a column of targets, as fit accepts for one output
        if y.shape != pred.shape:
            hint = (" (y.argmax(axis=1) for one-hot labels)"
                    if self.output_ != "identity" and y.ndim == 2 else "")
            raise ValueError(
                f"y has shape {y.shape}, but this MLP predicts shape {pred.shape}; pass y "
                f"of shape {pred.shape}{hint}."
            )
        if self.output_ != "identity":
            return float(np.mean(pred == y))
        ss_res = float(np.sum((y - pred) ** 2))
        ss_tot = float(np.sum((y - y.mean(axis=0)) ** 2))
        return 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0

    def hidden_activations(self, X) -> list[np.ndarray]:
        r"""The activations :math:`z^{[l]}` of every hidden layer, each (n, d_l)."""
        _, caches = self.forward(X)
        return [activation_forward(act[0], act[1])[0] for _, act, _ in caches[:-1]]
