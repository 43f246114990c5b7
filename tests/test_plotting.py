"""Tests for mlkit.plotting (Agg backend; every figure closed after each test)."""

import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.image import AxesImage
from matplotlib.text import Annotation

from mlkit import plotting
from mlkit.activations import get_activation
from mlkit.plotting import (
    CLASS_COLORS,
    plot_activations,
    plot_decision_boundary,
    plot_digits,
    plot_gd_path,
    plot_gd_path_1d,
    plot_hidden_representation,
    plot_history,
    plot_linear_boundary,
)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("plotting functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- helpers
def blobs(k=3, n=20, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [3.0, 3.0], [0.0, 4.0]])[:k]
    X = np.vstack([c + 0.5 * rng.normal(size=(n, 2)) for c in centres])
    return X, np.repeat(np.arange(k), n), centres


def nearest_centre(centres):
    return lambda G: np.argmin(((G[:, None, :] - centres) ** 2).sum(axis=-1), axis=1)


def scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def contours(ax, filled=None):
    sets = [c for c in ax.collections if isinstance(c, ContourSet)]
    return [c for c in sets if filled is None or c.filled == filled]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def labelled_lines(ax):
    return [line for line in ax.lines if not line.get_label().startswith("_")]


def path_lines(ax):
    return [line for line in ax.lines if line.get_gid() == "mlkit-gd-path"]


def bowl(w1, w2):
    return w1**2 + 10 * w2**2


GD_PATH = np.array([[-4.0, 1.5], [-3.0, -1.0], [-2.0, 0.6], [-1.0, -0.3], [0.0, 0.0]])


# ----------------------------------------------------------------------------- module
def test_import_does_not_import_matplotlib():
    code = "import sys, mlkit.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_all_names_exist_and_palette_is_hex():
    for name in plotting.__all__:
        assert hasattr(plotting, name), name
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS) == len(plotting.CLASS_MARKERS)
    assert all(matplotlib.colors.is_color_like(c) for c in CLASS_COLORS)


@pytest.mark.parametrize("draw", [
    lambda: plot_decision_boundary(nearest_centre(blobs()[2]), *blobs()[:2]),
    lambda: plot_linear_boundary([1.0, 1.0, -3.0], *blobs(k=2)[:2]),
    lambda: plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.9]})[0],
    lambda: plot_gd_path(bowl, GD_PATH, label="GD"),
    lambda: plot_gd_path_1d(np.square, np.array([3.0, 1.0, 0.2])),
    lambda: plot_activations(),
    lambda: plot_hidden_representation(np.eye(3)[[0, 1, 2, 0]], [0, 1, 1, 0]),
    lambda: plot_digits(np.arange(128.0).reshape(2, 64), labels=[3, 5]),
])
def test_every_plot_has_title_and_labels_and_draws_without_warnings(draw):
    ax = draw()
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel() or isinstance(ax.get_images()[0], AxesImage)
    ax.figure.canvas.draw()  # renders text, legends and layout: warnings would fail here


def test_same_input_gives_identical_pixels():
    X, y, centres = blobs()
    images = []
    for _ in range(2):
        ax = plot_decision_boundary(nearest_centre(centres), X, y, resolution=50)
        ax.figure.canvas.draw()
        images.append(np.asarray(ax.figure.canvas.buffer_rgba()).copy())
    np.testing.assert_array_equal(images[0], images[1])


# ----------------------------------------------------------------------------- decision boundary
def test_decision_boundary_binary_regions_scatter_and_limits():
    X, y, _ = blobs(k=2)
    ax = plot_decision_boundary(lambda G: (G.sum(axis=1) > 3).astype(int), X, y, padding=1.0)
    assert ax.get_title() == "Decision regions"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    points = scatters(ax)
    assert [len(s.get_offsets()) for s in points] == [20, 20]
    np.testing.assert_allclose(points[1].get_offsets(), X[y == 1])
    assert len(contours(ax, filled=True)) == 1
    assert list(contours(ax, filled=False)[0].levels) == [0.5]
    assert legend_texts(ax) == ["y = 0", "y = 1"]
    np.testing.assert_allclose(ax.get_xlim(), [X[:, 0].min() - 1, X[:, 0].max() + 1])
    np.testing.assert_allclose(ax.get_ylim(), [X[:, 1].min() - 1, X[:, 1].max() + 1])


