"""Image reading and writing for datasets: :mod:`lowvis.utils.image_io`.

The code lives in ``lowvis.utils`` so that inference without torch (the
ONNX Runtime path) can read images without importing this package.
"""
from lowvis.utils.image_io import (IMAGE_EXTENSIONS, list_images, read_image,
                                   write_image)

__all__ = ['IMAGE_EXTENSIONS', 'list_images', 'read_image', 'write_image']
