"""Curves: training histories, gradient-descent paths, activation functions."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import check_array
from ..activations import get_activation
from ._common import _color, _finish, _new_axes

_PATH_GID = "mlkit-gd-path"


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

