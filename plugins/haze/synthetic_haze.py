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
import inspect
from numbers import Real

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

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


def _draw(value, rng, name):
    """A number stays; a ``(low, high)`` pair is drawn uniformly."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or value[0] > value[1]:
            raise ConfigError(f'SyntheticHaze: {name} must be a number or a '
                              f'(low, high) pair, got {value!r}')
        return float(rng.uniform(value[0], value[1]))
    return value


@TRANSFORMS.register_module()
class SyntheticHaze(BaseTransform):
    """Add synthetic haze to ``results[key]`` (see :func:`synthesize_haze`).

    Args:
        key (str): input key, uint8 ``HxWx3`` RGB.
        out_key (str | None): where the hazy image goes; None = ``key``.
        transmission_key (str | None): if given, the transmission map
            (float32 HxW, (0, 1]) is stored there too.
        seed (int | None): None draws each call's generator from numpy's
            global RNG (mmengine seeds it per worker), so haze differs at
            every call. An int makes call ``i`` of this object use
            ``np.random.default_rng((seed, i))``: reproducible in one process.
        **params: keyword arguments of :func:`synthesize_haze`; each may be
            a ``(low, high)`` pair, drawn uniformly per call
            (e.g. ``beta=(0.8, 1.6)``).
    """

    def __init__(self, key='img_A', out_key=None, transmission_key=None,
                 seed=None, **params):
        super().__init__()
        allowed = set(inspect.signature(synthesize_haze).parameters)
        allowed -= {'img', 'rng'}
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ConfigError(f'SyntheticHaze: unknown parameter(s) {unknown};'
                              f' allowed: {sorted(allowed)}')
        self.key, self.out_key = key, out_key
        self.transmission_key = transmission_key
        self.seed, self.params = seed, dict(params)
        self._calls = 0

    def _rng(self):
        if self.seed is None:
            return np.random.default_rng(np.random.randint(0, 2**31 - 1))
        rng = np.random.default_rng((self.seed, self._calls))
        self._calls += 1
        return rng

    def transform(self, results):
        if self.key not in results:
            raise DataError(f'SyntheticHaze: key {self.key!r} not in the '
                            f'sample (keys: {sorted(results)}); load the '
                            'image first')
        rng = self._rng()
        params = {k: _draw(v, rng, k) for k, v in self.params.items()}
        hazy, t = synthesize_haze(results[self.key], rng, **params)
        results[self.out_key or self.key] = hazy
        if self.transmission_key:
            results[self.transmission_key] = t
        return results

    def __repr__(self):
        return (f'{type(self).__name__}(key={self.key!r}, '
                f'out_key={self.out_key!r}, seed={self.seed!r}, '
                f'params={self.params!r})')
