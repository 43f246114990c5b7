r"""Figures for the lectures: decision boundaries, training curves, optimisation paths.

Every function draws into ``ax`` (a new figure when ``ax is None``), sets a title and axis
labels, and returns the Axes it drew on; none calls ``plt.show()``, and matplotlib is
imported only when a function runs (``import mlkit`` needs NumPy only). Classes always get
the same colour and marker, from the colour-blind-safe Okabe-Ito palette: class 0 blue
circles, class 1 orange squares, class 2 green triangles, ...

Example
-------
>>> import numpy as np
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
>>> y = np.array([0, 0, 1, 1])
>>> ax = plot_decision_boundary(lambda G: (G[:, 0] > 0.5).astype(int), X, y)
>>> ax.get_title()
'Decision regions'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._validation import check_array, check_positive
from .activations import get_activation

__all__ = [
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "plot_decision_boundary",
    "plot_linear_boundary",
    "plot_history",
    "plot_gd_path",
    "plot_gd_path_1d",
    "plot_activations",
    "plot_hidden_representation",
    "plot_digits",
]

#: Okabe-Ito colours, in the order given to classes 0, 1, 2, ...
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One marker per class, so classes differ in shape as well as colour.
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_PATH_GID = "mlkit-gd-path"


def _color(k: int) -> str:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def _new_axes(ax, figsize=(5.6, 4.4), projection=None):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained").add_subplot(projection=projection)


def _finish(ax, title, xlabel, ylabel, legend=True):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="small", framealpha=0.85)


def _fmt(value) -> str:
    if isinstance(value, (int, float, np.number)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _check_labels(y, n):
    y = check_array(y, "y", ndim=1, dtype=None)
    if len(y) != n:
        raise ValueError("X and y have inconsistent numbers of samples: "
                         f"X has {n}, y has {len(y)}.")
    return y


def _check_points(X, y):
    X = check_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 features to be drawn in the plane; got shape "
                         f"{X.shape}. Pass two columns, e.g. X[:, [0, 1]].")
    return X, _check_labels(y, len(X))


def _scatter_classes(ax, points, y, classes):
    """One scatter per class present in y, coloured by its position in ``classes``."""
    for k, c in enumerate(classes):
        mask = y == c
        if np.any(mask):
            ax.scatter(*points[mask].T, s=30, color=_color(k), marker=CLASS_MARKERS[k % 8],
                       edgecolors="k", linewidths=0.6, label=f"y = {_fmt(c)}", zorder=3)


def _grid(X, padding, resolution):
    check_positive(padding, "padding", allow_zero=True)
    check_positive(resolution, "resolution", integer=True)
    if resolution < 2:
        raise ValueError(f"resolution must be >= 2 grid points per axis; got {resolution}.")
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    lo, hi = lo - (hi == lo), hi + (hi == lo)  # widen a zero-width range
    return np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))


def _predict_grid(predict, grid, proba):
    out = np.asarray(predict(grid))
    if proba and out.ndim == 2 and out.shape[1] == 2:
        out = out[:, 1]  # sklearn-style (m, 2) probabilities: keep p(y = 1)
    if out.size != len(grid):
        fix = " For more than two classes use proba=False and a function returning labels." \
            if proba else ""
        raise ValueError(f"predict must return one value per row of its input; got shape "
                         f"{out.shape} for an input of shape {grid.shape}.{fix}")
    out = out.ravel()
    if proba:
        out = out.astype(np.float64)
        if not np.all((out >= 0) & (out <= 1)):
            raise ValueError(f"predict must return probabilities in [0, 1] when proba=True; "
                             f"found values in [{out.min():g}, {out.max():g}]. Pass "
                             "predict_proba, or use proba=False for a function returning labels.")
    return out


def plot_decision_boundary(predict, X, y, ax=None, resolution=200, padding=0.5, proba=False,
                           title=None, xlabel="$x_1$", ylabel="$x_2$"):
    """Colour the plane by a classifier's prediction and scatter the data on top.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (m, 2) to labels of shape (m,) (any number of classes), or
        with ``proba=True`` to probabilities p(y = 1 | x) of shape (m,) or (m, 2).
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        Class labels; the colours follow the sorted labels of ``y`` and the predictions.
    ax : matplotlib Axes, optional
    resolution : int
        Grid points per axis.
    padding : float
        Margin around the data, in data units.
    proba : bool
        Draw filled contours of p with the p = 0.5 line and a colour bar instead of regions.
    title, xlabel, ylabel : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If X is not (n, 2), y does not match, or ``predict`` returns the wrong shape or (with
        ``proba=True``) values outside [0, 1].
    """
    X, y = _check_points(X, y)
    xx, yy = _grid(X, padding, resolution)
    out = _predict_grid(predict, np.column_stack([xx.ravel(), yy.ravel()]), proba)
    ax = _new_axes(ax)
    out = out.reshape(xx.shape)
    if proba:
        _draw_proba(ax, xx, yy, out)
        classes = np.unique(y)
        default = r"Predicted probability $p(y = 1 \mid x)$"
    else:
        classes = np.unique(np.concatenate([np.unique(y), np.unique(out)]))
        _draw_regions(ax, xx, yy, np.searchsorted(classes, out), len(classes))
        default = "Decision regions"
    _scatter_classes(ax, X, y, classes)
    ax.set_xlim(xx[0, 0], xx[0, -1])
    ax.set_ylim(yy[0, 0], yy[-1, 0])
    _finish(ax, default if title is None else title, xlabel, ylabel)
    return ax


def _draw_regions(ax, xx, yy, idx, k):
    ax.contourf(xx, yy, idx, levels=np.arange(k + 1) - 0.5,
                colors=[_color(i) for i in range(k)], alpha=0.25)
    inside = np.arange(k - 1) + 0.5
    inside = inside[(inside > idx.min()) & (inside < idx.max())]
    if inside.size:
        ax.contour(xx, yy, idx, levels=inside, colors="k", linewidths=1.0)


def _draw_proba(ax, xx, yy, p):
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("mlkit_proba", [_color(0), "#FFFFFF", _color(1)])
    filled = ax.contourf(xx, yy, p, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.7)
    ax.figure.colorbar(filled, ax=ax, label=r"$p(y = 1 \mid x)$")
    if p.min() < 0.5 < p.max():
        ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.5)


def _equation(w) -> str:
    """E.g. w = [1, -0.5, 2] -> '$x_1 - 0.5x_2 + 2 = 0$' (zero terms left out)."""
    text = ""
    for coef, symbol in zip(w, ("x_1", "x_2", ""), strict=True):
        number = f"{abs(coef):.3g}"
        if coef != 0:
            sign = "-" if coef < 0 else "+"
            text += f" {sign} " if text else sign.strip("+")
            text += ("" if symbol and number == "1" else number) + symbol
    return f"${text} = 0$"


def plot_linear_boundary(w, X, y, ax=None, padding=0.5, title=None, xlabel="$x_1$",
                         ylabel="$x_2$", show_normal=True):
    r"""Draw the line :math:`w_1 x_1 + w_2 x_2 + b = 0`, its normal and the two half-planes.

    Parameters
    ----------
    w : ndarray of shape (3,)
        Absorbed-bias weights ``[w1, w2, b]`` (bias last, as ``Perceptron.w_``).
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
        Labels in {0, 1} or {-1, +1}. The side where :math:`w^T x + b > 0` (predicted
        positive) is shaded in the colour of the positive class.
    ax : matplotlib Axes, optional
    padding : float
    title, xlabel, ylabel : str, optional
    show_normal : bool
        Draw the normal vector :math:`(w_1, w_2)`, which points into the positive side.

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If ``w`` is not of shape (3,), if :math:`w_1 = w_2 = 0` (no line), or if ``y`` is
        not binary.
    """
    w = check_array(w, "w", ndim=1)
    if w.shape != (3,):
        raise ValueError(f"w must have shape (3,) = [w1, w2, b] with the bias last; got shape "
                         f"{w.shape}.")
    if w[0] == 0 and w[1] == 0:
        raise ValueError(f"w = [w1, w2, b] must have w1 or w2 nonzero to define a line; got "
                         f"w = {w.tolist()}. Train the model first, or start from nonzero w.")
    X, y = _check_points(X, y)
    found = set(np.unique(y).tolist())
    if not (found <= {0, 1} or found <= {-1, 1}):
        raise ValueError(f"y must contain binary labels {{0, 1}} or {{-1, 1}}; found "
                         f"{sorted(found)}.")
    xx, yy = _grid(X, padding, 50)
    ax = _new_axes(ax)
    s = w[0] * xx + w[1] * yy + w[2]
    ax.contourf(xx, yy, s, levels=[min(s.min(), 0) - 1, 0, max(s.max(), 0) + 1],
                colors=[_color(0), _color(1)], alpha=0.18)
    (x_lo, x_hi), (y_lo, y_hi) = (xx[0, 0], xx[0, -1]), (yy[0, 0], yy[-1, 0])
    if abs(w[1]) >= abs(w[0]):
        x1 = np.array([x_lo, x_hi])
        x2 = -(w[0] * x1 + w[2]) / w[1]
    else:  # steep or vertical (w2 == 0): solve for x1 instead
        x2 = np.array([y_lo, y_hi])
        x1 = -(w[1] * x2 + w[2]) / w[0]
    ax.plot(x1, x2, color="k", lw=2, label=_equation(w))
    if show_normal:
        _draw_normal(ax, w, X.mean(axis=0), 0.15 * max(x_hi - x_lo, y_hi - y_lo))
    labels = np.array(sorted(found | ({-1, 1} if found <= {-1, 1} else {0, 1})))
    _scatter_classes(ax, X, y, labels)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    _finish(ax, "Linear decision boundary" if title is None else title, xlabel, ylabel)
    return ax


def _draw_normal(ax, w, centre, length):
    v = w[:2]
    foot = centre - (v @ centre + w[2]) / (v @ v) * v  # closest point of the line to centre
    tip = foot + length * v / np.linalg.norm(v)
    ax.annotate("", xy=tip, xytext=foot,
                arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 1.5, "mutation_scale": 15})
    ax.text(*(foot + 1.25 * (tip - foot)), r"$\mathbf{w}$", ha="center", va="center",
            clip_on=True)


def _history_curves(history, keys):
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict of lists such as model.history_; got "
                        f"{type(history).__name__}.")
    if keys is None:
        keys = [k for k, v in history.items() if np.ndim(v) == 1]
    elif isinstance(keys, str):
        keys = [keys]
    missing = [k for k in keys if k not in history]
    if missing or not keys:
        raise ValueError(f"keys must name lists in history; missing {missing}, available "
                         f"{list(history)}.")
    curves = {k: np.asarray(history[k], dtype=np.float64) for k in keys}
    for k, v in curves.items():
        if v.ndim != 1:
            raise ValueError(f"history[{k!r}] must be a list of numbers; got shape {v.shape}.")
    return curves


def _history_axes(ax, n):
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(5.0 * n, 3.8), layout="constrained")
        return list(fig.subplots(1, n, squeeze=False)[0])
    axes = [ax] if hasattr(ax, "plot") else list(np.ravel(ax))
    if len(axes) != n:
        raise ValueError(f"ax must hold {n} Axes (losses left, accuracies right); got "
                         f"{len(axes)}. Pass ax=None, plt.subplots(1, 2)[1], or choose keys.")
    return axes


def plot_history(history, ax=None, keys=None, log_loss=False, xlabel="epoch"):
    """Plot training curves: losses on one Axes, accuracies on a second.

    Parameters
    ----------
    history : dict of str -> list of float
        E.g. ``MLP.history_`` = {"loss", "val_loss", "accuracy", "val_accuracy"}. Keys
        containing "acc" go on the accuracy Axes, all others on the loss Axes; "val_*"
        curves are dashed.
    ax : matplotlib Axes or pair of Axes, optional
        A pair is needed when both losses and accuracies are plotted.
    keys : str or list of str, optional
        The curves to draw (default: every list in ``history``).
    log_loss : bool
        Use a logarithmic y-axis for the losses.
    xlabel : str

    Returns
    -------
    ax : matplotlib Axes, or ndarray of 2 Axes (loss, accuracy) when both are drawn

    Raises
    ------
    ValueError
        Unknown keys, too few Axes, or ``log_loss`` with non-positive losses.
    """
    curves = _history_curves(history, keys)
    groups = {"loss": [k for k in curves if "acc" not in k],
              "accuracy": [k for k in curves if "acc" in k]}
    groups = {group: names for group, names in groups.items() if names}
    axes = _history_axes(ax, len(groups))
    for a, (group, names) in zip(axes, groups.items(), strict=True):
        for i, name in enumerate(names):
            values = curves[name]
            a.plot(np.arange(1, len(values) + 1), values, color=_color(i), lw=1.8,
                   ls="--" if name.startswith("val") else "-", label=name)
        if group == "loss" and log_loss:
            if any(np.any(curves[k] <= 0) for k in names):
                raise ValueError("log_loss=True needs positive losses; found values <= 0. "
                                 "Use log_loss=False.")
            a.set_yscale("log")
        ylabel = group if group == "accuracy" or all("loss" in k for k in names) else "value"
        _finish(a, f"{group.capitalize()} per {xlabel}", xlabel, ylabel)
    return axes[0] if len(axes) == 1 else np.array(axes, dtype=object)


def _check_path(path, ndim):
    try:
        diverged = not np.all(np.isfinite(np.asarray(path, dtype=np.float64)))
    except (TypeError, ValueError):
        diverged = False  # not numbers at all: check_array explains
    if diverged:
        raise ValueError("path contains NaN or infinity, so gradient descent diverged. Use a "
                         "smaller learning rate, or plot the finite part path[:k].")
    path = check_array(path, "path", ndim=ndim)
    if ndim == 2 and path.shape[1] != 2:
        raise ValueError(f"path must have shape (steps, 2); got shape {path.shape}.")
    return path


def _check_values(values, shape):
    values = np.asarray(values, dtype=np.float64)
    if values.shape != shape:
        raise ValueError(f"f must return an array of shape {shape} for inputs of that shape; "
                         f"got shape {values.shape}. Write f with element-wise NumPy "
                         "operations, e.g. lambda w1, w2: w1**2 + 10 * w2**2.")
    return values


def _limits(values, lim, name):
    if lim is not None:
        lo, hi = (float(v) for v in lim)
        if not lo < hi:
            raise ValueError(f"{name} must be (low, high) with low < high; got {lim!r}.")
        return lo, hi
    lo, hi = float(values.min()), float(values.max())
    pad = 0.2 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def _draw_path(ax, x, y, label, color):
    color = color or _color(sum(line.get_gid() == _PATH_GID for line in ax.lines))
    line, = ax.plot(x, y, "-o", color=color, lw=1.5, ms=3.5, label=label, zorder=4)
    line.set_gid(_PATH_GID)
    for i in np.unique(np.linspace(0, len(x) - 2, min(len(x) - 1, 10)).astype(int)):
        if (x[i], y[i]) != (x[i + 1], y[i + 1]):
            ax.annotate("", xy=(x[i + 1], y[i + 1]), xytext=(x[i], y[i]), zorder=4.5, arrowprops={
                "arrowstyle": "-|>", "color": color, "lw": 1.5, "shrinkA": 0, "shrinkB": 0,
                "mutation_scale": 14})
    first = not any(line.get_label() == "start" for line in ax.lines)
    ax.plot(x[0], y[0], "o", ms=11, mfc="none", mec="k", mew=1.8, zorder=5,
            label="start" if first else "_nolegend_")
    ax.plot(x[-1], y[-1], "*", ms=15, color=color, mec="k", mew=0.8, zorder=5,
            label="end" if first else "_nolegend_")


def plot_gd_path(f, path, ax=None, xlim=None, ylim=None, levels=30, label=None,
                 draw_contours=True, title=None, xlabel="$w_1$", ylabel="$w_2$", color=None):
    """Draw an optimisation path over the contour lines of ``f(w1, w2)``.

    Call it again on the same ``ax`` with ``draw_contours=False`` to add more paths (one
    colour each, e.g. to compare SGD, momentum and Adam).

    Parameters
    ----------
    f : callable
        ``f(W1, W2)`` takes two meshgrid arrays and returns values of the same shape.
    path : ndarray of shape (steps, 2)
        The iterates, the start first.
    ax : matplotlib Axes, optional
    xlim, ylim : (float, float), optional
        Plot range (default: the path's range plus 20% on each side).
    levels : int or array-like
        Contour levels, passed to ``ax.contour``.
    label : str, optional
        Legend entry for this path.
    draw_contours : bool
    title, xlabel, ylabel, color : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If ``path`` is not (steps, 2) or not finite (diverged), or ``f`` returns the wrong
        shape.
    """
    path = _check_path(path, ndim=2)
    ax = _new_axes(ax)
    if draw_contours:
        lim_x, lim_y = _limits(path[:, 0], xlim, "xlim"), _limits(path[:, 1], ylim, "ylim")
        W1, W2 = np.meshgrid(np.linspace(*lim_x, 200), np.linspace(*lim_y, 200))
        values = _check_values(f(W1, W2), W1.shape)
        ax.contour(W1, W2, values, levels=levels, cmap="viridis", linewidths=0.8, alpha=0.55)
    _draw_path(ax, path[:, 0], path[:, 1], label, color)
    for lim, setter in ((xlim, ax.set_xlim), (ylim, ax.set_ylim)):
        if lim is not None:
            setter(lim)
    if title is None:  # keep the title of an earlier call on the same ax
        title = ax.get_title() or "Gradient descent on the contours of $f$"
    _finish(ax, title, xlabel, ylabel)
    return ax


def plot_gd_path_1d(f, path, ax=None, xlim=None, label=None, draw_curve=True, title=None,
                    xlabel="$w$", ylabel="$f(w)$", color=None):
    """Draw 1-D gradient-descent steps on the curve ``f``.

    Parameters
    ----------
    f : callable
        Element-wise function of an array of shape (m,).
    path : ndarray of shape (steps,)
    ax : matplotlib Axes, optional
    xlim : (float, float), optional
    label : str, optional
    draw_curve : bool
        Draw ``f`` (set False when adding a second path to the same ``ax``).
    title, xlabel, ylabel, color : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If ``path`` is not 1-D and finite, or ``f`` returns the wrong shape.
    """
    path = _check_path(path, ndim=1)
    ax = _new_axes(ax)
    if draw_curve:
        w = np.linspace(*_limits(path, xlim, "xlim"), 400)
        ax.plot(w, _check_values(f(w), w.shape), color="0.45", lw=1.5, label="$f$")
    _draw_path(ax, path, _check_values(f(path), path.shape), label, color)
    if xlim is not None:
        ax.set_xlim(xlim)
    _finish(ax, "Gradient descent on $f$" if title is None else title, xlabel, ylabel)
    return ax


def plot_activations(names=("sigmoid", "tanh", "relu"), ax=None, x=None, derivative=True,
                     title=None):
    r"""Plot activation functions and (dashed) their derivatives.

    Parameters
    ----------
    names : str or sequence of str
        Names accepted by :func:`mlkit.activations.get_activation`.
    ax : matplotlib Axes, optional
    x : ndarray of shape (m,), optional
        Pre-activation values (default ``np.linspace(-5, 5, 401)``).
    derivative : bool
        Also draw :math:`\sigma'(a)`, dashed, in the same colour.
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        For an unknown name or an empty ``names``.
    """
    names = (names,) if isinstance(names, str) else tuple(names)
    if not names:
        raise ValueError("names must list at least one activation, e.g. ('sigmoid', 'relu').")
    pairs = [get_activation(name) for name in names]
    x = np.linspace(-5.0, 5.0, 401) if x is None else check_array(x, "x", ndim=1)
    ax = _new_axes(ax)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    for i, (name, (f, f_grad)) in enumerate(zip(names, pairs, strict=True)):
        ax.plot(x, f(x), color=_color(i), lw=2, label=name)
        if derivative:
            ax.plot(x, f_grad(x), color=_color(i), lw=1.5, ls="--", label=f"{name}'")
    default = "Activation functions" + (" (dashed: derivatives)" if derivative else "")
    ylabel = r"$\sigma(a)$" + (r", $\sigma'(a)$" if derivative else "")
    _finish(ax, default if title is None else title, "pre-activation $a$", ylabel)
    return ax


def _principal_components(Z):
    """First two principal components of Z (n, h) via SVD, and their share of variance."""
    Zc = Z - Z.mean(axis=0)
    _, s, vt = np.linalg.svd(Zc, full_matrices=False)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    vt = vt * np.where(signs == 0, 1.0, signs)[:, None]  # deterministic signs
    P = Zc @ vt[:2].T
    if P.shape[1] < 2:  # a single sample has a single component
        P = np.column_stack([P, np.zeros(len(P))])
    total = np.sum(s**2)
    return P, (np.sum(s[:2] ** 2) / total if total > 0 else 0.0)


def plot_hidden_representation(Z, y, ax=None, title=None):
    """Scatter a hidden layer's activations, coloured by class.

    Parameters
    ----------
    Z : ndarray of shape (n, h)
        One row per sample, e.g. ``MLP.hidden_activations(X)[0]``. ``h == 1``: one row of
        points per class; ``h == 2``: plane; ``h == 3``: 3-D Axes; ``h > 3``: the first two
        principal components (the title says so, with their share of the variance).
    y : ndarray of shape (n,)
    ax : matplotlib Axes, optional
        Must be a 3-D Axes (``projection="3d"``) when ``h == 3``.
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If shapes disagree, or ``h == 3`` and ``ax`` is not 3-D.
    """
    Z = check_array(Z, "Z", ndim=2)
    y = _check_labels(y, len(Z))
    classes = np.unique(y)
    n, h = Z.shape
    if h == 3 and ax is not None and getattr(ax, "name", "") != "3d":
        raise ValueError("ax must be a 3-D Axes for h = 3 hidden units; create it with "
                         "fig.add_subplot(projection='3d'), or pass Z[:, :2].")
    ax = _new_axes(ax, projection="3d" if h == 3 else None)
    labels, note, points = [f"$z_{j + 1}$" for j in range(min(h, 3))], "", Z
    if h == 1:
        points = np.column_stack([Z[:, 0], np.searchsorted(classes, y)])
        labels.append("class")
        ax.set_yticks(range(len(classes)), [_fmt(c) for c in classes])
    elif h > 3:
        points, share = _principal_components(Z)
        labels = ["principal component 1", "principal component 2"]
        note = f"\n(first 2 principal components of h = {h}; {share:.0%} of variance)"
    _scatter_classes(ax, points, y, classes)
    if h == 3:
        ax.set_zlabel(labels[2])
    _finish(ax, ("Hidden representation" if title is None else title) + note, *labels[:2])
    return ax


def plot_digits(images, labels=None, n=10, ax=None, ncols=None, title=None):
    """Show the first ``n`` small images (e.g. 8x8 digits) as a grid in one Axes.

    Parameters
    ----------
    images : ndarray of shape (N, p) with p a perfect square, or (N, height, width)
    labels : array-like of shape (N,), optional
        Written above each image (strings allowed, e.g. "3 (pred 5)").
    n : int
        How many images to show (at most N).
    ax : matplotlib Axes, optional
    ncols : int, optional
        Images per row (default ``min(n, 10)``).
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes

    Raises
    ------
    ValueError
        If the images are not square-reshapable or ``labels`` has the wrong length.
    """
    imgs = check_array(images, "images")
    if imgs.ndim == 2:
        side = int(round(np.sqrt(imgs.shape[1])))
        if side * side != imgs.shape[1]:
            raise ValueError(f"images of shape (N, p) need p to be a perfect square; got shape "
                             f"{imgs.shape}. Pass images of shape (N, height, width).")
        imgs = imgs.reshape(-1, side, side)
    elif imgs.ndim != 3:
        raise ValueError(f"images must have shape (N, p) or (N, height, width); got shape "
                         f"{imgs.shape}.")
    if labels is not None:
        labels = np.asarray(labels).ravel()
        if len(labels) != len(imgs):
            raise ValueError(f"labels must have one entry per image: {len(imgs)} images, "
                             f"{len(labels)} labels.")
    n = min(check_positive(n, "n", integer=True), len(imgs))
    ncols = min(n, 10) if ncols is None else check_positive(ncols, "ncols", integer=True)
    nrows, (h, w) = -(-n // ncols), imgs.shape[1:]
    gap = 4 if labels is not None else 1  # rows of blank pixels above each image
    canvas = np.full((nrows * (h + gap), ncols * (w + 1) - 1), imgs[:n].min())
    ax = _new_axes(ax, figsize=(0.75 * ncols + 0.3, (0.75 + 0.3 * (gap > 1)) * nrows + 0.6))
    for i in range(n):
        top, left = (i // ncols) * (h + gap) + gap, (i % ncols) * (w + 1)
        canvas[top:top + h, left:left + w] = imgs[i]
        if labels is not None:
            ax.text(left + (w - 1) / 2, top - 0.7, _fmt(labels[i]), ha="center", va="bottom",
                    fontsize=9)
    ax.imshow(canvas, cmap="gray_r", interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    default = "Images" + (" (label above each)" if labels is not None else "")
    _finish(ax, default if title is None else title, f"{n} images of {h}x{w} pixels", "")
    return ax
