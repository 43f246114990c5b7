"""Generated data sets: the "will I pass?" toy problem, XOR and the 2-D benchmarks.

Every generator takes a ``seed`` (an int, a ``np.random.Generator`` or None) and returns
``X`` of shape ``(n_samples, n_features)`` (float64) and ``y`` of shape ``(n_samples,)``
(int64 labels in ``[0, k)``).
"""

from __future__ import annotations

import numbers

import numpy as np

from mlkit._validation import as_rng, check_array, check_in_range, check_positive

WILL_I_PASS_FEATURES = ("hours on project", "lectures attended")
_WILL_I_PASS_W = np.array([0.7, 1.0, -28.0])  # pass iff 0.7 * hours + lectures - 28 >= 0


def _check_count(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value!r}.")
    return int(value)


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray):
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def _flip_labels(rng: np.random.Generator, y: np.ndarray, noise: float) -> np.ndarray:
    """Flip max(1, round(noise * n)) binary labels (none when noise == 0)."""
    n_flip = max(1, round(noise * len(y))) if noise > 0 else 0
    idx = rng.choice(len(y), size=n_flip, replace=False)
    y = y.copy()
    y[idx] = 1 - y[idx]
    return y


def will_i_pass(n_samples: int = 40, noise: float = 0.0, margin: float = 2.0, seed=0,
                return_w: bool = False):
    """The Cornell deck's toy problem "Will I pass this class?".

    A student passes when ``0.7 * hours + lectures - 28 >= 0``: the rule
    ``w = (0.7, 1.0)``, ``b = -28`` of the perceptron ``y = 1 if w^T x + b >= 0``.
    Samples closer than ``margin`` to that line are rejected, so with ``noise=0`` the
    data are linearly separable; ``noise > 0`` flips labels to make them non-separable.

    Parameters
    ----------
    n_samples : int, default 40
        Number of students (at least 2); ``n_samples // 2`` fail, the rest pass.
    noise : float in [0, 0.5], default 0.0
        Fraction of labels flipped: ``max(1, round(noise * n_samples))`` labels when
        ``noise > 0``.
    margin : float in (0, 10], default 2.0
        Smallest distance (in the feature plane) from a sample to the rule's line.
    seed : int, np.random.Generator or None, default 0
    return_w : bool, default False
        Also return the rule as ``w = [0.7, 1.0, -28.0]`` (bias last, as ``Perceptron.w_``).

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        Column 0: hours spent on the project (0 to 40, one decimal).
        Column 1: lectures attended (integer, 0 to 28). Names in ``WILL_I_PASS_FEATURES``.
    y : ndarray of shape (n_samples,)
        1 = pass, 0 = fail (int64).
    w : ndarray of shape (3,)
        Only if ``return_w``.
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    check_in_range(noise, "noise", 0.0, 0.5, high_inclusive=True)
    check_positive(margin, "margin")
    check_in_range(margin, "margin", 0.0, 10.0, high_inclusive=True)
    rng = as_rng(seed)
    need = {0: n_samples // 2, 1: n_samples - n_samples // 2}
    X_parts, y_parts = [], []
    w, b = _WILL_I_PASS_W[:2], _WILL_I_PASS_W[2]
    while need[0] or need[1]:
        hours = np.round(rng.uniform(0.0, 40.0, size=64), 1)
        lectures = rng.integers(0, 29, size=64).astype(np.float64)
        cand = np.column_stack([hours, lectures])
        dist = (cand @ w + b) / np.linalg.norm(w)
        for label, keep in ((0, dist <= -margin), (1, dist >= margin)):
            chosen = cand[keep][: need[label]]
            need[label] -= len(chosen)
            X_parts.append(chosen)
            y_parts.append(np.full(len(chosen), label))
    X, y = _shuffled(rng, np.concatenate(X_parts), np.concatenate(y_parts))
    y = _flip_labels(rng, y, noise)
    return (X, y, _WILL_I_PASS_W.copy()) if return_w else (X, y)


def xor(noise: float = 0.0, n_per_corner: int = 1, seed=0):
    """The XOR problem: label 1 when exactly one coordinate is 1.

    With the defaults: the 4 points (0,0), (0,1), (1,0), (1,1) with labels 0, 1, 1, 0.
    With ``n_per_corner > 1`` and ``noise > 0``: Gaussian clouds (standard deviation
    ``noise``) around the corners. Samples stay grouped by corner, in the order above.

    Returns
    -------
    X : ndarray of shape (4 * n_per_corner, 2)
    y : ndarray of shape (4 * n_per_corner,)
    """
    check_positive(noise, "noise", allow_zero=True)
    n_per_corner = _check_count(n_per_corner, "n_per_corner", 1)
    rng = as_rng(seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = np.repeat(corners, n_per_corner, axis=0)
    y = np.repeat(np.array([0, 1, 1, 0], dtype=np.int64), n_per_corner)
    if noise > 0:
        X = X + noise * rng.standard_normal(X.shape)
    return X, y


def make_blobs(n_samples: int = 200, centers=3, n_features: int = 2, cluster_std=1.0,
               seed=0):
    """Isotropic Gaussian clusters, one class per centre, shuffled.

    Parameters
    ----------
    n_samples : int, default 200
        Split as evenly as possible among the centres.
    centers : int or array-like of shape (k, d), default 3
        Number of centres (drawn uniformly in the box [-10, 10]^n_features), or the
        centres themselves (then ``n_features`` is ignored and ``d`` is used).
    n_features : int, default 2
    cluster_std : float or array-like of shape (k,), default 1.0
        Standard deviation of each cluster.
    seed : int, np.random.Generator or None, default 0

    Returns
    -------
    X : ndarray of shape (n_samples, d)
    y : ndarray of shape (n_samples,)
        Index of each sample's centre, in [0, k).
    """
    n_samples = _check_count(n_samples, "n_samples", 1)
    n_features = _check_count(n_features, "n_features", 1)
    rng = as_rng(seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = _check_count(centers, "centers", 1)
        centers = rng.uniform(-10.0, 10.0, size=(k, n_features))
    else:
        centers = check_array(centers, "centers", ndim=2)
    k = len(centers)
    std = check_array(cluster_std, "cluster_std")
    if std.ndim == 0:
        std = np.full(k, float(std))
    if std.shape != (k,) or np.any(std < 0):
        raise ValueError(f"cluster_std must be a number >= 0 or {k} numbers >= 0 (one per "
                         f"centre); got {np.asarray(cluster_std).tolist()!r}.")
    y = rng.permutation(np.arange(n_samples) % k).astype(np.int64)
    X = centers[y] + std[y, None] * rng.standard_normal((n_samples, centers.shape[1]))
    return X, y


def make_moons(n_samples: int = 200, noise: float = 0.1, seed=0):
    """Two interleaving half circles (class 0 upper, class 1 lower), shuffled.

    ``noise`` is the standard deviation of the Gaussian noise added to every coordinate.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    check_positive(noise, "noise", allow_zero=True)
    rng = as_rng(seed)
    n_out = n_samples // 2
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_samples - n_out)
    X = np.concatenate([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                        np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)])])
    y = np.repeat([0, 1], [n_out, n_samples - n_out])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def make_circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, seed=0):
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1).

    ``factor`` must be in [0, 1); ``noise`` is the standard deviation of the Gaussian
    noise added to every coordinate. Samples are shuffled.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    check_positive(noise, "noise", allow_zero=True)
    check_in_range(factor, "factor", 0.0, 1.0)
    rng = as_rng(seed)
    n_out = n_samples // 2
    t_out = np.linspace(0.0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2 * np.pi, n_samples - n_out, endpoint=False)
    X = np.concatenate([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                        factor * np.column_stack([np.cos(t_in), np.sin(t_in)])])
    y = np.repeat([0, 1], [n_out, n_samples - n_out])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def make_spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2,
                 turns: float = 1.0, seed=0):
    """Interleaved spiral arms, one class per arm (the CS231n spiral data), shuffled.

    Arm ``j`` has radii ``r = 1/m, 2/m, ..., 1`` and angles
    ``2 pi turns r + 2 pi j / n_classes + noise * N(0, 1)`` (noise in radians, as in
    CS231n). Radii start above 0 so that no two classes share the point (0, 0).

    Parameters
    ----------
    n_samples : int, default 300
        At least ``n_classes``; the class sizes differ by at most one.
    n_classes : int, default 3
    noise : float, default 0.2
    turns : float, default 1.0
        Number of turns each arm makes from the centre to radius 1.
    seed : int, np.random.Generator or None, default 0

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    """
    n_classes = _check_count(n_classes, "n_classes", 2)
    n_samples = _check_count(n_samples, "n_samples", n_classes)
    check_positive(noise, "noise", allow_zero=True)
    check_positive(turns, "turns")
    rng = as_rng(seed)
    sizes = np.full(n_classes, n_samples // n_classes)
    sizes[: n_samples % n_classes] += 1
    y = np.repeat(np.arange(n_classes), sizes)
    r = np.concatenate([np.arange(1, m + 1) / m for m in sizes])
    t = 2 * np.pi * (turns * r + y / n_classes) + noise * rng.standard_normal(n_samples)
    X = np.column_stack([r * np.cos(t), r * np.sin(t)])
    return _shuffled(rng, X, y)


def make_linearly_separable(n_samples: int = 100, n_features: int = 2, margin: float = 0.5,
                            seed=0, return_w: bool = False):
    """Two classes separated by a random hyperplane with exactly the given margin.

    A unit normal ``w`` (``||w|| = 1``) and an offset ``b`` in [-1, 1] are drawn; each
    sample's signed distance ``w^T x + b`` lies in ``[margin, margin + 3]`` for class 1 and
    in ``[-margin - 3, -margin]`` for class 0, and the smallest distance on each side is
    exactly ``margin``. The other directions are standard normal. Samples are shuffled.

    Parameters
    ----------
    n_samples : int, default 100
        At least 2; ``n_samples // 2`` samples in class 0, the rest in class 1.
    n_features : int, default 2
    margin : float > 0, default 0.5
    seed : int, np.random.Generator or None, default 0
    return_w : bool, default False
        Also return ``w_true = [w, b]`` of shape (n_features + 1,), bias last, so that
        ``X @ w_true[:-1] + w_true[-1]`` is each sample's signed distance.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        1 where ``w^T x + b > 0``, else 0.
    w_true : ndarray of shape (n_features + 1,)
        Only if ``return_w``.
    """
    n_samples = _check_count(n_samples, "n_samples", 2)
    n_features = _check_count(n_features, "n_features", 1)
    check_positive(margin, "margin")
    rng = as_rng(seed)
    w = rng.standard_normal(n_features)
    w /= np.linalg.norm(w)
    b = rng.uniform(-1.0, 1.0)
    y = np.repeat([0, 1], [n_samples // 2, n_samples - n_samples // 2])
    dist = np.empty(n_samples)
    for label, sign in ((0, -1.0), (1, 1.0)):
        extra = rng.uniform(0.0, 3.0, size=np.count_nonzero(y == label))
        dist[y == label] = sign * (margin + extra - extra.min())
    Z = rng.standard_normal((n_samples, n_features))
    X = Z - np.outer(Z @ w, w) + np.outer(dist - b, w)  # so that X @ w + b == dist
    X, y = _shuffled(rng, X, y)
    return (X, y, np.append(w, b)) if return_w else (X, y)
