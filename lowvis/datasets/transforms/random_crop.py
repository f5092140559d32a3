"""Random crops, independent per image (unpaired) or at one location."""
from typing import Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform

from lowvis.registry import TRANSFORMS
from lowvis.utils import ConfigError, DataError

from .keys import as_keys

__all__ = ['RandomCrop']

_PAD_MODES = ('reflect', 'error')


@TRANSFORMS.register_module()
class RandomCrop(BaseTransform):
    """Crop ``crop_size`` patches from ``HxWxC`` images.

    Offsets come from numpy's global RNG, which the unpaired dataset seeds
    for each sample from ``(dataset seed, epoch, index)``
    (:func:`~lowvis.datasets.sample_rng.seeded_global_rng`), so runs are
    reproducible and a sample gets the same crop whatever the worker
    count.

    An image smaller than the crop (in height or width) is reflect-padded
    evenly on both sides up to the crop size (``pad_if_smaller='reflect'``)
    or rejected (``'error'``).

    Args:
        keys (str | list[str]): image keys.
        crop_size (int | tuple[int, int]): ``S`` for ``SxS`` or ``(H, W)``.
        same_location (bool): crop every key at the same offset (paired
            data; the images must have equal sizes). If False, each key gets
            its own offset (unpaired data).
        pad_if_smaller (str): ``'reflect'`` or ``'error'``.

    Raises:
        DataError: an image is smaller than the crop with
            ``pad_if_smaller='error'`` (names the file and size), or images
            cropped at the same location differ in size.
    """

    def __init__(self,
                 keys: Union[str, Sequence[str]],
                 crop_size: Union[int, Tuple[int, int]],
                 same_location: bool = False,
                 pad_if_smaller: str = 'reflect') -> None:
        self.keys = as_keys(keys)
        height, width = (crop_size, crop_size) if isinstance(
            crop_size, int) else crop_size
        if height <= 0 or width <= 0:
            raise ConfigError(f'crop_size must be positive, got {crop_size!r}')
        if pad_if_smaller not in _PAD_MODES:
            raise ConfigError(f'pad_if_smaller must be one of {_PAD_MODES}, '
                              f'got {pad_if_smaller!r}')
        self.crop_size = (int(height), int(width))
        self.same_location = same_location
        self.pad_if_smaller = pad_if_smaller

    def _fit(self, results: dict, key: str) -> np.ndarray:
        """The image of ``key``, padded up to the crop size if needed."""
        img = results[key]
        height, width = img.shape[:2]
        crop_h, crop_w = self.crop_size
        if height >= crop_h and width >= crop_w:
            return img
        if self.pad_if_smaller == 'error':
            name = results.get(f'{key}_path', key)
            raise DataError(
                f'image {name} is {height}x{width} (HxW), smaller than the '
                f'crop {crop_h}x{crop_w}; remove it, lower crop_size or use '
                "pad_if_smaller='reflect'")
        pad_h, pad_w = max(crop_h - height, 0), max(crop_w - width, 0)
        pads = [(pad_h // 2, pad_h - pad_h // 2),
                (pad_w // 2, pad_w - pad_w // 2)]
        pads += [(0, 0)] * (img.ndim - 2)
        return np.pad(img, pads, mode='reflect')

    def _offset(self, shape: Tuple[int, ...]) -> Tuple[int, int]:
        top = np.random.randint(0, shape[0] - self.crop_size[0] + 1)
        left = np.random.randint(0, shape[1] - self.crop_size[1] + 1)
        return top, left

    def transform(self, results: dict) -> dict:
        imgs = {key: self._fit(results, key) for key in self.keys}
        if self.same_location:
            shapes = {key: img.shape[:2] for key, img in imgs.items()}
            if len(set(shapes.values())) > 1:
                raise DataError(
                    f'RandomCrop(same_location=True) needs equal image '
                    f'sizes, got {shapes} for '
                    f'{[results.get(k + "_path", k) for k in self.keys]}')
            shared = self._offset(next(iter(imgs.values())).shape)
        crop_h, crop_w = self.crop_size
        for key, img in imgs.items():
            top, left = shared if self.same_location else \
                self._offset(img.shape)
            results[key] = np.ascontiguousarray(
                img[top:top + crop_h, left:left + crop_w])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'crop_size={self.crop_size}, '
                f'same_location={self.same_location}, '
                f'pad_if_smaller={self.pad_if_smaller!r})')
