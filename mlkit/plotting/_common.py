"""What every figure of :mod:`mlkit.plotting` shares: the class colours and markers, a
new Axes when none is given, titles and labels, and the checks of ``X`` and ``y``."""

from __future__ import annotations

import numpy as np

from .._validation import check_array

#: Okabe-Ito colours, in the order given to classes 0, 1, 2, ...
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One marker per class, so classes differ in shape as well as colour.
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


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

