"""Shared input handling for the full-reference metric functions.

Every metric function accepts images in 0-255 (uint8 or float), as numpy
arrays or torch tensors, one image or a batch, and turns them into a float64
``(N, H, W, C)`` numpy array here so the metrics themselves stay short.
"""
import numpy as np

from lowvis.utils.errors import ConfigError, DataError
from lowvis.utils.image_io import BT601_LUMA  # noqa: F401  (re-exported)

# MATLAB rgb2ycbcr (ITU-R BT.601, "studio swing" 16-235): the luma row of
# its matrix for RGB in [0, 1], i.e. 219 * (0.299, 0.587, 0.114).
_Y_WEIGHTS_RGB = np.array([65.481, 128.553, 24.966])
_Y_OFFSET = 16.0


_INPUT_ORDERS = ('HWC', 'CHW')
_CHANNEL_ORDERS = ('rgb', 'bgr')


def to_uint8(img):
    """Round and clip an image to uint8, as saving it to PNG would.

    Args:
        img (torch.Tensor | np.ndarray): any shape, values in 0-255.

    Returns:
        np.ndarray: ``uint8``, same shape and layout.
    """
    if hasattr(img, 'detach'):  # torch.Tensor, without importing torch
        img = img.detach().cpu().numpy()
    return np.clip(np.round(np.asarray(img, dtype=np.float64)), 0,
                   255).astype(np.uint8)


def to_nhwc(img, input_order='HWC'):
    """Convert an image or a batch to ``float64 ndarray (N, H, W, C)``.

    Args:
        img (np.ndarray | torch.Tensor): ``(H, W)`` grey image, one image in
            ``input_order`` (``(H, W, C)`` or ``(C, H, W)``) or a batch with
            a leading N axis (``(N, H, W, C)`` or ``(N, C, H, W)``).
        input_order (str): ``'HWC'`` or ``'CHW'``.

    Returns:
        tuple[np.ndarray, bool]: the array and whether the input was a batch.
    """
    if input_order not in _INPUT_ORDERS:
        raise ConfigError(f"input_order={input_order!r} is not supported: "
                          f"use one of {_INPUT_ORDERS}")
    if hasattr(img, 'detach'):  # torch.Tensor, without importing torch
        img = img.detach().cpu().numpy()
    img = np.asarray(img, dtype=np.float64)
    if img.ndim == 2:
        return img[None, :, :, None], False
    if img.ndim not in (3, 4):
        raise DataError(f'an image must have 2, 3 or 4 dimensions, got '
                        f'shape {img.shape}')
    batched = img.ndim == 4
    if not batched:
        img = img[None]
    if input_order == 'CHW':
        img = img.transpose(0, 2, 3, 1)
    return img, batched


def rgb2y(img, channel_order='rgb'):
    """Luma Y of MATLAB's ``rgb2ycbcr`` (BT.601), in 16-235, not rounded.

    ``Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255`` for R, G, B in
    0-255.

    Args:
        img (np.ndarray): ``(..., 3)`` colour images in 0-255.
        channel_order (str): ``'rgb'`` or ``'bgr'`` (OpenCV order).

    Returns:
        np.ndarray: ``(..., 1)`` float64 Y in 16-235.
    """
    if channel_order not in _CHANNEL_ORDERS:
        raise ConfigError(f"channel_order={channel_order!r} is not "
                          f"supported: use one of {_CHANNEL_ORDERS}")
    weights = _Y_WEIGHTS_RGB if channel_order == 'rgb' else \
        _Y_WEIGHTS_RGB[::-1]
    return (img @ weights / 255.0 + _Y_OFFSET)[..., None]


def matlab_round(x):
    """Round half away from zero, as MATLAB's ``round`` and uint8 casts do.

    ``np.round`` rounds half to even, which differs on exact .5 values.
    """
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def prepare_pair(img, ref, crop_border=0, input_order='HWC',
                 convert_to=None, channel_order='rgb', round_y=False):
    """Bring a prediction and its reference to the space a metric scores.

    Applies, in order: layout to ``(N, H, W, C)``, optional Y conversion
    (and rounding), border crop.

    Args:
        img, ref: images in 0-255, same shape (see :func:`to_nhwc`).
        crop_border (int): pixels removed from each side before scoring.
        input_order (str): ``'HWC'`` or ``'CHW'``.
        convert_to (str | None): ``None`` (score all channels) or ``'Y'``.
        channel_order (str): ``'rgb'`` or ``'bgr'``; used by ``'Y'`` only.
        round_y (bool): round Y to integers (MATLAB on uint8 images).

    Returns:
        tuple[np.ndarray, np.ndarray, bool]: both float64 ``(N, H, W, C)``
        arrays and whether the input was a batch.
    """
    img, batched = to_nhwc(img, input_order)
    ref, _ = to_nhwc(ref, input_order)
    if img.shape != ref.shape:
        raise DataError(f'image shape {img.shape[1:]} (HWC) differs from '
                        f'reference shape {ref.shape[1:]}: score images of '
                        'the same size')
    if img.shape[-1] not in (1, 3):
        raise DataError(f'images must have 1 or 3 channels, got '
                        f'{img.shape[-1]}: check input_order={input_order!r}')
    img = _convert(img, convert_to, channel_order, round_y)
    ref = _convert(ref, convert_to, channel_order, round_y)
    crop_border = int(crop_border)
    if crop_border < 0:
        raise ConfigError(f'crop_border must be >= 0, got {crop_border}')
    if crop_border > 0:
        if 2 * crop_border >= min(img.shape[1:3]):
            raise DataError(f'crop_border={crop_border} removes the whole '
                            f'{img.shape[1]}x{img.shape[2]} image')
        crop = slice(crop_border, -crop_border)
        img, ref = img[:, crop, crop], ref[:, crop, crop]
    return img, ref, batched


def _convert(img, convert_to, channel_order, round_y):
    if convert_to is None:
        if round_y:
            raise ConfigError("round_y=True needs convert_to='Y'")
        return img
    if str(convert_to).upper() != 'Y':
        raise ConfigError(f"convert_to={convert_to!r} is not supported: use "
                          "None (all channels) or 'Y'")
    # A one-channel image is already grey: it is scored as it is.
    y = rgb2y(img, channel_order) if img.shape[-1] == 3 else img
    return matlab_round(y) if round_y else y
