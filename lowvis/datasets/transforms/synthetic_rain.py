"""Synthetic rain streaks: a pure function and a registered transform.

Model (one call of :func:`synthesize_rain`), for each of ``layers`` layers:

1. **seeds**: each pixel of a canvas padded by the kernel radius becomes a
   streak seed with probability ``density`` (jittered per layer), with a
   brightness drawn uniformly from ``SEED_BRIGHTNESS``;
2. **motion blur**: the seeds are convolved (``cv2.filter2D``) with a line
   kernel ``length`` px long and ``width`` px wide, turned by ``angle``
   degrees (``cv2.getRotationMatrix2D``); the kernel is scaled so that a lone
   seed of brightness ``b`` gives a streak of value ``b`` along its axis;
3. the padding is cropped, so streaks cross the image borders naturally.

The layers are summed and clipped to [0, 1], then multiplied by
``intensity``: that is the returned **streak map** ``S`` (float32, HxW,
[0, 1]). It is **screen-blended** into the image, every channel alike
(rain is colourless)::

    rainy = 1 - (1 - I) * (1 - S)        # I, rainy in [0, 1]

so a streak brightens dark pixels more than bright ones and never clips.

**Angle convention.** Image axes: x to the right, y down. ``angle = 0``
gives vertical streaks (rain falling straight down). A positive angle turns
the streaks *clockwise on screen* by that many degrees: the top end of each
streak lies to the right of its bottom end, i.e. rain falling down and to
the left. A streak's upward direction is ``(sin(angle), -cos(angle))`` in
(x, y).

Optional **haze** (default off) is a uniform light-grey veil applied to the
background before the streaks: ``I <- (1 - haze) * I + haze * HAZE_LEVEL``.
"""
import math
from numbers import Integral, Real

import cv2
import numpy as np

from lowvis.registry import TRANSFORMS
from lowvis.utils.errors import ConfigError, DataError
from .synthetic_degradation import SyntheticDegradation

__all__ = ['synthesize_rain', 'rain_kernel', 'SyntheticRain']

#: Range of a seed's brightness (streak value before ``intensity``).
SEED_BRIGHTNESS = (0.5, 1.0)
#: Grey level of the haze veil, in [0, 1].
HAZE_LEVEL = 0.9


def rain_kernel(length, angle, width=1):
    """Line kernel of one rain streak.

    Args:
        length (float): streak length in pixels (rounded, at least 1).
        angle (float): degrees from vertical, positive = clockwise on screen
            (see the module docstring).
        width (float): streak thickness in pixels (rounded, at least 1).

    Returns:
        np.ndarray: float32 ``KxK`` kernel, K odd; its sum equals
        ``length * width`` (rounded values), so the line keeps value ~1
        along its axis whatever the angle (bilinear rotation spreads thin
        tilted lines over two pixels at lower values).
    """
    n_len = max(1, int(round(length)))
    n_wid = max(1, int(round(width)))
    size = n_len + n_wid + 2
    size += 1 - size % 2
    centre = size // 2
    kernel = np.zeros((size, size), np.float32)
    top, left = centre - n_len // 2, centre - n_wid // 2
    kernel[top:top + n_len, left:left + n_wid] = 1.0
    # cv2 turns counter-clockwise on screen for positive angles.
    matrix = cv2.getRotationMatrix2D((float(centre), float(centre)),
                                     -float(angle), 1.0)
    kernel = cv2.warpAffine(kernel, matrix, (size, size),
                            flags=cv2.INTER_LINEAR, borderValue=0.0)
    return kernel * np.float32(n_len * n_wid / kernel.sum())


def _check_params(density, length, width, intensity, layers, jitter, haze):
    checks = [('density', density, 0, 1), ('intensity', intensity, 0, 1),
              ('jitter', jitter, 0, 1), ('haze', haze, 0, 1),
              ('length', length, 1, math.inf), ('width', width, 1, math.inf)]
    for name, value, low, high in checks:
        if not isinstance(value, Real) or not low <= value <= high:
            raise ConfigError(f'synthesize_rain: {name} must be a number in '
                              f'[{low}, {high}], got {value!r}')
    if not isinstance(layers, Integral) or layers < 1:
        raise ConfigError(f'synthesize_rain: layers must be an int >= 1, '
                          f'got {layers!r}')