def test_decision_boundary_three_classes():
    X, y, centres = blobs(k=3)
    _, ax = plt.subplots()
    out = plot_decision_boundary(nearest_centre(centres), X, y, ax=ax, resolution=60,
                                 title="Nearest centre", xlabel="a", ylabel="b")
    assert out is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Nearest centre", "a", "b")
    assert len(scatters(ax)) == 3
    regions = contours(ax, filled=True)[0]
    np.testing.assert_array_equal(regions.levels, [-0.5, 0.5, 1.5, 2.5])
    lines = contours(ax, filled=False)[0]
    np.testing.assert_array_equal(lines.levels, [0.5, 1.5])
    assert legend_texts(ax) == ["y = 0", "y = 1", "y = 2"]
    # each class keeps its palette colour
    for k, s in enumerate(scatters(ax)):
        np.testing.assert_allclose(s.get_facecolor()[0], matplotlib.colors.to_rgba(
            CLASS_COLORS[k]))


def test_decision_boundary_colours_predicted_classes_missing_from_y():
    X, y, centres = blobs(k=3)
    ax = plot_decision_boundary(nearest_centre(centres), X[y < 2], y[y < 2], resolution=40)
    assert len(contours(ax, filled=True)[0].levels) == 4  # 3 classes in the regions
    assert len(scatters(ax)) == 2


def test_decision_boundary_constant_prediction_draws_no_boundary_line():
    X, y, _ = blobs(k=2)
    ax = plot_decision_boundary(lambda G: np.zeros(len(G), dtype=int), X, y, resolution=20)
    assert len(contours(ax, filled=True)) == 1
    assert contours(ax, filled=False) == []


def test_decision_boundary_string_labels_and_column_output():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    y = np.array(["cat", "dog", "dog"])
    ax = plot_decision_boundary(
        lambda G: np.where(G[:, :1] > 0.5, "dog", "cat"), X, y, resolution=10)
    assert legend_texts(ax) == ["y = cat", "y = dog"]


def test_decision_boundary_proba_mode():
    X, y, _ = blobs(k=2)
    ax = plot_decision_boundary(lambda G: 1 / (1 + np.exp(-(G.sum(axis=1) - 3))), X, y,
                                proba=True, resolution=50)
    assert "p(y = 1" in ax.get_title()
    filled = contours(ax, filled=True)[0]
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    assert list(contours(ax, filled=False)[0].levels) == [0.5]
    assert len(ax.figure.axes) == 2  # the colour bar
    assert "p(y = 1" in ax.figure.axes[1].get_ylabel()
    assert len(scatters(ax)) == 2


def test_decision_boundary_proba_accepts_two_columns_and_skips_absent_half_level():
    X, y, _ = blobs(k=2)
    ax = plot_decision_boundary(lambda G: np.tile([0.8, 0.2], (len(G), 1)), X, y,
                                proba=True, resolution=20)
    assert len(contours(ax, filled=True)) == 1
    assert contours(ax, filled=False) == []  # p = 0.2 everywhere: no 0.5 level


@pytest.mark.parametrize("predict, proba, match", [
    (lambda G: G.sum(axis=1), True, r"probabilities in \[0, 1\] .*found values in"),
    (lambda G: np.full((len(G), 3), 1 / 3), True, r"one value per row.*proba=False"),
    (lambda G: np.zeros(len(G) + 1), False, r"one value per row of its input; got shape"),
])
def test_decision_boundary_rejects_bad_predict_output(predict, proba, match):
    X, y, _ = blobs(k=2)
    with pytest.raises(ValueError, match=match):
        plot_decision_boundary(predict, X, y, proba=proba, resolution=5)


@pytest.mark.parametrize("kwargs, match", [
    ({"X": np.zeros((4, 3))}, r"exactly 2 features.*X\[:, \[0, 1\]\]"),
    ({"y": np.zeros(3)}, "inconsistent numbers of samples: X has 4, y has 3"),
    ({"resolution": 1}, "resolution must be >= 2"),
    ({"resolution": 2.5}, "resolution must be an int"),
    ({"padding": -1.0}, "padding must be >= 0"),
])
def test_decision_boundary_validates_inputs(kwargs, match):
    args = {"X": np.arange(8.0).reshape(4, 2), "y": np.array([0, 1, 0, 1])} | kwargs
    with pytest.raises(ValueError, match=match):
        plot_decision_boundary(lambda G: np.zeros(len(G)), **args)


