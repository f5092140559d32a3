"""NIQE: Natural Image Quality Evaluator (Mittal, Soundararajan, Bovik 2013).

Follows the authors' MATLAB release (``computequality.m``), with the
pristine model it ships: 96x96 blocks, MSCN with a 7x7 Gaussian and
replicated borders, 18 AGGD features per block at full and half size
(MATLAB bicubic ``imresize``), then the distance between the image's
multivariate Gaussian and the pristine one. Lower is better.
"""
import numpy as np

from lowvis.utils.errors import DataError
from .matlab_imresize import imresize
from .model_files import niqe_pristine_model
from .nss import aggd_mean, aggd_scale_factor, fit_aggd, mscn, to_luma

BLOCK = 96
# Neighbour offsets (rows, cols) of the four pairwise products.
_SHIFTS = ((0, 1), (1, 0), (1, 1), (-1, 1))


def _block_features(block):
    """18 NIQE features of one MSCN block ``(h, w)``."""
    alpha, left, right = fit_aggd(block)
    scale = aggd_scale_factor(alpha)
    feats = [alpha, (left + right) * scale / 2]
    for shift in _SHIFTS:
        # MATLAB circshift: products wrap around the block's edges.
        pair = block * np.roll(block, shift, axis=(0, 1))
        alpha, left, right = fit_aggd(pair)
        scale = aggd_scale_factor(alpha)
        beta_l, beta_r = left * scale, right * scale
        feats += [alpha, aggd_mean(alpha, beta_l, beta_r), beta_l, beta_r]
    return feats


def niqe_features(luma):
    """Per-block features ``(n_blocks, 36)`` of a 0-255 grey image.

    The image is cut to whole 96x96 blocks (bottom/right remainder dropped).
    """
    _, _, window = niqe_pristine_model()
    rows, cols = luma.shape[0] // BLOCK, luma.shape[1] // BLOCK
    img = luma[:rows * BLOCK, :cols * BLOCK]
    per_scale = []
    for scale in (1, 2):
        coeffs = mscn(img, window, mode='nearest')
        size = BLOCK // scale
        per_scale.append([
            _block_features(coeffs[r * size:(r + 1) * size,
                                   c * size:(c + 1) * size])
            for c in range(cols) for r in range(rows)
        ])
        img = imresize(img, 0.5)
    return np.concatenate([np.array(f) for f in per_scale], axis=1)


def _niqe_one(luma):
    if luma.shape[0] < BLOCK or luma.shape[1] < BLOCK or \
            (luma.shape[0] // BLOCK) * (luma.shape[1] // BLOCK) < 2:
        raise DataError(f'NIQE needs at least two {BLOCK}x{BLOCK} blocks, '
                        f'the image has {luma.shape[0]}x{luma.shape[1]} '
                        'pixels: use a larger image (e.g. 96x192)')
    mu_pris, cov_pris, _ = niqe_pristine_model()
    feats = niqe_features(luma)
    mu = np.nanmean(feats, axis=0)
    # MATLAB nancov: drop blocks with any undefined feature (flat blocks).
    cov = np.cov(feats[~np.isnan(feats).any(axis=1)], rowvar=False)
    diff = mu_pris - mu
    return float(np.sqrt(diff @ np.linalg.pinv((cov_pris + cov) / 2) @ diff))


def niqe(img, crop_border=0, input_order='HWC', convert_to='y',
         channel_order='rgb'):
    """NIQE score of an image (lower is better; about 2-4 for clean photos).

    Args:
        img (np.ndarray | torch.Tensor): image(s) in 0-255, uint8 or float,
            ``(H, W)``, one image in ``input_order`` or a batch with a
            leading N axis; at least 96x192 (two 96x96 blocks).
        crop_border (int): pixels removed from each side first.
        input_order (str): ``'HWC'`` or ``'CHW'``.
        convert_to (str): ``'y'`` (Y of MATLAB's ``rgb2ycbcr``, as BasicSR)
            or ``'gray'`` (MATLAB ``rgb2gray``, as the authors' demo);
            the grey image is rounded to integers like a uint8 image.
        channel_order (str): ``'rgb'`` or ``'bgr'``.

    Returns:
        float | np.ndarray: the score, or a float64 ``(N,)`` array for a
        batch.
    """
    luma, batched = to_luma(img, input_order, convert_to, channel_order)
    if crop_border:
        luma = luma[:, crop_border:-crop_border, crop_border:-crop_border]
    values = np.array([_niqe_one(one) for one in luma])
    return values if batched else float(values[0])
