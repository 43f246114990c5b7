"""The 8x8 handwritten digits, shipped with the package in ``mlkit/data/digits.npz``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

_DIGITS_PATH = Path(__file__).resolve().parent.parent / "data" / "digits.npz"


def load_digits(return_images: bool = False):
    """The UCI 8x8 handwritten digits (1,797 images, 10 classes), read from the package.

    The test portion of "Optical Recognition of Handwritten Digits" (Alpaydin & Kaynak,
    1998), as distributed with scikit-learn; CC BY 4.0. See ``mlkit/data/README.md``.
    Reads a local file only; never downloads anything.

    Returns
    -------
    X : ndarray of shape (1797, 64)
        Pixel counts 0..16 (float64), rows of the 8x8 images concatenated.
    y : ndarray of shape (1797,)
        The digit, 0..9 (int64).
    images : ndarray of shape (1797, 8, 8)
        Only if ``return_images``; the same pixels as images (float64).
    """
    with np.load(_DIGITS_PATH) as data:
        images = data["images"].astype(np.float64)
        y = data["target"].astype(np.int64)
    X = images.reshape(len(images), -1)
    return (X, y, images) if return_images else (X, y)