def test_decision_boundary_widens_a_zero_width_range():
    X = np.array([[1.0, 2.0], [1.0, 2.0]])
    ax = plot_decision_boundary(lambda G: np.zeros(len(G)), X, [0, 0], padding=0.0,
                                resolution=5)
    assert ax.get_xlim() == (0.0, 2.0)


# ----------------------------------------------------------------------------- linear boundary
def test_linear_boundary_line_normal_and_half_planes():
    X, y, _ = blobs(k=2)
    w = np.array([1.0, 1.0, -3.0])
    ax = plot_linear_boundary(w, X, 2 * y - 1)
    assert ax.get_title() == "Linear decision boundary"
    line = labelled_lines(ax)[0]
    assert line.get_label() == "$x_1 + x_2 - 3 = 0$"
    x1, x2 = line.get_data()
    np.testing.assert_allclose(w[0] * x1 + w[1] * x2 + w[2], 0.0, atol=1e-12)
    shading = contours(ax, filled=True)[0]
    assert len(shading.levels) == 3 and shading.levels[1] == 0
    arrow = next(t for t in ax.texts if isinstance(t, Annotation))
    tail, tip = np.array(arrow.xyann), np.array(arrow.xy)
    assert w[:2] @ tail + w[2] == pytest.approx(0.0, abs=1e-12)  # starts on the line
    assert w[:2] @ tip + w[2] > 0  # points into the positive half-plane
    assert any(t.get_text() == r"$\mathbf{w}$" for t in ax.texts)
    assert legend_texts(ax) == ["$x_1 + x_2 - 3 = 0$", "y = -1", "y = 1"]
    # the positive class gets the colour of the positive half-plane (orange)
    np.testing.assert_allclose(scatters(ax)[1].get_facecolor()[0],
                               matplotlib.colors.to_rgba(CLASS_COLORS[1]))


def test_linear_boundary_vertical_line_when_w2_is_zero():
    X, y, _ = blobs(k=2)
    ax = plot_linear_boundary([2.0, 0.0, -3.0], X, y, show_normal=False)
    x1, x2 = labelled_lines(ax)[0].get_data()
    np.testing.assert_allclose(x1, [1.5, 1.5])
    np.testing.assert_allclose(x2, ax.get_ylim())
    assert labelled_lines(ax)[0].get_label() == "$2x_1 - 3 = 0$"
    assert len(ax.texts) == 0


def test_linear_boundary_equation_leaves_out_zero_terms_and_unit_coefficients():
    X, y, _ = blobs(k=2)
    ax = plot_linear_boundary([-1.0, 0.5, 0.0], X, y, title="t")
    assert labelled_lines(ax)[0].get_label() == "$-x_1 + 0.5x_2 = 0$"
    assert ax.get_title() == "t"


@pytest.mark.parametrize("w, y, match", [
    ([0.0, 0.0, 0.0], [0, 1, 0, 1], r"w1 or w2 nonzero.*Train the model first"),
    ([0.0, 0.0, 2.0], [0, 1, 0, 1], r"got w = \[0.0, 0.0, 2.0\]"),
    ([1.0, 2.0], [0, 1, 0, 1], r"w must have shape \(3,\).*got shape \(2,\)"),
    ([1.0, 2.0, 0.0], [0, 1, 2, 1], r"binary labels \{0, 1\} or \{-1, 1\}; found \[0, 1, 2\]"),
])
def test_linear_boundary_errors(w, y, match):
    with pytest.raises(ValueError, match=match):
        plot_linear_boundary(w, np.arange(8.0).reshape(4, 2), y)


# ----------------------------------------------------------------------------- history
HISTORY = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7],
           "accuracy": [0.5, 0.7, 0.9], "val_accuracy": [0.4, 0.6, 0.8]}


