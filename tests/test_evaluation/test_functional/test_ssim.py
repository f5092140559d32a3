import numpy as np
import pytest
import torch
from skimage import data
from skimage.metrics import structural_similarity

from lowvis.evaluation import ssim
from lowvis.evaluation.functional import rgb2y
from lowvis.utils.errors import ConfigError, DataError

# scikit-image pads the image (reflect) to filter it, then drops a border of
# (win_size - 1) // 2 pixels before averaging: with truncate=3.5 and
# sigma=1.5 its Gaussian window is 11 taps, so it averages exactly the valid
# region that lowvis (and BasicSR, MATLAB's filter2 'valid') uses. The values
# are therefore directly comparable, no cropping needed.
SKIMAGE_GAUSSIAN = dict(gaussian_weights=True, sigma=1.5,
                        use_sample_covariance=False, data_range=255)


def _pair(size=48, sigma=12.0, seed=0):
    clean = data.astronaut()[200:200 + size, 180:180 + size]
    rng = np.random.default_rng(seed)
    noisy = np.clip(clean + rng.normal(0, sigma, clean.shape), 0, 255)
    return clean, noisy.astype(np.uint8)


def test_ssim_matches_skimage_gaussian_rgb():
    clean, noisy = _pair()
    expected = structural_similarity(clean, noisy, channel_axis=-1,
                                     **SKIMAGE_GAUSSIAN)
    assert ssim(noisy, clean) == pytest.approx(expected, abs=1e-4)


def test_uniform7_matches_skimage_default_window():
    clean, noisy = _pair(seed=3)
    expected = structural_similarity(clean, noisy, channel_axis=-1,
                                     data_range=255)
    assert ssim(noisy, clean, window='uniform7') == pytest.approx(
        expected, abs=1e-4)


def test_ssim_identical_is_one_and_symmetric():
    clean, noisy = _pair()
    assert ssim(clean, clean) == pytest.approx(1.0)
    assert ssim(noisy, clean) == pytest.approx(ssim(clean, noisy))


def test_ssim_y_is_ssim_of_the_y_image():
    clean, noisy = _pair()
    # Y computed by hand with MATLAB's rgb2ycbcr luma row.
    w = np.array([65.481, 128.553, 24.966]) / 255
    y_clean, y_noisy = clean @ w + 16, noisy @ w + 16
    expected = structural_similarity(y_clean, y_noisy, **SKIMAGE_GAUSSIAN)
    assert ssim(noisy, clean, convert_to='Y') == pytest.approx(
        expected, abs=1e-4)
    expected_rounded = structural_similarity(
        np.floor(y_clean + 0.5), np.floor(y_noisy + 0.5), **SKIMAGE_GAUSSIAN)
    assert ssim(noisy, clean, convert_to='Y',
                round_y=True) == pytest.approx(expected_rounded, abs=1e-4)
    assert ssim(noisy, clean, convert_to='Y', round_y=True) != ssim(
        noisy, clean, convert_to='Y')
    np.testing.assert_allclose(rgb2y(clean.astype(float))[..., 0], y_clean)


def test_ssim_crop_border_and_orders():
    clean, noisy = _pair()
    expected = structural_similarity(clean[3:-3, 3:-3], noisy[3:-3, 3:-3],
                                     channel_axis=-1, **SKIMAGE_GAUSSIAN)
    assert ssim(noisy, clean, crop_border=3) == pytest.approx(expected)
    chw = ssim(torch.from_numpy(noisy).permute(2, 0, 1),
               torch.from_numpy(clean).permute(2, 0, 1), crop_border=3,
               input_order='CHW')
    assert chw == pytest.approx(expected)
    batch = ssim(np.stack([noisy, clean]), np.stack([clean, clean]))
    np.testing.assert_allclose(batch, [ssim(noisy, clean), 1.0])


def test_ssim_errors():
    clean, noisy = _pair(size=16)
    with pytest.raises(DataError, match='smaller than the 11x11'):
        ssim(noisy, clean, crop_border=3)
    with pytest.raises(ConfigError, match="window='box'"):
        ssim(noisy, clean, window='box')
