"""Decision regions of any classifier, and the line of a linear one, over the data."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive
from ._common import _check_points, _color, _finish, _new_axes, _scatter_classes


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