def test_history_losses_and_accuracies_on_two_axes():
    axes = plot_history(HISTORY)
    assert isinstance(axes, np.ndarray) and axes.shape == (2,)
    loss_ax, acc_ax = axes
    assert loss_ax.get_title() == "Loss per epoch" and loss_ax.get_ylabel() == "loss"
    assert acc_ax.get_title() == "Accuracy per epoch" and acc_ax.get_ylabel() == "accuracy"
    assert loss_ax.get_xlabel() == acc_ax.get_xlabel() == "epoch"
    assert [line.get_label() for line in loss_ax.lines] == ["loss", "val_loss"]
    assert [line.get_linestyle() for line in acc_ax.lines] == ["-", "--"]
    np.testing.assert_array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(acc_ax.lines[1].get_ydata(), HISTORY["val_accuracy"])
    assert loss_ax.get_yscale() == "linear"


def test_history_single_loss_returns_one_axes_with_log_scale():
    ax = plot_history({"loss": [1.0, 0.1, 0.01], "n_iter": 3}, log_loss=True,
                      xlabel="iteration")
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Loss per iteration"
    assert len(ax.lines) == 1


def test_history_keys_and_given_axes():
    _, axes = plt.subplots(1, 2)
    out = plot_history(HISTORY, ax=axes, keys=["loss", "val_accuracy"])
    assert list(out) == list(axes)
    assert len(axes[0].lines) == len(axes[1].lines) == 1
    ax = plot_history(HISTORY, keys="val_loss")
    assert [line.get_label() for line in ax.lines] == ["val_loss"]


def test_history_other_keys_are_called_values():
    ax = plot_history({"loss": [1.0, 0.5], "lr": [0.1, 0.05]})
    assert ax.get_ylabel() == "value"


@pytest.mark.parametrize("history, kwargs, error, match", [
    ([1.0, 0.5], {}, TypeError, "history must be a dict of lists.*got list"),
    (HISTORY, {"keys": ["loss", "f1"]}, ValueError, r"missing \['f1'\], available"),
    ({}, {}, ValueError, "keys must name lists in history"),
    ({"loss": [[1.0, 2.0]]}, {"keys": "loss"}, ValueError, r"history\['loss'\] must be a"),
    ({"loss": [1.0, 0.0]}, {"log_loss": True}, ValueError, "log_loss=True needs positive"),
    (HISTORY, {"ax": "single"}, ValueError, r"ax must hold 2 Axes.*got 1"),
])
def test_history_errors(history, kwargs, error, match):
    if kwargs.get("ax") == "single":
        kwargs["ax"] = plt.subplots()[1]
    with pytest.raises(error, match=match):
        plot_history(history, **kwargs)


# ----------------------------------------------------------------------------- GD paths
def test_gd_path_contours_path_and_markers():
    ax = plot_gd_path(bowl, GD_PATH, label="GD", levels=12)
    assert ax.get_title() == "Gradient descent on the contours of $f$"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$w_1$", "$w_2$")
    assert len(contours(ax, filled=False)) == 1
    (line,) = path_lines(ax)
    np.testing.assert_array_equal(np.column_stack(line.get_data()), GD_PATH)
    assert legend_texts(ax) == ["GD", "start", "end"]
    start = next(line for line in ax.lines if line.get_label() == "start")
    end = next(line for line in ax.lines if line.get_label() == "end")
    np.testing.assert_array_equal(np.ravel(start.get_data()), GD_PATH[0])
    np.testing.assert_array_equal(np.ravel(end.get_data()), GD_PATH[-1])
    assert sum(isinstance(t, Annotation) for t in ax.texts) == len(GD_PATH) - 1
    xlo, xhi = ax.get_xlim()
    assert xlo < GD_PATH[:, 0].min() and xhi > GD_PATH[:, 0].max()


def test_gd_path_several_paths_on_one_axes():
    _, ax = plt.subplots()
    plot_gd_path(bowl, GD_PATH, ax=ax, label="GD", xlim=(-5, 1), ylim=(-2, 2), title="Bowl")
    second = GD_PATH * 0.5
    plot_gd_path(bowl, second, ax=ax, label="momentum", draw_contours=False)
    assert len(contours(ax)) == 1
    first_line, second_line = path_lines(ax)
    assert len(second_line.get_xdata()) == len(second)
    assert first_line.get_color() != second_line.get_color()
    assert second_line.get_color() == CLASS_COLORS[1]
    assert legend_texts(ax) == ["GD", "start", "end", "momentum"]
    assert ax.get_title() == "Bowl"  # kept from the first call
    assert ax.get_xlim() == (-5, 1) and ax.get_ylim() == (-2, 2)


