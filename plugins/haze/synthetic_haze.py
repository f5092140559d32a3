"""Synthetic haze: the atmospheric scattering model with a depth proxy.

Model (Koschmieder / McCartney, as used to build RESIDE-style data)::

    I = J * t + A * (1 - t),      t = exp(-beta * d)

* ``J``: the clean image, float in [0, 1] per channel (sRGB values, as the
  usual synthetic haze benchmarks use them; no linearisation);
* ``d``: scene depth, **relative**: in [``near``, 1], 1 the farthest point;
* ``beta``: scattering coefficient per unit of that relative depth (0: no
  haze; 1.5 leaves ``exp(-1.5) = 22 %`` of the farthest point's light);
* ``t``: transmission in (0, 1], the fraction of ``J`` that survives;
* ``A``: atmospheric light (airlight), a grey level in [0, 1], the same for
  R, G and B (haze is colourless).

**Depth proxy.** The photos have no depth maps, so ``d`` is built from the
two cues that hold in most outdoor pictures: things higher in the frame are
farther away (a vertical ramp, 1 at the top row, 0 at the bottom row), and
depth changes smoothly with blobs (a low-frequency random field: uniform
noise on a coarse grid, bicubically enlarged, rescaled to [0, 1])::

    d = near + (1 - near) * ((1 - noise) * ramp + noise * field)

``noise_scale`` is the size of the field's blobs as a fraction of the
image's shorter side. Every random number comes from the ``rng`` passed in,
so a generator state gives byte-identical output.
"""
from numbers import Real

import cv2
import numpy as np

from lowvis.datasets.transforms import SyntheticDegradation
from lowvis.registry import TRANSFORMS
from lowvis.utils import ConfigError, DataError

__all__ = ['haze_depth', 'synthesize_haze', 'SyntheticHaze']


def _check(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, Real) \
            or not low <= value <= high:
        raise ConfigError(f'synthesize_haze: {name} must be a number in '
                          f'[{low}, {high}], got {value!r}')


def haze_depth(shape, rng, near=0.2, noise=0.3, noise_scale=0.25):
    """Relative depth proxy of an image (see the module docstring).

    Args:
        shape (tuple): ``(H, W)`` (extra trailing dims are ignored).
        rng (np.random.Generator): source of the random field.
        near (float): depth of the nearest point, in [0, 1].
        noise (float): weight of the random field against the ramp, [0, 1].
        noise_scale (float): blob size / shorter image side, in (0, 1].

    Returns:
        np.ndarray: float32 ``HxW`` in [``near``, 1].
    """
    _check('near', near, 0, 1)
    _check('noise', noise, 0, 1)
    _check('noise_scale', noise_scale, 1e-3, 1)
    height, width = int(shape[0]), int(shape[1])
    ramp = np.linspace(1.0, 0.0, height, dtype=np.float32)[:, None]
    ramp = np.broadcast_to(ramp, (height, width))
    blob = max(1.0, noise_scale * min(height, width))
    grid = (int(np.ceil(height / blob)) + 1, int(np.ceil(width / blob)) + 1)
    coarse = rng.random(grid).astype(np.float32)
    field = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    span = float(field.max() - field.min())
    field = (field - field.min()) / span if span > 0 else \
        np.zeros_like(field)
    mix = (1 - noise) * ramp + noise * field
    return (near + (1 - near) * mix).astype(np.float32)


def synthesize_haze(img, rng, beta=1.2, airlight=0.9, near=0.2, noise=0.3,
                    noise_scale=0.25):
    """Add synthetic haze to an image.

    Args:
        img (np.ndarray): uint8 ``HxWx3`` RGB, 0-255 (the clean ``J``).
        rng (np.random.Generator): the only source of randomness.
        beta (float): scattering coefficient per unit relative depth, in
            [0, 10]; 0 leaves the image unchanged.
        airlight (float): atmospheric light ``A`` in [0, 1].
        near, noise, noise_scale: depth proxy, see :func:`haze_depth`.

    Returns:
        tuple: ``(hazy, transmission)``: hazy uint8 ``HxWx3`` RGB 0-255
        (rounded), and ``t`` float32 ``HxW`` in (0, 1].
    """
    if (not isinstance(img, np.ndarray) or img.dtype != np.uint8
            or img.ndim != 3 or img.shape[2] != 3):
        desc = (f'{img.dtype} {img.shape}' if isinstance(img, np.ndarray)
                else type(img).__name__)
        raise DataError(f'synthesize_haze: expected a uint8 HxWx3 RGB '
                        f'image, got {desc}')
    _check('beta', beta, 0, 10)
    _check('airlight', airlight, 0, 1)
    depth = haze_depth(img.shape, rng, near, noise, noise_scale)
    t = np.exp(-float(beta) * depth).astype(np.float32)
    clean = img.astype(np.float32) / 255.0
    hazy = clean * t[..., None] + float(airlight) * (1 - t[..., None])
    hazy = np.clip(np.rint(hazy * 255), 0, 255).astype(np.uint8)
    return hazy, t


@TRANSFORMS.register_module()
class SyntheticHaze(SyntheticDegradation):
    """Add synthetic haze to ``results[key]`` (see :func:`synthesize_haze`).

    Args:
        key (str): input key, uint8 ``HxWx3`` RGB.
        out_key (str | None): where the hazy image goes; None = ``key``.
        transmission_key (str | None): if given, the transmission map
            (float32 HxW, (0, 1]) is stored there too.
        seed (int | None): how each call's generator is drawn; see
            :class:`~lowvis.datasets.transforms.SyntheticDegradation`.
        **params: keyword arguments of :func:`synthesize_haze`; each may be
            a ``(low, high)`` pair, drawn uniformly per call
            (e.g. ``beta=(0.8, 1.6)``).
    """

    synthesize = staticmethod(synthesize_haze)

    def __init__(self, key='img_A', out_key=None, transmission_key=None,
                 seed=None, **params):
        super().__init__(key, out_key, transmission_key, seed, **params)
