r"""Figures for the lectures: decision boundaries, training curves, optimisation paths.

Every function draws into ``ax`` (a new figure when ``ax is None``), sets a title and axis
labels, and returns the Axes it drew on; none calls ``plt.show()``, and matplotlib is
imported only when a function runs (``import mlkit`` needs NumPy only). Classes always get
the same colour and marker, from the colour-blind-safe Okabe-Ito palette: class 0 blue
circles, class 1 orange squares, class 2 green triangles, ...

The functions live in three modules, each short enough to read in one sitting:
``boundaries`` (:func:`plot_decision_boundary`, :func:`plot_linear_boundary`), ``curves``
(:func:`plot_history`, :func:`plot_gd_path`, :func:`plot_gd_path_1d`,
:func:`plot_activations`) and ``representations`` (:func:`plot_hidden_representation`,
:func:`plot_digits`); ``_common`` holds what they share. Import them from here:
``from mlkit.plotting import plot_history``.

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

from ._common import CLASS_COLORS, CLASS_MARKERS
from .boundaries import plot_decision_boundary, plot_linear_boundary
from .curves import plot_activations, plot_gd_path, plot_gd_path_1d, plot_history
from .representations import plot_digits, plot_hidden_representation

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