def test_gd_path_long_path_gets_few_arrows_and_single_point_works():
    t = np.linspace(0, 1, 200)
    ax = plot_gd_path(bowl, np.column_stack([1 - t, 0.5 * (1 - t)]), color="k")
    assert sum(isinstance(a, Annotation) for a in ax.texts) == 10
    assert path_lines(ax)[0].get_color() == "k"
    ax = plot_gd_path(bowl, [[1.0, 1.0], [1.0, 1.0]])  # zero step: no arrow, limits +-1
    assert len(ax.texts) == 0
    assert ax.get_xlim() == (0.0, 2.0)


@pytest.mark.parametrize("f, path, kwargs, match", [
    (bowl, [[0.0, 1.0], [np.inf, 0.0]], {}, "diverged. Use a smaller learning rate"),
    (bowl, np.zeros((3, 3)), {}, r"path must have shape \(steps, 2\); got shape \(3, 3\)"),
    (bowl, [["a", "b"]], {}, "path must be an array of numbers"),
    (lambda a, b: 1.0, GD_PATH, {}, r"f must return an array of shape \(200, 200\)"),
    (bowl, GD_PATH, {"xlim": (1, -1)}, r"xlim must be \(low, high\) with low < high"),
])
def test_gd_path_errors(f, path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_gd_path(f, path, **kwargs)


def test_gd_path_1d_curve_and_steps():
    path = np.array([3.0, 1.2, 0.48, 0.19])
    ax = plot_gd_path_1d(np.square, path, xlim=(-4, 4), label="eta = 0.3")
    curve = next(line for line in ax.lines if line.get_label() == "$f$")
    assert curve.get_xdata()[0] == -4 and curve.get_xdata()[-1] == 4
    (line,) = path_lines(ax)
    np.testing.assert_array_equal(line.get_xdata(), path)
    np.testing.assert_allclose(line.get_ydata(), path**2)
    assert ax.get_title() == "Gradient descent on $f$"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$w$", "$f(w)$")
    assert ax.get_xlim() == (-4, 4)
    plot_gd_path_1d(np.square, -path, ax=ax, draw_curve=False, label="second")
    assert len(path_lines(ax)) == 2
    assert legend_texts(ax) == ["$f$", "eta = 0.3", "start", "end", "second"]


def test_gd_path_1d_errors():
    with pytest.raises(ValueError, match=r"f must return an array of shape \(400,\)"):
        plot_gd_path_1d(lambda w: np.sum(w), np.array([1.0, 0.5]))
    with pytest.raises(ValueError, match="path must be a 1-D array"):
        plot_gd_path_1d(np.square, np.zeros((2, 2)))


# ----------------------------------------------------------------------------- activations
def test_activations_functions_and_dashed_derivatives():
    ax = plot_activations()
    curves = labelled_lines(ax)
    assert [c.get_label() for c in curves] == ["sigmoid", "sigmoid'", "tanh", "tanh'",
                                               "relu", "relu'"]
    x = curves[0].get_xdata()
    assert len(x) == 401 and (x[0], x[-1]) == (-5, 5)
    for name, f_line, g_line in zip(("sigmoid", "tanh", "relu"), curves[::2], curves[1::2],
                                    strict=True):
        f, f_grad = get_activation(name)
        np.testing.assert_allclose(f_line.get_ydata(), f(x))
        np.testing.assert_allclose(g_line.get_ydata(), f_grad(x))
        assert (f_line.get_linestyle(), g_line.get_linestyle()) == ("-", "--")
        assert f_line.get_color() == g_line.get_color()
    assert "derivatives" in ax.get_title()
    assert ax.get_xlabel() == "pre-activation $a$"


def test_activations_single_name_custom_x_without_derivative():
    x = np.linspace(-1, 1, 5)
    ax = plot_activations("gelu", x=x, derivative=False, title="GELU")
    (curve,) = labelled_lines(ax)
    np.testing.assert_allclose(curve.get_xdata(), x)
    assert ax.get_title() == "GELU" and ax.get_ylabel() == r"$\sigma(a)$"


def test_activations_errors():
    with pytest.raises(ValueError, match="Unknown activation 'swish'"):
        plot_activations(("relu", "swish"))
    with pytest.raises(ValueError, match="names must list at least one activation"):
        plot_activations(())


# ----------------------------------------------------------------------------- hidden layers
def test_hidden_representation_2d():
    X, y, _ = blobs()
    ax = plot_hidden_representation(np.tanh(X), y)
    assert ax.get_title() == "Hidden representation"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$z_1$", "$z_2$")
    points = scatters(ax)
    assert len(points) == 3
    np.testing.assert_allclose(points[2].get_offsets(), np.tanh(X[y == 2]))


def test_hidden_representation_3d():
    X, y, _ = blobs()
    Z = np.column_stack([X, X.sum(axis=1)])
    ax = plot_hidden_representation(Z, y, title="Three units")
    assert ax.name == "3d"
    assert ax.get_zlabel() == "$z_3$" and ax.get_title() == "Three units"
    assert len(scatters(ax)) == 3
    with pytest.raises(ValueError, match=r"ax must be a 3-D Axes.*projection='3d'"):
        plot_hidden_representation(Z, y, ax=plt.subplots()[1])


def test_hidden_representation_pca_for_more_than_three_units():
    X, y, _ = blobs()
    rng = np.random.default_rng(1)
    Z = np.tanh(X @ rng.normal(size=(2, 5)))
    ax = plot_hidden_representation(Z, y)
    Zc = Z - Z.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(Zc.T @ Zc)  # ascending
    expected = Zc @ eigvecs[:, [-1, -2]]
    drawn = np.vstack([s.get_offsets() for s in scatters(ax)])
    order = np.concatenate([np.flatnonzero(y == c) for c in range(3)])
    np.testing.assert_allclose(np.abs(drawn), np.abs(expected[order]), atol=1e-10)
    share = eigvals[-2:].sum() / eigvals.sum()
    assert f"principal components of h = 5; {share:.0%} of variance" in ax.get_title()
    assert ax.get_xlabel() == "principal component 1"


def test_hidden_representation_pca_single_sample():
    ax = plot_hidden_representation(np.ones((1, 4)), [1])
    np.testing.assert_allclose(scatters(ax)[0].get_offsets(), [[0.0, 0.0]])
    assert "0% of variance" in ax.get_title()


def test_hidden_representation_one_unit_rows_per_class():
    ax = plot_hidden_representation([[0.1], [0.5], [0.9]], [0, 2, 2])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "2"]
    np.testing.assert_allclose(scatters(ax)[1].get_offsets(), [[0.5, 1.0], [0.9, 1.0]])
    assert ax.get_ylabel() == "class"