def _streak_layer(shape, rng, density, length, angle, width):
    """One layer of streaks: float32 HxW, >= 0 (not clipped)."""
    kernel = rain_kernel(length, angle, width)
    pad = kernel.shape[0] // 2
    height, width_px = shape[0] + 2 * pad, shape[1] + 2 * pad
    seeds = rng.random((height, width_px)) < density
    brightness = rng.uniform(*SEED_BRIGHTNESS, size=(height, width_px))
    seeds = (seeds * brightness).astype(np.float32)
    streaks = cv2.filter2D(seeds, -1, kernel, borderType=cv2.BORDER_CONSTANT)
    return np.maximum(streaks[pad:pad + shape[0], pad:pad + shape[1]], 0)


def synthesize_rain(img, rng, density=0.004, length=20.0, angle=0.0,
                    width=1.0, intensity=0.6, layers=2, jitter=0.3,
                    angle_jitter=0.0, haze=0.0):
    """Add synthetic rain streaks to an image.

    Args:
        img (np.ndarray): uint8 ``HxWx3`` RGB, 0-255.
        rng (np.random.Generator): the only source of randomness; the same
            generator state gives byte-identical output.
        density (float): fraction of pixels that seed a streak, in [0, 1]
            (streak coverage is about ``density * length * width``).
        length (float): streak length in pixels, >= 1.
        angle (float): degrees from vertical; positive = clockwise on
            screen (top end to the right).
        width (float): streak thickness in pixels, >= 1.
        intensity (float): streak opacity scale in [0, 1]; 0 = no rain.
        layers (int): number of streak layers, each with its own density
            and length drawn in ``x * [1 - jitter, 1 + jitter]``.
        jitter (float): relative per-layer jitter of density and length,
            in [0, 1].
        angle_jitter (float): per-layer angle offset drawn in
            ``[-angle_jitter, angle_jitter]`` degrees (0 = one direction).
        haze (float): opacity of a light-grey veil in [0, 1]; 0 = none.

    Returns:
        tuple: ``(rainy, streaks)``: rainy uint8 ``HxWx3`` RGB 0-255, and
        the streak map float32 ``HxW`` in [0, 1] that was screen-blended
        (``intensity`` included).
    """
    if (not isinstance(img, np.ndarray) or img.dtype != np.uint8
            or img.ndim != 3 or img.shape[2] != 3):
        desc = (f'{img.dtype} {img.shape}' if isinstance(img, np.ndarray)
                else type(img).__name__)
        raise DataError(f'synthesize_rain: expected a uint8 HxWx3 RGB '
                        f'image, got {desc}')
    _check_params(density, length, width, intensity, layers, jitter, haze)
    total = np.zeros(img.shape[:2], np.float32)
    for _ in range(layers):
        scale_d, scale_l = rng.uniform(1 - jitter, 1 + jitter, size=2)
        offset = rng.uniform(-angle_jitter, angle_jitter)
        total += _streak_layer(img.shape, rng, min(1.0, density * scale_d),
                               max(1.0, length * scale_l), angle + offset,
                               width)
    streaks = np.clip(total, 0, 1) * np.float32(intensity)
    base = img.astype(np.float32) / 255.0
    if haze > 0:
        base = (1 - haze) * base + haze * HAZE_LEVEL
    rainy = 1 - (1 - base) * (1 - streaks[..., None])
    rainy = np.clip(np.rint(rainy * 255), 0, 255).astype(np.uint8)
    return rainy, streaks.astype(np.float32)


@TRANSFORMS.register_module()
class SyntheticRain(SyntheticDegradation):
    """Add synthetic rain to ``results[key]`` (see :func:`synthesize_rain`).

    Args:
        key (str): input key, uint8 ``HxWx3`` RGB.
        out_key (str | None): where the rainy image goes; None = ``key``.
        streak_key (str | None): if given, the streak map (float32 HxW,
            [0, 1]) is stored there too.
        seed (int | None): how each call's generator is drawn; see
            :class:`SyntheticDegradation`.
        **params: keyword arguments of :func:`synthesize_rain`; a numeric
            one may be a ``(low, high)`` pair, drawn uniformly per call
            (e.g. ``angle=(-15, 15)``; ``layers`` is rounded).
    """

    synthesize = staticmethod(synthesize_rain)
    int_params = frozenset({'layers'})

    def __init__(self, key='img_A', out_key=None, streak_key=None, seed=None,
                 **params):
        super().__init__(key, out_key, streak_key, seed, **params)
