import math

import numpy as np
import pytest
import torch
from skimage import data
from skimage.metrics import peak_signal_noise_ratio

from lowvis.evaluation import psnr
from lowvis.evaluation.functional import matlab_round, rgb2y
from lowvis.utils.errors import ConfigError, DataError


def _pair(size=48, sigma=12.0, seed=0):
    clean = data.astronaut()[200:200 + size, 180:180 + size]
    rng = np.random.default_rng(seed)
    noisy = np.clip(clean + rng.normal(0, sigma, clean.shape), 0, 255)
    return clean, noisy.astype(np.uint8)


def test_psnr_matches_skimage_on_rgb():
    clean, noisy = _pair()
    expected = peak_signal_noise_ratio(clean, noisy, data_range=255)
    assert psnr(noisy, clean) == pytest.approx(expected, abs=1e-4)


def test_psnr_identical_is_inf():
    clean, _ = _pair()
    assert psnr(clean, clean) == math.inf


def test_psnr_hand_computed_and_float_input():
    img = np.full((4, 4, 3), 10.0)
    ref = np.full((4, 4, 3), 12.5)  # MSE = 6.25
    assert psnr(img, ref) == pytest.approx(10 * math.log10(255**2 / 6.25))


def test_y_matches_matlab_rgb2ycbcr_by_hand():
    # MATLAB rgb2ycbcr (BT.601): Y = 16 + (65.481 R + 128.553 G + 24.966 B)
    # / 255. Hand-computed: red 81.481, green 144.553, blue 40.966, white
    # 235, black 16; MATLAB's uint8 output rounds them to 81, 145, 41
    # (the well-known YCbCr of pure red/green/blue: (81,90,240),
    # (145,54,34), (41,240,110)).
    rgb = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255],
                    [0, 0, 0], [100, 150, 200]], dtype=np.float64)
    y = rgb2y(rgb)[:, 0]
    expected = [81.481, 144.553, 40.966, 235.0, 16.0, 16 + 30824.25 / 255]
    np.testing.assert_allclose(y, expected, atol=1e-9)
    np.testing.assert_array_equal(matlab_round(y)[:5], [81, 145, 41, 235, 16])
    np.testing.assert_allclose(rgb2y(rgb[:, ::-1], 'bgr')[:, 0], expected)


def test_psnr_y_and_round_y_by_hand():
    img = np.array([[[255, 0, 0], [0, 255, 0]]], dtype=np.uint8)  # 1x2 RGB
    ref = np.zeros_like(img)  # Y = 16
    mse = (65.481**2 + 128.553**2) / 2
    assert psnr(img, ref, convert_to='Y') == pytest.approx(
        10 * math.log10(255**2 / mse), abs=1e-9)
    mse_rounded = (65**2 + 129**2) / 2  # Y rounded to 81 and 145
    assert psnr(img, ref, convert_to='y', round_y=True) == pytest.approx(
        10 * math.log10(255**2 / mse_rounded), abs=1e-9)


def test_matlab_round_is_half_away_from_zero():
    np.testing.assert_array_equal(
        matlab_round(np.array([0.5, 1.5, 2.5, -0.5, 2.4])), [1, 2, 3, -1, 2])


def test_crop_border():
    clean, noisy = _pair()
    expected = peak_signal_noise_ratio(clean[4:-4, 4:-4], noisy[4:-4, 4:-4],
                                       data_range=255)
    assert psnr(noisy, clean, crop_border=4) == pytest.approx(expected)
    # errors only in the border: cropping them away gives inf
    border = clean.copy()
    border[0] = 0
    assert psnr(border, clean, crop_border=1) == math.inf


def test_input_order_torch_and_batch():
    clean, noisy = _pair()
    hwc = psnr(noisy, clean)
    chw = psnr(torch.from_numpy(noisy).permute(2, 0, 1).float(),
               torch.from_numpy(clean).permute(2, 0, 1), input_order='CHW')
    assert chw == pytest.approx(hwc)
    clean2, noisy2 = _pair(seed=1, sigma=5.0)
    batch = psnr(
        torch.from_numpy(np.stack([noisy, noisy2])).permute(0, 3, 1, 2),
        torch.from_numpy(np.stack([clean, clean2])).permute(0, 3, 1, 2),
        input_order='CHW')
    assert batch.shape == (2, )
    np.testing.assert_allclose(batch, [hwc, psnr(noisy2, clean2)])


def test_grey_image():
    clean, noisy = _pair()
    assert psnr(noisy[..., 0], clean[..., 0]) == pytest.approx(
        peak_signal_noise_ratio(clean[..., 0], noisy[..., 0],
                                data_range=255))


def test_errors_name_the_problem():
    clean, noisy = _pair()
    with pytest.raises(DataError, match='differs from reference shape'):
        psnr(noisy[:-1], clean)
    with pytest.raises(ConfigError, match="convert_to='ycbcr'"):
        psnr(noisy, clean, convert_to='ycbcr')
    with pytest.raises(ConfigError, match="input_order='NCHW'"):
        psnr(noisy, clean, input_order='NCHW')
    with pytest.raises(ConfigError, match='round_y=True needs'):
        psnr(noisy, clean, round_y=True)
    with pytest.raises(DataError, match='1 or 3 channels'):
        psnr(noisy, clean, input_order='CHW')
