"""Resize images to a fixed size (training pipelines only)."""
from typing import Sequence, Tuple, Union

import cv2
from mmcv.transforms import BaseTransform

from lowvis.registry import TRANSFORMS
from lowvis.utils.errors import ConfigError

from .keys import as_keys

__all__ = ['Resize']


@TRANSFORMS.register_module()
class Resize(BaseTransform):
    """Resize each image to ``size`` with cv2 bicubic interpolation.

    CycleGAN's ``load_size``: an image is resized to a square ``size x
    size`` (aspect ratio not kept) before a random crop. Evaluation never
    resizes; do not put this in test pipelines.

    Args:
        keys (str | list[str]): image keys (``HxWxC`` uint8 arrays).
        size (int | tuple[int, int]): ``S`` for ``SxS`` or ``(H, W)``.
    """

    def __init__(self, keys: Union[str, Sequence[str]],
                 size: Union[int, Tuple[int, int]]) -> None:
        self.keys = as_keys(keys)
        height, width = (size, size) if isinstance(size, int) else size
        if height <= 0 or width <= 0:
            raise ConfigError(f'size must be positive, got {size!r}')
        self.size = (int(height), int(width))

    def transform(self, results: dict) -> dict:
        height, width = self.size
        for key in self.keys:
            img = results[key]
            out = cv2.resize(img, (width, height),
                             interpolation=cv2.INTER_CUBIC)
            # cv2 drops a trailing channel axis of size 1.
            results[key] = out.reshape(height, width, *img.shape[2:])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'size={self.size})')
