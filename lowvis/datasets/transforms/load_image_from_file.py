"""Load an image file into the results dict (RGB uint8)."""
from mmcv.transforms import BaseTransform

from lowvis.registry import TRANSFORMS

from ..image_io import read_image

__all__ = ['LoadImageFromFile']


@TRANSFORMS.register_module()
class LoadImageFromFile(BaseTransform):
    """Read ``results[key + '_path']`` into ``results[key]``.

    Uses :func:`lowvis.datasets.read_image`: grayscale, RGBA, palette and
    16-bit files all become ``uint8`` ``HxWx3`` **RGB**, 0-255; JPEGs follow
    their EXIF orientation. Shadows mmcv's transform of the same name inside
    the ``lowvis`` scope.

    Adds ``results[key]`` and ``results[key + '_ori_shape']`` (``(H, W)``).

    Args:
        key (str): image key, e.g. ``'img_A'`` or ``'img_B'``.

    Raises:
        ImageReadError: the file cannot be read (names the file).
    """

    def __init__(self, key: str = 'img_A') -> None:
        self.key = key

    def transform(self, results: dict) -> dict:
        img = read_image(results[f'{self.key}_path'])
        results[self.key] = img
        results[f'{self.key}_ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(key={self.key!r})'
