"""Read image files into RGB arrays, whatever their format, and list folders.

(Needs only numpy and OpenCV, not torch, so the ONNX Runtime inference path
can use it; :mod:`lowvis.datasets` re-exports it.)

Every image lowvis reads goes through :func:`read_image`, so datasets,
inference and converters agree on what a file contains:

* colour order is **RGB**, shape ``HxWx3``;
* grayscale is replicated to three channels;
* an alpha channel is **dropped** (the stored colour values are kept; no
  compositing over any background);
* palette images are expanded to RGB;
* 16-bit files become ``uint8`` by rounding ``x / 257`` (65535 -> 255), unless
  ``keep_depth=True`` asks for the ``uint16`` values;
* JPEG files are rotated/flipped by their EXIF orientation tag, as photo
  viewers show them (cv2's ``IMREAD_COLOR`` does this for JPEGs). Other
  formats are decoded with ``IMREAD_UNCHANGED``, which ignores orientation.
"""
import os
import os.path as osp
from typing import List

import cv2
import numpy as np

from .errors import ImageReadError

__all__ = ['BT601_LUMA', 'IMAGE_EXTENSIONS', 'list_images', 'read_image',
           'write_image']

#: ITU-R BT.601 luma weights of R, G, B (MATLAB rgb2gray, OpenCV RGB2GRAY)
BT601_LUMA = np.array([0.299, 0.587, 0.114])

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')

_JPEG_MAGIC = b'\xff\xd8\xff'


def list_images(folder: str) -> List[str]:
    """Image files directly inside ``folder``, sorted by file name.

    Extensions (case-insensitive): jpg, jpeg, png, bmp, tif, tiff, webp.
    Hidden files (name starting with ``.``, e.g. macOS ``._x.jpg``) and
    sub-folders are skipped. The caller checks that ``folder`` exists.

    Returns:
        list[str]: paths ``osp.join(folder, name)``.
    """
    names = [
        name for name in os.listdir(folder)
        if not name.startswith('.')
        and osp.splitext(name)[1].lower() in IMAGE_EXTENSIONS
        and osp.isfile(osp.join(folder, name))
    ]
    return [osp.join(folder, name) for name in sorted(names)]


def _decode(path: str) -> np.ndarray:
    """Decode a file with cv2: BGR(A) or gray, uint8 or uint16."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as err:
        raise ImageReadError(
            f'cannot read image file {path}: {err.strerror or err}') from None
    if data.size == 0:
        raise ImageReadError(f'image file {path} is empty (0 bytes)')
    # JPEG: IMREAD_COLOR applies the EXIF orientation (JPEG is 8-bit anyway).
    flags = cv2.IMREAD_COLOR if data[:3].tobytes() == _JPEG_MAGIC \
        else cv2.IMREAD_UNCHANGED
    img = cv2.imdecode(data, flags)
    if img is None:
        raise ImageReadError(
            f'cannot decode {path}: not an image or a corrupt file '
            '(supported: jpg, png, bmp, tif, webp)')
    return img


def _to_rgb(img: np.ndarray, path: str) -> np.ndarray:
    """Gray / gray+alpha / BGR / BGRA (HxW or HxWxC) to RGB HxWx3."""
    if img.ndim == 2:
        img = img[:, :, None]
    channels = img.shape[2]
    if channels in (1, 2):  # gray, gray+alpha: drop alpha, replicate
        return np.repeat(img[:, :, :1], 3, axis=2)
    if channels in (3, 4):  # BGR, BGRA: drop alpha, reverse order
        return np.ascontiguousarray(img[:, :, 2::-1])
    raise ImageReadError(
        f'image {path} has {channels} channels; expected 1 to 4')


def read_image(path: str, keep_depth: bool = False) -> np.ndarray:
    """Read an image file as an RGB array.

    Args:
        path (str): the image file.
        keep_depth (bool): if True, a 16-bit file is returned as ``uint16``
            (0-65535); 8-bit files are ``uint8`` either way.

    Returns:
        np.ndarray: ``HxWx3``, **RGB**, ``uint8`` 0-255 (or ``uint16``
        0-65535 for a 16-bit file with ``keep_depth=True``).

    Raises:
        ImageReadError: the file is missing, unreadable, not an image, or of
            an unsupported sample type (e.g. floating point TIFF).
    """
    img = _to_rgb(_decode(path), path)
    if img.dtype == np.uint8:
        return img
    if img.dtype == np.uint16:
        if keep_depth:
            return img
        # round(x / 257): never a tie for integer x, so +128 then floor.
        return ((img.astype(np.uint32) + 128) // 257).astype(np.uint8)
    raise ImageReadError(
        f'image {path} has {img.dtype} samples; lowvis reads 8- and 16-bit '
        'images only (convert it to 8- or 16-bit PNG)')


def write_image(path: str, img: np.ndarray) -> None:
    """Write an RGB ``HxWx3`` uint8/uint16 array (format from extension).

    Creates the parent folder. Raises :class:`ImageReadError` if cv2 cannot
    encode or write the file.
    """
    parent = osp.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    ext = osp.splitext(path)[1]
    ok, buf = cv2.imencode(ext, np.ascontiguousarray(img[:, :, ::-1]))
    if not ok:
        raise ImageReadError(f'cannot encode image as {ext!r} for {path}')
    try:
        buf.tofile(path)
    except OSError as err:
        raise ImageReadError(
            f'cannot write image file {path}: {err.strerror or err}') from None
