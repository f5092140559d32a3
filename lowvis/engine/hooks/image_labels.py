"""Label the columns of an image grid (a strip of text above each one)."""
import cv2
import numpy as np

__all__ = ['label_columns']

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def _fitting_scale(text, width, scale=0.4, smallest=0.25):
    while scale > smallest:
        (w, _), _ = cv2.getTextSize(text, _FONT, scale, 1)
        if w <= width - 4:
            break
        scale -= 0.025
    return scale


def label_columns(grid, labels, height=14, min_width=96):
    """Return ``grid`` with a white strip above it naming each column.

    Columns narrower than ``min_width`` (small training crops) are first
    enlarged by the smallest integer factor ``f`` that makes them as wide
    (nearest neighbour: each pixel becomes an ``f x f`` block), so the
    labels fit.

    Args:
        grid (np.ndarray): ``uint8 HxWx3`` RGB, ``len(labels)`` columns of
            equal width side by side.
        labels (Sequence[str]): one text per column, left to right.
        height (int): height of the strip in pixels.
        min_width (int): narrowest column shown, in pixels.

    Returns:
        np.ndarray: ``uint8 (f*H + height)x(f*W)x3`` RGB.
    """
    width = grid.shape[1] // len(labels)
    factor = -(-min_width // width) if width < min_width else 1
    if factor > 1:
        grid = grid.repeat(factor, axis=0).repeat(factor, axis=1)
        width *= factor
    strip = np.full((height, grid.shape[1], 3), 255, dtype=np.uint8)
    for k, text in enumerate(labels):
        scale = _fitting_scale(text, width)
        cv2.putText(strip, text, (k * width + 2, height - 4), _FONT, scale,
                    (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([strip, np.ascontiguousarray(grid)], axis=0)
