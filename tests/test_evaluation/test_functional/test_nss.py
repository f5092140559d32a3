import math

import numpy as np
import pytest

from lowvis.evaluation.functional import imresize
from lowvis.evaluation.functional.nss import (aggd_mean, aggd_scale_factor,
                                              fit_aggd, gaussian_window,
                                              to_luma)
from lowvis.utils.errors import ConfigError


def test_fit_aggd_spreads_exclude_zeros():
    alpha, left, right = fit_aggd(np.array([-2., -1., 0., 1., 2., 3.]))
    assert left == pytest.approx(math.sqrt((4 + 1) / 2))
    assert right == pytest.approx(math.sqrt((1 + 4 + 9) / 3))
    assert 0.2 <= alpha <= 10


def test_fit_aggd_recovers_known_shapes():
    rng = np.random.default_rng(0)
    alpha, left, right = fit_aggd(rng.normal(0, 2, 200_000))
    assert alpha == pytest.approx(2.0, abs=0.05)
    assert left == pytest.approx(2.0, rel=0.02)
    assert right == pytest.approx(2.0, rel=0.02)
    alpha, _, _ = fit_aggd(rng.laplace(0, 1, 200_000))
    assert alpha == pytest.approx(1.0, abs=0.05)


def test_aggd_helpers_by_hand():
    # Gaussian (alpha=2): Gamma(1/2)/Gamma(3/2) = 2, so beta = sqrt(2) std
    assert aggd_scale_factor(2.0) == pytest.approx(math.sqrt(2))
    assert aggd_mean(1.3, 0.7, 0.7) == 0.0
    # alpha=1: Gamma(2)/Gamma(1) = 1, mean = beta_r - beta_l
    assert aggd_mean(1.0, 1.0, 3.0) == pytest.approx(2.0)


def test_gaussian_window():
    w = gaussian_window(7, 7 / 6)
    assert w.shape == (7, 7) and w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w, w.T)
    assert w[3, 3] == w.max()


def test_to_luma_rounds_like_uint8():
    rgb = np.array([[[255, 0, 0], [0, 255, 0]]], dtype=np.float64)
    y, batched = to_luma(rgb, convert_to='y')
    np.testing.assert_array_equal(y, [[[81, 145]]])  # MATLAB rgb2ycbcr
    grey, _ = to_luma(rgb, convert_to='gray')
    np.testing.assert_array_equal(grey, [[[76, 150]]])  # 76.245, 149.685
    assert not batched
    with pytest.raises(ConfigError, match="convert_to='lab'"):
        to_luma(rgb, convert_to='lab')


def test_imresize_matches_matlab_port():
    # Reference: BasicSR 1.4.2 basicsr/utils/matlab_functions.imresize (a
    # port of MATLAB's imresize, bicubic, antialiasing), run once in a
    # scratch environment; it computes in float32, hence atol 1e-4.
    x = (np.arange(80, dtype=np.float64).reshape(8, 10)**1.5) / 10
    expected = [[1.415767, 2.08138, 2.893151, 3.821801, 4.863284],
                [12.78016, 14.356856, 15.966543, 17.63172, 19.373716],
                [30.782917, 32.871002, 34.974976, 37.12266, 39.342304],
                [53.601677, 56.104527, 58.61068, 61.153713, 63.767612]]
    np.testing.assert_allclose(imresize(x, 0.5), expected, atol=1e-4)
    odd = [[1.415767, 2.08138, 2.893151, 3.852742, 4.560404],
           [12.78016, 14.356856, 15.966543, 17.682356, 18.88208],
           [31.482458, 33.581726, 35.696575, 37.919502, 39.459644],
           [46.672943, 49.07073, 51.474693, 53.98962, 55.72665]]
    np.testing.assert_allclose(imresize(x[:7, :9], 0.5), odd, atol=1e-4)
    np.testing.assert_allclose(imresize(np.full((6, 9), 7.0), 0.5), 7.0)
