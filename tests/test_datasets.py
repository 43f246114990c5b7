"""Tests for mlkit.datasets: shapes, dtypes, seeding, geometry, and every error message."""

import socket
import warnings
from pathlib import Path

import numpy as np
import pytest

from mlkit import datasets
from mlkit._validation import NotFittedError
from mlkit.datasets import (
    WILL_I_PASS_FEATURES,
    Standardizer,
    load_digits,
    make_blobs,
    make_circles,
    make_linearly_separable,
    make_moons,
    make_spirals,
    train_test_split,
    will_i_pass,
    xor,
)

# (generator, kwargs, n_samples, n_features, n_classes)
GENERATORS = [
    (will_i_pass, {}, 40, 2, 2),
    (will_i_pass, {"noise": 0.2, "n_samples": 15}, 15, 2, 2),
    (xor, {"noise": 0.2, "n_per_corner": 5}, 20, 2, 2),
    (make_blobs, {}, 200, 2, 3),
    (make_blobs, {"n_samples": 50, "centers": 4, "n_features": 3}, 50, 3, 4),
    (make_moons, {}, 200, 2, 2),
    (make_circles, {"n_samples": 51}, 51, 2, 2),
    (make_spirals, {}, 300, 2, 3),
    (make_spirals, {"n_samples": 100, "n_classes": 5, "turns": 1.5}, 100, 2, 5),
    (make_linearly_separable, {}, 100, 2, 2),
    (make_linearly_separable, {"n_samples": 31, "n_features": 6}, 31, 6, 2),
]
IDS = [f"{g.__name__}-{i}" for i, (g, *_) in enumerate(GENERATORS)]


@pytest.mark.parametrize(("gen", "kwargs", "n", "d", "k"), GENERATORS, ids=IDS)
def test_shapes_dtypes_labels(gen, kwargs, n, d, k):
    X, y = gen(**kwargs)
    assert X.shape == (n, d) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(k))
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize(("gen", "kwargs", "n", "d", "k"), GENERATORS, ids=IDS)
def test_seeding(gen, kwargs, n, d, k):
    X1, y1 = gen(**kwargs, seed=3)
    X2, y2 = gen(**kwargs, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = gen(**kwargs, seed=4)
    assert not np.array_equal(X1, X3)
    X4, y4 = gen(**kwargs, seed=np.random.default_rng(3))
    assert X4.shape == (n, d) and y4.shape == (n,)
    X5, _ = gen(**kwargs, seed=None)
    assert X5.shape == (n, d)


def test_bad_seed_type():
    with pytest.raises(TypeError, match="seed must be an int, a numpy.random.Generator or None"):
        make_moons(seed="forty-two")


# ---------------------------------------------------------------- will I pass?

def _segments_cross(A, B):
    """True if a segment between two points of A properly crosses one between two of B.

    In the plane, such a crossing proves that A and B are not linearly separable.
    """
    ia, ja = np.triu_indices(len(A), 1)
    ib, jb = np.triu_indices(len(B), 1)
    p1, p2 = A[ia][:, None], A[ja][:, None]
    q1, q2 = B[ib][None], B[jb][None]

    def orient(a, b, c):
        return np.sign((b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1])
                       - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0]))

    return bool(np.any((orient(p1, p2, q1) * orient(p1, p2, q2) < 0)
                       & (orient(q1, q2, p1) * orient(q1, q2, p2) < 0)))


def test_segments_cross_helper():
    square = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    assert _segments_cross(*square)
    assert not _segments_cross(np.array([[0.0, 0.0], [1.0, 0.0]]),
                               np.array([[0.0, 1.0], [1.0, 1.0]]))


def test_will_i_pass_columns_and_ranges():
    assert WILL_I_PASS_FEATURES == ("hours on project", "lectures attended")
    X, y = will_i_pass(n_samples=200, seed=1)
    hours, lectures = X[:, 0], X[:, 1]
    assert hours.min() >= 0 and hours.max() <= 40
    np.testing.assert_allclose(hours, np.round(hours, 1))
    assert lectures.min() >= 0 and lectures.max() <= 28
    np.testing.assert_array_equal(lectures, np.round(lectures))
    np.testing.assert_array_equal(np.bincount(y), [100, 100])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("margin", [0.5, 2.0, 10.0])
