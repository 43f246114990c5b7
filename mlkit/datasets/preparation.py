"""Preparing data for training: a (stratified) train/test split and standardisation."""

from __future__ import annotations

import numbers

import numpy as np

from mlkit._validation import NotFittedError, as_rng, check_array, check_consistent_length


def _stratified_test_counts(counts: np.ndarray, n_test: int) -> np.ndarray:
    """Split ``n_test`` among classes in proportion to ``counts`` (largest remainders)."""
    quota = n_test * counts / counts.sum()
    take = np.floor(quota).astype(np.int64)
    leftover = n_test - take.sum()
    take[np.argsort(-(quota - take), kind="stable")[:leftover]] += 1
    return take


def train_test_split(X, y, test_size: float = 0.25, seed=0, stratify: bool = True):
    """Split arrays into random train and test parts.

    ``ceil(test_size * n)`` samples go to the test part. With ``stratify=True`` every
    label keeps (up to rounding) the same share in both parts.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Any number of dimensions (e.g. images); its dtype is kept.
    y : array-like of shape (n_samples,)
    test_size : float in (0, 1), default 0.25
    seed : int, np.random.Generator or None, default 0
    stratify : bool, default True
        Needs at least 2 samples of each label; use False for regression targets.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays
        Rows of ``X`` and ``y``; every sample lands in exactly one part.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim != 1:
        raise ValueError("X must have shape (n_samples, ...) and y shape (n_samples,); got "
                         f"X {X.shape} and y {y.shape}.")
    n = len(y)
    check_consistent_length(X, y)
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real) or not (
            0 < test_size < 1):
        raise ValueError(f"test_size must be a number in (0, 1); got {test_size!r}.")
    n_test = int(np.ceil(test_size * n))
    if n_test >= n:
        raise ValueError(f"test_size={test_size} leaves no training samples out of {n}; "
                         "use a smaller test_size or more samples.")
    rng = as_rng(seed)
    if not stratify:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        labels, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
        if counts.min() < 2:
            raise ValueError(f"stratify=True needs at least 2 samples of each label; label "
                             f"{labels[counts.argmin()].item()!r} has 1. Use stratify=False.")
        take = _stratified_test_counts(counts, n_test)
        test, train = [], []
        for c in range(len(labels)):
            members = rng.permutation(np.flatnonzero(inverse == c))
            test.append(members[: take[c]])
            train.append(members[take[c]:])
        test = rng.permutation(np.concatenate(test))
        train = rng.permutation(np.concatenate(train))
    return X[train], X[test], y[train], y[test]


class Standardizer:
    """Scale features to mean 0 and standard deviation 1, with statistics of the training set.

    Fit on the training data only, then transform both training and test data::

        scaler = Standardizer().fit(X_train)
        X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)

    Columns that are constant in the training data are only centred (divided by 1), so
    no division by zero happens.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    std_ : ndarray of shape (n_features,)
        Standard deviation of each training column (``ddof=0``).
    scale_ : ndarray of shape (n_features,)
        ``std_``, with 1.0 for constant columns; ``transform`` divides by it.
    """

    def __init__(self):
        self.mean_ = None
        self.std_ = None
        self.scale_ = None

    def fit(self, X):
        """Record the mean and standard deviation of each column of ``X`` (n, d)."""
        X = check_array(X, "X", ndim=2)
        self.mean_ = X.mean(axis=0)
        self.std_ = X.std(axis=0)
        # Rounding can leave a constant column with std ~ 1e-16 instead of 0.
        constant = self.std_ <= 10 * len(X) * np.finfo(np.float64).eps * np.abs(X).max(axis=0)
        self.scale_ = np.where(constant, 1.0, self.std_)
        return self

    def _check(self, X):
        if self.mean_ is None:
            raise NotFittedError("This Standardizer is not fitted yet. Call fit(X_train) first.")
        X = check_array(X, "X", ndim=2)
        if X.shape[1] != len(self.mean_):
            raise ValueError(f"X has {X.shape[1]} features, but this Standardizer was fitted "
                             f"with {len(self.mean_)}.")
        return X

    def transform(self, X):
        """Return ``(X - mean_) / scale_``, shape (n, d)."""
        return (self._check(X) - self.mean_) / self.scale_

    def fit_transform(self, X):
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Undo ``transform``: return ``X * scale_ + mean_``, shape (n, d)."""
        return self._check(X) * self.scale_ + self.mean_
