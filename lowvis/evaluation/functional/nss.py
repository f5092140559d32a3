"""Natural-scene statistics shared by NIQE and BRISQUE (Mittal et al.).

Both metrics normalise a grey image into MSCN coefficients (mean subtracted,
contrast normalised) and describe them, and the products of neighbouring
coefficients, by fitted (asymmetric) generalised Gaussian parameters.
"""
import numpy as np
from scipy.ndimage import correlate
from scipy.special import gamma

from lowvis.utils.errors import ConfigError
from .image_utils import BT601_LUMA, matlab_round, rgb2y, to_nhwc

# Shape-parameter grid of the reference MATLAB code: 0.2:0.001:10.
_ALPHAS = np.arange(9801) * 0.001 + 0.2
# AGGD: E[|x|]^2 / E[x^2] of a generalised Gaussian with shape alpha.
_AGGD_RATIO = gamma(2 / _ALPHAS)**2 / (gamma(1 / _ALPHAS) * gamma(3 / _ALPHAS))


def gaussian_window(size=7, sigma=7 / 6):
    """``(size, size)`` Gaussian summing to 1 (MATLAB ``fspecial``)."""
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-x**2 / (2 * sigma**2))
    window = np.outer(g, g)
    return window / window.sum()


def to_luma(img, input_order='HWC', convert_to='y', channel_order='rgb'):
    """Grey images in 0-255, rounded to integers, for the NSS metrics.

    The reference MATLAB code reads uint8 files, so its grey image is
    integer; rounding reproduces that for float inputs.

    Args:
        img: image(s) in 0-255 (see :func:`to_nhwc`); one channel is used
            as it is.
        convert_to (str): ``'y'``: Y of MATLAB's ``rgb2ycbcr`` (16-235);
            ``'gray'``: ``0.299 R + 0.587 G + 0.114 B`` (MATLAB
            ``rgb2gray``).
        channel_order (str): ``'rgb'`` or ``'bgr'``.

    Returns:
        tuple[np.ndarray, bool]: float64 ``(N, H, W)`` and whether the input
        was a batch.
    """
    img, batched = to_nhwc(img, input_order)
    mode = str(convert_to).lower()
    if mode not in ('y', 'gray'):
        raise ConfigError(f"convert_to={convert_to!r} is not supported: use "
                          "'y' or 'gray'")
    if img.shape[-1] == 3:
        if mode == 'y':
            img = rgb2y(img, channel_order)
        else:
            weights = BT601_LUMA if channel_order == 'rgb' else \
                BT601_LUMA[::-1]
            img = (img @ weights)[..., None]
    elif img.shape[-1] != 1:
        raise ConfigError(f'expected 1 or 3 channels, got {img.shape[-1]}: '
                          f'check input_order={input_order!r}')
    return matlab_round(img[..., 0]), batched


def mscn(img, window, mode):
    """MSCN coefficients ``(I - mu) / (sigma + 1)`` of a 0-255 grey image.

    Args:
        img (np.ndarray): ``(H, W)`` float64 in 0-255.
        window (np.ndarray): local weighting window, sums to 1.
        mode (str): border handling of :func:`scipy.ndimage.correlate`:
            ``'nearest'`` (MATLAB ``imfilter(..., 'replicate')``, NIQE) or
            ``'constant'`` (zeros, MATLAB ``filter2``, BRISQUE).
    """
    mu = correlate(img, window, mode=mode)
    sigma = np.sqrt(np.abs(correlate(img * img, window, mode=mode) - mu**2))
    return (img - mu) / (sigma + 1)


def fit_aggd(x):
    """Fit an asymmetric generalised Gaussian (moment matching on a grid).

    Args:
        x (np.ndarray): samples, any shape. Zeros count in the overall
            moments but in neither side's spread.

    Returns:
        tuple[float, float, float]: shape ``alpha`` (0.2 to 10 in steps of
        0.001) and the left and right standard deviations (of the negative
        and positive samples).
    """
    x = np.ravel(x)
    left_std = np.sqrt(np.mean(x[x < 0]**2))
    right_std = np.sqrt(np.mean(x[x > 0]**2))
    gamma_hat = left_std / right_std
    r_hat = np.mean(np.abs(x))**2 / np.mean(x**2)
    r_hat_norm = r_hat * (gamma_hat**3 + 1) * (gamma_hat + 1) / (
        gamma_hat**2 + 1)**2
    alpha = _ALPHAS[np.argmin((_AGGD_RATIO - r_hat_norm)**2)]
    return float(alpha), float(left_std), float(right_std)


def aggd_scale_factor(alpha):
    """``sqrt(Gamma(1/alpha) / Gamma(3/alpha))``: std -> AGGD scale beta."""
    return float(np.sqrt(gamma(1 / alpha) / gamma(3 / alpha)))


def aggd_mean(alpha, beta_left, beta_right):
    """Mean of an AGGD from its shape and left/right scales (eta)."""
    return float((beta_right - beta_left) * gamma(2 / alpha) /
                 gamma(1 / alpha))
