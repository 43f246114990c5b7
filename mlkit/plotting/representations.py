"""What a network has learned: its hidden layer's activations, and images with labels."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive
from ._common import _check_labels, _finish, _fmt, _new_axes, _scatter_classes


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
