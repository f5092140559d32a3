"""Images in and out of a restoring network, shared by both back-ends.

What an image file holds (RGB, gray or RGBA, 8 or 16 bits) becomes the
network's input, ``float32 [1, 3, H, W]`` RGB in [-1, 1], and the network's
output goes back to the input's layout, dtype and size:

* ``HxWx3`` RGB is restored; ``HxWx4`` RGBA: RGB restored, alpha copied
  unchanged; ``HxW`` (or ``HxWx1``) gray is replicated to RGB for the network
  and the restored RGB is turned back into gray with the BT.601 luma weights
  (0.299, 0.587, 0.114);
* ``uint8`` maps to ``x / 127.5 - 1`` and ``uint16`` to ``x / 32767.5 - 1``
  (no 8-bit quantisation); outputs are rounded back to the input's dtype.

Only numpy and OpenCV are needed (no torch).
"""
import os.path as osp

import cv2
import numpy as np

from lowvis.utils.errors import ImageReadError
from lowvis.utils.image_io import BT601_LUMA, read_image, write_image

__all__ = ['split_layout', 'to_network', 'from_network', 'load_image',
           'save_image']

_ALPHA_FORMATS = ('.png', '.tif', '.tiff', '.webp')


def split_layout(image):
    """``(rgb HxWx3, alpha or None, was_gray)`` of an input image.

    Raises:
        ValueError: not a ``uint8``/``uint16`` HxW, HxWx1, HxWx3 or HxWx4
            array.
    """
    if not isinstance(image, np.ndarray) or image.dtype not in (
            np.uint8, np.uint16):
        raise ValueError('restore expects a uint8 or uint16 numpy image, got '
                         f'{getattr(image, "dtype", type(image).__name__)}')
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2), None, True
    if image.ndim == 3 and image.shape[2] in (3, 4):
        alpha = image[:, :, 3] if image.shape[2] == 4 else None
        return image[:, :, :3], alpha, False
    raise ValueError(f'restore expects an HxW, HxWx3 or HxWx4 image, got '
                     f'shape {image.shape}')


def to_network(rgb):
    """``HxWx3`` uint8/uint16 RGB -> ``float32 [1, 3, H, W]`` in [-1, 1]."""
    peak = float(np.iinfo(rgb.dtype).max)
    x = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32)
    x /= np.float32(peak / 2)
    x -= np.float32(1.0)
    return x


def from_network(out, image, alpha, was_gray):
    """Network output ``float32 [3, H, W]`` in [-1, 1] -> an array of
    ``image``'s shape and dtype (alpha and gray as :func:`split_layout`
    found them). ``out`` may be overwritten."""
    peak = float(np.iinfo(image.dtype).max)
    # float32 holds every 16-bit value exactly; work in place to save memory
    out = out.transpose(1, 2, 0)
    out = np.add(out, 1.0, dtype=np.float32)
    out *= peak / 2
    out = np.clip(out, 0, peak, out=out)
    if was_gray:
        out = out @ BT601_LUMA.astype(out.dtype)
    elif alpha is not None:
        out = np.concatenate([out, alpha[:, :, None].astype(out.dtype)],
                             axis=2)
    out = np.clip(np.rint(out, out=out), 0, peak, out=out)
    return out.astype(image.dtype).reshape(image.shape)


def load_image(path):
    """An image file as the restorers take it: RGB (EXIF-rotated for JPEG),
    or gray, or RGBA, as the file stores it; 8- or 16-bit.

    Raises:
        ImageReadError: the file is missing, unreadable or not an image.
    """
    rgb = read_image(path, keep_depth=True)
    if osp.splitext(path)[1].lower() not in _ALPHA_FORMATS:
        return rgb
    raw = cv2.imdecode(np.fromfile(path, dtype=np.uint8),
                       cv2.IMREAD_UNCHANGED)
    if raw.ndim == 2 or raw.shape[2] == 1:
        return rgb[:, :, 0]
    if raw.shape[2] in (2, 4):
        return np.concatenate([rgb, raw[:, :, -1:].astype(rgb.dtype)], axis=2)
    return rgb


def save_image(path, img):
    """Write ``HxW`` gray, ``HxWx3`` RGB or ``HxWx4`` RGBA (uint8/uint16)
    as PNG."""
    if img.ndim == 3 and img.shape[2] == 3:
        write_image(path, img)
        return
    data = img if img.ndim == 2 else img[:, :, [2, 1, 0, 3]]
    if not cv2.imwrite(path, np.ascontiguousarray(data)):
        raise ImageReadError(f'cannot write image file {path}')
