"""Structural similarity (Wang et al. 2004) for images in 0-255."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from lowvis.utils.errors import ConfigError, DataError
from .image_utils import prepare_pair

_C1 = (0.01 * 255)**2
_C2 = (0.03 * 255)**2


def _gaussian_kernel(size=11, sigma=1.5):
    x = np.arange(size) - (size - 1) / 2
    kernel = np.exp(-x**2 / (2 * sigma**2))
    return kernel / kernel.sum()


# name -> (1-D separable kernel, covariance normalisation)
_WINDOWS = {
    # Wang et al.'s ssim_index.m, BasicSR, MATLAB scripts of most papers.
    'gaussian11': (_gaussian_kernel(11, 1.5), 1.0),
    # scikit-image's default (win_size=7, use_sample_covariance=True), which
    # SPANet's evaluation used: sample covariance over the 49 pixels.
    'uniform7': (np.full(7, 1 / 7), 49 / 48),
}


def _filter_valid(img, kernel):
    """Separable 2-D correlation of ``(H, W)`` ``img``, 'valid' region only."""
    out = sliding_window_view(img, kernel.size, axis=0) @ kernel
    return sliding_window_view(out, kernel.size, axis=1) @ kernel


def _ssim_channel(x, y, kernel, cov_norm):
    """Mean SSIM of two ``(H, W)`` float64 channels over the valid region."""
    mu_x = _filter_valid(x, kernel)
    mu_y = _filter_valid(y, kernel)
    var_x = cov_norm * (_filter_valid(x * x, kernel) - mu_x**2)
    var_y = cov_norm * (_filter_valid(y * y, kernel) - mu_y**2)
    cov_xy = cov_norm * (_filter_valid(x * y, kernel) - mu_x * mu_y)
    ssim_map = ((2 * mu_x * mu_y + _C1) * (2 * cov_xy + _C2)) / (
        (mu_x**2 + mu_y**2 + _C1) * (var_x + var_y + _C2))
    return ssim_map.mean()


def ssim(img, ref, crop_border=0, input_order='HWC', convert_to=None,
         channel_order='rgb', round_y=False, window='gaussian11'):
    """SSIM with L=255, K1=0.01, K2=0.03, averaged over the valid region.

    Statistics are computed only where the window fits inside the image (no
    padding); a colour image's SSIM is the mean of its channels' SSIMs.

    Args:
        img (np.ndarray | torch.Tensor): restored image(s) in 0-255, uint8
            or float, ``(H, W)``, one image in ``input_order`` or a batch
            with a leading N axis.
        ref (np.ndarray | torch.Tensor): reference image(s), same shape.
        crop_border (int): pixels removed from each side before scoring.
        input_order (str): ``'HWC'`` or ``'CHW'``.
        convert_to (str | None): ``None`` (all channels) or ``'Y'`` (luma of
            MATLAB's ``rgb2ycbcr``, 16-235).
        channel_order (str): ``'rgb'`` or ``'bgr'``, for ``'Y'`` only.
        round_y (bool): round Y to integers (MATLAB on uint8 images).
        window (str): ``'gaussian11'``: 11x11 Gaussian, sigma 1.5, population
            covariance (Wang et al., BasicSR, MATLAB scripts);
            ``'uniform7'``: scikit-image's default 7x7 mean window with
            sample covariance (reproduces SPANet's RGB numbers).

    Returns:
        float | np.ndarray: the SSIM of one image, or a float64 ``(N,)``
        array for a batch.
    """
    if window not in _WINDOWS:
        raise ConfigError(f'window={window!r} is not supported: use one of '
                          f'{tuple(_WINDOWS)}')
    kernel, cov_norm = _WINDOWS[window]
    img, ref, batched = prepare_pair(img, ref, crop_border, input_order,
                                     convert_to, channel_order, round_y)
    if min(img.shape[1:3]) < kernel.size:
        raise DataError(f'image of {img.shape[1]}x{img.shape[2]} pixels '
                        f'(after crop_border) is smaller than the '
                        f'{kernel.size}x{kernel.size} SSIM window')
    values = np.array([
        np.mean([
            _ssim_channel(a[..., c], b[..., c], kernel, cov_norm)
            for c in range(a.shape[-1])
        ]) for a, b in zip(img, ref)
    ])
    return values if batched else float(values[0])
