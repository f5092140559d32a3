"""MATLAB ``imresize`` (bicubic, antialiased) for 2-D float images.

NIQE's pristine model was fitted on images shrunk by MATLAB's ``imresize``;
OpenCV and PIL resample differently (no antialiasing, other pixel centres),
which shifts the second-scale features. This module reproduces MATLAB's
algorithm: Keys cubic kernel (a = -0.5), stretched by 1/scale when
shrinking, symmetric (mirror) padding, rows resized before columns.
"""
import math

import numpy as np


def _cubic(x):
    """Keys' cubic convolution kernel with a = -0.5."""
    ax = np.abs(x)
    near = (1.5 * ax**3 - 2.5 * ax**2 + 1) * (ax <= 1)
    far = (-0.5 * ax**3 + 2.5 * ax**2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2))
    return near + far


def _contributions(in_len, out_len, scale, antialiasing):
    """Weights ``(out_len, P)`` and 0-based source indices ``(out_len, P)``.

    Output pixel ``i`` (1-based) sits at input coordinate
    ``i / scale + (1 - 1 / scale) / 2`` (1-based), as in MATLAB.
    """
    stretch = scale if (scale < 1 and antialiasing) else 1.0
    kernel_width = 4.0 / stretch
    centre = np.arange(1, out_len + 1) / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(centre - kernel_width / 2)
    taps = math.ceil(kernel_width) + 2
    indices = left[:, None] + np.arange(taps)[None, :]  # 1-based
    weights = stretch * _cubic(stretch * (centre[:, None] - indices))
    weights /= weights.sum(axis=1, keepdims=True)
    used = np.any(weights != 0, axis=0)
    weights, indices = weights[:, used], indices[:, used]
    # Out-of-range taps read the mirrored image: ..., 2, 1, 1, 2, ..., n, n, ...
    mirror = np.concatenate([np.arange(in_len), np.arange(in_len)[::-1]])
    indices = mirror[np.mod(indices.astype(np.int64) - 1, 2 * in_len)]
    return weights, indices


def _resize_axis(img, scale, axis, antialiasing):
    in_len = img.shape[axis]
    out_len = math.ceil(in_len * scale)
    weights, indices = _contributions(in_len, out_len, scale, antialiasing)
    moved = np.moveaxis(img, axis, 0)
    out = np.einsum('op,op...->o...', weights, moved[indices])
    return np.moveaxis(out, 0, axis)


def imresize(img, scale, antialiasing=True):
    """Resize a 2-D image like MATLAB's ``imresize(img, scale)`` (bicubic).

    Args:
        img (np.ndarray): ``(H, W)`` float image, any range (not clipped).
        scale (float): size factor; the output is
            ``(ceil(H * scale), ceil(W * scale))``.
        antialiasing (bool): widen the kernel when shrinking (MATLAB's
            default).

    Returns:
        np.ndarray: float64 resized image.
    """
    out = np.asarray(img, dtype=np.float64)
    for axis in (0, 1):
        out = _resize_axis(out, scale, axis, antialiasing)
    return out