def test_will_i_pass_separable_by_default(seed, margin):
    X, y, w = will_i_pass(margin=margin, seed=seed, return_w=True)
    np.testing.assert_array_equal(w, [0.7, 1.0, -28.0])
    # Distance of each sample to the rule's line, signed so that it is positive when right.
    signed = (2 * y - 1) * (X @ w[:2] + w[2]) / np.linalg.norm(w[:2])
    assert signed.min() >= margin - 1e-12
    assert not _segments_cross(X[y == 1], X[y == 0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_will_i_pass_noise_flips_labels(seed):
    X, y, w = will_i_pass(noise=0.1, seed=seed, return_w=True)
    rule = (X @ w[:2] + w[2] >= 0).astype(np.int64)
    assert np.count_nonzero(rule != y) == 4  # round(0.1 * 40)
    assert _segments_cross(X[y == 1], X[y == 0])  # proof of non-separability
    X, y, w = will_i_pass(noise=1e-3, seed=seed, return_w=True)
    assert np.count_nonzero((X @ w[:2] + w[2] >= 0) != y) == 1  # at least one flip


# ---------------------------------------------------------------- XOR

def test_xor_exact_points():
    X, y = xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_xor_noisy_clouds():
    X, y = xor(noise=0.1, n_per_corner=200, seed=0)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    for i, (corner, label) in enumerate(zip(corners, [0, 1, 1, 0], strict=True)):
        block = slice(200 * i, 200 * (i + 1))
        np.testing.assert_allclose(X[block].mean(axis=0), corner, atol=0.03)
        np.testing.assert_allclose(X[block].std(axis=0), 0.1, rtol=0.2)
        assert np.all(y[block] == label)
    X, y = xor(n_per_corner=3)
    assert X.shape == (12, 2) and np.all(np.isin(X, [0.0, 1.0]))


# ---------------------------------------------------------------- blobs, moons, circles, spirals

def test_blobs_given_centers_and_stds():
    centers = [[0.0, 0.0, 0.0], [20.0, 0.0, 0.0]]
    X, y = make_blobs(n_samples=1001, centers=centers, cluster_std=[0.5, 2.0], seed=0)
    assert X.shape == (1001, 3)  # n_features is taken from centers
    np.testing.assert_array_equal(np.bincount(y), [501, 500])
    for label, std in ((0, 0.5), (1, 2.0)):
        np.testing.assert_allclose(X[y == label].mean(axis=0), centers[label], atol=0.3)
        np.testing.assert_allclose(X[y == label].std(axis=0), std, rtol=0.15)


def test_blobs_random_centers_in_box():
    X, y = make_blobs(n_samples=300, centers=5, cluster_std=0.0, seed=2)
    centers = np.array([X[y == c][0] for c in range(5)])
    assert np.all(np.abs(centers) <= 10)
    np.testing.assert_array_equal(X, centers[y])


def test_moons_and_circles_geometry_without_noise():
    X, y = make_moons(n_samples=101, noise=0.0, seed=0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*(X[y == 1] - [1.0, 0.5]).T), 1.0)
    assert np.all(X[y == 0, 1] >= -1e-12) and np.all(X[y == 1, 1] <= 0.5 + 1e-12)
    X, y = make_circles(n_samples=101, noise=0.0, factor=0.3, seed=0)
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*X[y == 1].T), 0.3)
    np.testing.assert_array_equal(np.bincount(y), [50, 51])


