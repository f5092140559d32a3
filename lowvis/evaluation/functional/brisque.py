"""BRISQUE: Blind/Referenceless Image Spatial Quality Evaluator.

Mittal, Moorthy, Bovik, IEEE TIP 2012, scored with the LIVE lab's released
epsilon-SVR (``allmodel`` with its feature ranges). Features, per scale
(full size, then half size): AGGD fit of the MSCN coefficients (shape and
mean variance) and of their products with the right, lower, lower-right and
upper-right neighbours (shape, mean, left and right variance); 36 in all.
Where the paper leaves details open, the choices follow the released C++
code that produced the model's feature ranges (AGGD for the MSCN field,
OpenCV bicubic halving) and the ``brisque`` Python package (zero-padded
filtering, products of true neighbours without wrap-around). Lower is
better.
"""
import cv2
import numpy as np

from lowvis.utils.errors import DataError
from .model_files import brisque_model
from .nss import aggd_mean, aggd_scale_factor, fit_aggd, gaussian_window, \
    mscn, to_luma

_WINDOW = gaussian_window(7, 7 / 6)


def _neighbour_products(coeffs):
    """Products with the right, lower, lower-right, upper-right neighbour."""
    return (coeffs[:, :-1] * coeffs[:, 1:], coeffs[:-1, :] * coeffs[1:, :],
            coeffs[:-1, :-1] * coeffs[1:, 1:],
            coeffs[1:, :-1] * coeffs[:-1, 1:])


def _scale_features(luma):
    coeffs = mscn(luma, _WINDOW, mode='constant')
    alpha, left, right = fit_aggd(coeffs)
    feats = [alpha, (left**2 + right**2) / 2]
    for pair in _neighbour_products(coeffs):
        alpha, left, right = fit_aggd(pair)
        scale = aggd_scale_factor(alpha)
        feats += [alpha, aggd_mean(alpha, left * scale, right * scale),
                  left**2, right**2]
    return feats


def brisque_features(luma):
    """The 36 raw BRISQUE features of a ``(H, W)`` 0-255 grey image."""
    half = cv2.resize(luma, None, fx=0.5, fy=0.5,
                      interpolation=cv2.INTER_CUBIC)
    return np.array(_scale_features(luma) + _scale_features(half))


def brisque_from_features(features):
    """SVR prediction from raw features: scale to [-1, 1], RBF kernel sum."""
    model = brisque_model()
    lo, hi = model['feature_min'], model['feature_max']
    scaled = -1 + 2 * (features - lo) / (hi - lo)
    sq_dist = np.sum((model['support_vectors'] - scaled)**2, axis=1)
    kernel = np.exp(-model['gamma'] * sq_dist)
    return float(model['coefs'] @ kernel - model['rho'])


def brisque(img, crop_border=0, input_order='HWC', convert_to='gray',
            channel_order='rgb'):
    """BRISQUE score (lower is better; roughly 0-100, may be negative).

    Args:
        img (np.ndarray | torch.Tensor): image(s) in 0-255, uint8 or float,
            ``(H, W)``, one image in ``input_order`` or a batch with a
            leading N axis; at least 16x16.
        crop_border (int): pixels removed from each side first.
        input_order (str): ``'HWC'`` or ``'CHW'``.
        convert_to (str): ``'gray'`` (``0.299 R + 0.587 G + 0.114 B``, the
            reference code's grey image) or ``'y'`` (MATLAB ``rgb2ycbcr``
            Y); rounded to integers like a uint8 image.
        channel_order (str): ``'rgb'`` or ``'bgr'``.

    Returns:
        float | np.ndarray: the score, or a float64 ``(N,)`` array for a
        batch.
    """
    luma, batched = to_luma(img, input_order, convert_to, channel_order)
    if crop_border:
        luma = luma[:, crop_border:-crop_border, crop_border:-crop_border]
    if min(luma.shape[1:]) < 16:
        raise DataError(f'BRISQUE needs at least 16x16 pixels, the image has '
                        f'{luma.shape[1]}x{luma.shape[2]}')
    values = np.array([brisque_from_features(brisque_features(one))
                       for one in luma])
    return values if batched else float(values[0])