def test_hidden_representation_shape_mismatch():
    with pytest.raises(ValueError, match="X has 2, y has 3"):
        plot_hidden_representation(np.zeros((2, 2)), [0, 1, 1])


# ----------------------------------------------------------------------------- digits
def test_digits_grid_with_labels():
    images = np.arange(12 * 64, dtype=float).reshape(12, 64) % 17
    labels = np.arange(12) % 10
    ax = plot_digits(images, labels=labels, n=12, ncols=6)
    (image,) = ax.get_images()
    canvas = image.get_array()
    assert canvas.shape == (2 * (8 + 4), 6 * 9 - 1)
    np.testing.assert_array_equal(canvas[4:12, 0:8], images[0].reshape(8, 8))
    np.testing.assert_array_equal(canvas[16:24, 9:17], images[7].reshape(8, 8))
    assert [t.get_text() for t in ax.texts] == [str(v) for v in labels]
    assert ax.get_title() == "Images (label above each)"
    assert ax.get_xlabel() == "12 images of 8x8 pixels"
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []


def test_digits_three_dimensional_input_and_n_larger_than_available():
    images = np.random.default_rng(0).random((3, 5, 4))
    ax = plot_digits(images, title="Three")
    assert ax.get_images()[0].get_array().shape == (6, 3 * 5 - 1)
    assert len(ax.texts) == 0 and ax.get_title() == "Three"
    assert ax.get_xlabel() == "3 images of 5x4 pixels"


@pytest.mark.parametrize("images, kwargs, match", [
    (np.zeros((2, 10)), {}, "p to be a perfect square; got shape"),
    (np.zeros((2, 2, 2, 2)), {}, r"shape \(N, p\) or \(N, height, width\)"),
    (np.zeros((2, 4)), {"labels": [1]}, "2 images, 1 labels"),
    (np.zeros((2, 4)), {"n": 0}, "n must be > 0"),
])
def test_digits_errors(images, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_digits(images, **kwargs)