def test_spirals_balanced_and_in_unit_disc():
    X, y = make_spirals(n_samples=301, n_classes=3, seed=0)
    np.testing.assert_array_equal(np.bincount(y), [101, 100, 100])
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() > 0 and r.max() <= 1 + 1e-12
    X, y = make_spirals(n_samples=400, n_classes=4, noise=0.0, turns=0.5, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    expected = 2 * np.pi * (0.5 * r + y / 4)  # angle of each noise-free sample
    np.testing.assert_allclose(X, np.column_stack([r * np.cos(expected), r * np.sin(expected)]),
                               atol=1e-12)


@pytest.mark.parametrize(("n_features", "margin"), [(1, 0.1), (2, 0.5), (10, 2.0)])
def test_linearly_separable_margin_is_exact(n_features, margin):
    X, y, w = make_linearly_separable(n_samples=60, n_features=n_features, margin=margin,
                                      seed=5, return_w=True)
    assert w.shape == (n_features + 1,)
    assert np.isclose(np.linalg.norm(w[:-1]), 1.0)
    signed = X @ w[:-1] + w[-1]
    np.testing.assert_array_equal(y, (signed > 0).astype(np.int64))
    assert np.isclose(signed[y == 1].min(), margin)
    assert np.isclose(-signed[y == 0].max(), margin)
    np.testing.assert_array_equal(np.bincount(y), [30, 30])


# ---------------------------------------------------------------- digits

def test_load_digits(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("load_digits tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16
    np.testing.assert_array_equal(X, np.round(X))
    np.testing.assert_array_equal(y[:10], np.arange(10))
    np.testing.assert_array_equal(np.bincount(y),
                                  [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    X2, y2, images = load_digits(return_images=True)
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    np.testing.assert_array_equal(images.reshape(1797, 64), X)
    np.testing.assert_array_equal(y2, y)
    assert int(X.sum()) == 561718  # checksum of the scikit-learn copy


def test_digits_file_is_small_and_documented():
    data_dir = Path(datasets.__file__).parent.parent / "data"  # mlkit/data
    assert (data_dir / "digits.npz").stat().st_size < 100_000
    readme = (data_dir / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "Alpaydin" in readme


# ---------------------------------------------------------------- train_test_split

def test_split_stratified_no_overlap_no_loss():
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = np.arange(100.0)[:, None] * [1.0, -1.0]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_te) == 25 and len(X_tr) == 75
    ids = np.concatenate([X_tr[:, 0], X_te[:, 0]])
    np.testing.assert_array_equal(np.sort(ids), np.arange(100))  # each sample exactly once
    np.testing.assert_array_equal(y_tr, y[X_tr[:, 0].astype(int)])  # rows stay paired
    np.testing.assert_array_equal(y_te, y[X_te[:, 0].astype(int)])
    np.testing.assert_array_equal(np.bincount(y_te), [15, 8, 2])  # 15, 7.5, 2.5 rounded
    np.testing.assert_array_equal(np.bincount(y_tr), [45, 22, 8])


def test_split_is_seeded_and_keeps_dtype_and_shape():
    _, _, images = load_digits(return_images=True)
    images, y = images.astype(np.uint8), np.arange(1797) % 10
    a = train_test_split(images, y, test_size=0.2, seed=1)
    b = train_test_split(images, y, test_size=0.2, seed=1)
    c = train_test_split(images, y, test_size=0.2, seed=2)
    assert a[1].shape == (360, 8, 8) and a[1].dtype == np.uint8
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[3], c[3])


def test_split_unstratified_allows_singletons_and_regression_targets():
    y = np.linspace(0.0, 1.0, 10)
    X_tr, X_te, y_tr, y_te = train_test_split(y[:, None], y, test_size=0.3, stratify=False,
                                              seed=np.random.default_rng(0))
    assert len(y_te) == 3 and len(y_tr) == 7
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_te])), y)


@pytest.mark.parametrize("test_size", [0, 1, 1.5, -0.1, True, "0.2"])
def test_split_rejects_bad_test_size(test_size):
    with pytest.raises(ValueError, match=r"test_size must be a number in \(0, 1\); got"):
        train_test_split(np.zeros((10, 2)), np.arange(10) % 2, test_size=test_size)


def test_split_errors():
    with pytest.raises(ValueError, match="inconsistent numbers of samples: X has 5, y has 4"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match=r"y shape \(n_samples,\); got X \(4, 2\) and y \(4, 1\)"):
        train_test_split(np.zeros((4, 2)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, ...\)"):
        train_test_split(np.float64(1.0), np.zeros(1))
    with pytest.raises(ValueError, match="label 2 has 1. Use stratify=False"):
        train_test_split(np.zeros((5, 1)), [0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match="leaves no training samples out of 3"):
        train_test_split(np.zeros((3, 1)), [0, 1, 0], test_size=0.9, stratify=False)


# ---------------------------------------------------------------- Standardizer

def test_standardizer_uses_training_statistics():
    rng = np.random.default_rng(0)
    X_train = rng.normal([5.0, -3.0], [2.0, 0.5], size=(500, 2))
    X_test = rng.normal([5.0, -3.0], [2.0, 0.5], size=(100, 2))
    scaler = Standardizer().fit(X_train)
    Z = scaler.transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0)
    np.testing.assert_allclose(scaler.transform(X_test), (X_test - X_train.mean(0))
                               / X_train.std(0))
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X_test)), X_test)
    np.testing.assert_allclose(Standardizer().fit_transform(X_train), Z)


@pytest.mark.parametrize("value", [0.0, 0.1, -7.3, 1e8])
def test_standardizer_constant_column_is_only_centred(value):
    X = np.column_stack([np.full(37, value), np.arange(37.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer().fit(X)
        Z = scaler.transform(X)
        Z_new = scaler.transform(np.array([[value + 1.0, 3.0]]))
    assert scaler.scale_[0] == 1.0
    np.testing.assert_allclose(Z[:, 0], 0.0, atol=1e-7)
    np.testing.assert_allclose(Z_new[0, 0], 1.0)
    np.testing.assert_allclose(Z[:, 1].std(), 1.0)


def test_standardizer_errors():
    with pytest.raises(NotFittedError, match=r"Standardizer is not fitted yet. Call fit"):
        Standardizer().transform(np.zeros((2, 2)))
    scaler = Standardizer().fit(np.arange(6.0).reshape(3, 2))
    with pytest.raises(ValueError, match="X has 3 features, but this Standardizer was fitted "
                                         "with 2"):
        scaler.transform(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"X must be a 2-D array"):
        Standardizer().fit(np.arange(3.0))


# ---------------------------------------------------------------- argument validation

BAD_ARGUMENTS = [
    (will_i_pass, {"n_samples": 1}, r"n_samples must be an int >= 2; got 1\."),
    (will_i_pass, {"n_samples": 10.0}, r"n_samples must be an int >= 2; got 10\.0\."),
    (will_i_pass, {"n_samples": True}, r"n_samples must be an int >= 2; got True\."),
    (will_i_pass, {"noise": 0.6}, r"noise must be in \[0.0, 0.5\]; got 0.6\."),
    (will_i_pass, {"margin": 0}, r"margin must be > 0; got 0\."),
    (will_i_pass, {"margin": 11}, r"margin must be in \[0.0, 10.0\]; got 11\."),
    (xor, {"noise": -0.1}, r"noise must be >= 0; got -0.1\."),
    (xor, {"n_per_corner": 0}, r"n_per_corner must be an int >= 1; got 0\."),
    (make_blobs, {"n_samples": 0}, r"n_samples must be an int >= 1; got 0\."),
    (make_blobs, {"n_features": 0}, r"n_features must be an int >= 1; got 0\."),
    (make_blobs, {"centers": 0}, r"centers must be an int >= 1; got 0\."),
    (make_blobs, {"centers": [1.0, 2.0]}, r"centers must be a 2-D array"),
    (make_blobs, {"cluster_std": -1.0}, r"cluster_std must be a number >= 0 or 3 numbers"),
    (make_blobs, {"cluster_std": [1.0, 2.0]}, r"one per centre\); got \[1.0, 2.0\]"),
    (make_moons, {"noise": -1}, r"noise must be >= 0; got -1\."),
    (make_moons, {"n_samples": 1}, r"n_samples must be an int >= 2; got 1\."),
    (make_circles, {"factor": 1.0}, r"factor must be in \[0.0, 1.0\); got 1.0\."),
    (make_circles, {"noise": float("nan")}, r"noise must be >= 0; got nan\."),
    (make_spirals, {"n_classes": 1}, r"n_classes must be an int >= 2; got 1\."),
    (make_spirals, {"n_samples": 2}, r"n_samples must be an int >= 3; got 2\."),
    (make_spirals, {"turns": 0}, r"turns must be > 0; got 0\."),
    (make_spirals, {"noise": "a lot"}, r"noise must be a number; got 'a lot'\."),
    (make_linearly_separable, {"margin": -0.5}, r"margin must be > 0; got -0.5\."),
    (make_linearly_separable, {"n_features": 0}, r"n_features must be an int >= 1; got 0\."),
]


@pytest.mark.parametrize(("gen", "kwargs", "message"), BAD_ARGUMENTS,
                         ids=[f"{g.__name__}-{next(iter(k))}" for g, k, _ in BAD_ARGUMENTS])
def test_bad_arguments(gen, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gen(**kwargs)


def test_all_is_complete():
    """Every public name the three modules define is exported from mlkit.datasets."""
    modules = (datasets.toy, datasets.digits, datasets.preparation)
    public = {name for module in modules for name in vars(module) if not name.startswith("_")}
    imported = {"annotations", "numbers", "np", "Path", "NotFittedError", "as_rng",
                "check_array", "check_consistent_length", "check_in_range", "check_positive"}
    assert set(datasets.__all__) == public - imported
    for name in datasets.__all__:
        owner = next(m for m in modules if name in vars(m))
        assert getattr(datasets, name) is getattr(owner, name), name
