import cv2
import numpy as np
import pytest
from mmengine.dataset import Compose

from lowvis.datasets.transforms import SyntheticDegradation
from lowvis.datasets.transforms.synthetic_rain import (HAZE_LEVEL,
                                                       SyntheticRain,
                                                       rain_kernel,
                                                       synthesize_rain)
from lowvis.registry import TRANSFORMS
from lowvis.utils.errors import ConfigError, DataError


def _photo(h=48, w=64, seed=0):
    """A smooth RGB test image, uint8, away from 0 and 255."""
    ys, xs = np.mgrid[:h, :w]
    base = 60 + 40 * np.sin(xs / 7.0)[..., None] + 30 * np.cos(ys / 5.0)[
        ..., None] * np.array([1.0, 0.5, -0.5])
    noise = np.random.default_rng(seed).normal(0, 3, (h, w, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def _rain(img, seed=0, **params):
    return synthesize_rain(img, np.random.default_rng(seed), **params)


def _streak_angles(streaks):
    """Angle of each isolated streak, degrees clockwise from vertical.

    Each connected streak's principal axis comes from its intensity-weighted
    second moments (x right, y down); the axis angle ``phi`` from +x maps to
    ``phi + 90`` folded into [-90, 90) (top end to the right is positive).
    """
    count, labels = cv2.connectedComponents(
        (streaks > 0.05).astype(np.uint8), connectivity=8)
    angles = []
    for i in range(1, count):
        ys, xs = np.nonzero(labels == i)
        if ys.size < 10:
            continue
        w = streaks[ys, xs].astype(np.float64)
        dx, dy = xs - np.average(xs, weights=w), ys - np.average(ys, weights=w)
        mxx, myy = np.average(dx * dx, weights=w), np.average(dy * dy,
                                                              weights=w)
        mxy = np.average(dx * dy, weights=w)
        phi = np.degrees(0.5 * np.arctan2(2 * mxy, mxx - myy))
        angles.append((phi + 180) % 180 - 90)
    return np.array(angles)


def test_output_types_shapes_and_range():
    img = _photo()
    rainy, streaks = _rain(img)
    assert rainy.dtype == np.uint8 and rainy.shape == img.shape
    assert streaks.dtype == np.float32 and streaks.shape == img.shape[:2]
    assert streaks.min() >= 0 and streaks.max() <= 0.6 + 1e-6
    assert streaks.max() > 0.3
    # Screen blending only brightens, and rain is grey: the same streak
    # value lifts each channel by 255 * S * (1 - I).
    assert np.all(rainy >= img)
    expected = 255 * (1 - (1 - img / 255.0) * (1 - streaks[..., None]))
    assert np.abs(rainy - expected).max() <= 0.5 + 1e-3


def test_no_rain_when_intensity_zero():
    img = _photo()
    rainy, streaks = _rain(img, intensity=0.0)
    np.testing.assert_array_equal(rainy, img)
    assert not streaks.any()


def test_seeded_determinism():
    img = _photo()
    a, sa = _rain(img, seed=3, angle=12.0)
    b, sb = _rain(img, seed=3, angle=12.0)
    c, _ = _rain(img, seed=4, angle=12.0)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(sa, sb)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize('length,angle', [(9, 0), (9, 30), (12, -30)])
def test_kernel_is_the_turned_line(length, angle):
    kernel = rain_kernel(length, angle)
    assert kernel.shape[0] == kernel.shape[1] and kernel.shape[0] % 2 == 1
    assert kernel.sum() == pytest.approx(length, rel=1e-5)
    ys, xs = np.nonzero(kernel > 0.2)
    top, bottom = xs[ys == ys.min()].mean(), xs[ys == ys.max()].mean()
    # Positive angle: the top end lies to the right of the bottom end.
    assert np.sign(top - bottom) == np.sign(angle)
    # Vertical extent of the turned line: length * cos(angle), give or take
    # the end pixels.
    height = ys.max() - ys.min() + 1
    assert abs(height - length * np.cos(np.radians(angle))) <= 2


def test_vertical_kernel_is_exact():
    kernel = rain_kernel(5, 0, width=1)
    expected = np.zeros((9, 9), np.float32)
    expected[2:7, 4] = 1
    np.testing.assert_allclose(kernel, expected, atol=1e-6)
    assert rain_kernel(5, 0, width=3).sum() == pytest.approx(15, rel=1e-5)


@pytest.mark.parametrize('angle', [0.0, 30.0, -30.0, 10.0, 60.0])
def test_streaks_follow_the_angle(angle):
    img = np.full((64, 64, 3), 60, np.uint8)
    medians = []
    for seed in range(2):
        _, streaks = _rain(img, seed=seed, density=0.002, length=20,
                           angle=angle, layers=1, intensity=1.0)
        angles = _streak_angles(streaks)
        assert len(angles) >= 3
        medians.append(np.median(angles))
    assert np.allclose(medians, angle, atol=3.0)


def test_more_density_more_bright_pixels():
    img = _photo(64, 64)
    counts = []
    for density in (0.0005, 0.002, 0.008):
        rainy, _ = _rain(img, seed=1, density=density, layers=1)
        counts.append(int((rainy.astype(int) - img > 20).any(-1).sum()))
    assert counts[0] < counts[1] < counts[2]
    wide, _ = _rain(img, seed=1, density=0.002, layers=1, width=3)
    assert (wide.astype(int) - img > 20).any(-1).sum() > counts[1]


def test_intensity_scales_the_streak_map():
    img = _photo()
    _, low = _rain(img, seed=2, intensity=0.3)
    high_img, high = _rain(img, seed=2, intensity=0.9)
    np.testing.assert_allclose(high, 3 * low, atol=1e-6)
    low_img, _ = _rain(img, seed=2, intensity=0.3)
    assert high_img.astype(int).sum() > low_img.astype(int).sum()


def test_haze_is_a_grey_veil():
    img = _photo()
    rainy, _ = _rain(img, intensity=0.0, haze=1.0)
    assert np.all(rainy == round(255 * HAZE_LEVEL))
    half, _ = _rain(img, intensity=0.0, haze=0.5)
    expected = 0.5 * img + 0.5 * 255 * HAZE_LEVEL
    assert np.abs(half - expected).max() <= 0.5 + 1e-3


def test_bad_inputs_raise_one_line_errors():
    rng = np.random.default_rng(0)
    with pytest.raises(DataError, match='uint8 HxWx3'):
        synthesize_rain(np.zeros((8, 8), np.uint8), rng)
    with pytest.raises(DataError, match='float32'):
        synthesize_rain(np.zeros((8, 8, 3), np.float32), rng)
    with pytest.raises(ConfigError, match='density'):
        synthesize_rain(_photo(), rng, density=2.0)
    with pytest.raises(ConfigError, match='layers'):
        synthesize_rain(_photo(), rng, layers=0)


def test_transform_in_a_pipeline():
    rain = TRANSFORMS.build(
        dict(type='SyntheticRain', key='img_B', out_key='img_A',
             streak_key='streaks', seed=7, angle=(-10.0, 10.0), layers=1))
    assert isinstance(rain, SyntheticRain)
    pipeline = Compose([rain])
    clean = _photo()
    first = pipeline(dict(img_B=clean.copy(), name='x'))
    assert first['name'] == 'x'
    np.testing.assert_array_equal(first['img_B'], clean)
    assert first['img_A'].shape == clean.shape
    assert first['img_A'].dtype == np.uint8
    assert first['streaks'].shape == clean.shape[:2]
    assert not np.array_equal(first['img_A'], clean)
    # Each call draws new rain; a fresh transform with the same seed
    # replays the same sequence.
    second = pipeline(dict(img_B=clean.copy()))
    assert not np.array_equal(first['img_A'], second['img_A'])
    replay = SyntheticRain(key='img_B', out_key='img_A', seed=7,
                           angle=(-10.0, 10.0), layers=1)
    np.testing.assert_array_equal(
        replay(dict(img_B=clean.copy()))['img_A'], first['img_A'])


def test_transform_in_place_with_global_rng():
    rain = SyntheticRain(density=0.003)
    img = _photo()
    np.random.seed(11)
    a = rain(dict(img_A=img.copy()))['img_A']
    np.random.seed(11)
    b = rain(dict(img_A=img.copy()))['img_A']
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, img)


def test_transform_errors():
    with pytest.raises(ConfigError, match='densty'):
        SyntheticRain(densty=0.1)
    # a reversed range is refused when the transform is built, not at the
    # first sample
    with pytest.raises(ConfigError, match=r'angle must be a number or a '
                       r'\(low, high\) pair, got \(5, -5\)'):
        SyntheticRain(seed=0, angle=(5, -5))
    with pytest.raises(DataError, match="'img_A'"):
        SyntheticRain()(dict(img_B=_photo()))


class _Darken(SyntheticDegradation):
    """A degradation defined in a test: scale by ``gain``, ``steps`` times
    (an integer parameter), map = the per-pixel factor."""

    int_params = frozenset({'steps'})

    @staticmethod
    def synthesize(img, rng, gain=0.5, steps=1):
        factor = np.float32(gain) ** steps
        out = np.rint(img.astype(np.float32) * factor).astype(np.uint8)
        return out, np.full(img.shape[:2], factor, np.float32)


def test_degradation_base_class_is_the_extension_point():
    img = np.full((4, 5, 3), 200, np.uint8)
    darken = _Darken(key='img', out_key='dark', map_key='factor', seed=3,
                     gain=0.5, steps=(1.0, 3.0))
    out = darken(dict(img=img.copy()))
    np.testing.assert_array_equal(out['img'], img)
    # steps drawn in [1, 3] and rounded: the factor is 1/2, 1/4 or 1/8
    factor = float(out['factor'][0, 0])
    assert factor in (0.5, 0.25, 0.125)
    assert out['dark'][0, 0, 0] == round(200 * factor)
    # the same seed replays the same draws (call i uses (seed, i))
    again = _Darken(key='img', out_key='dark', map_key='factor', seed=3,
                    gain=0.5, steps=(1.0, 3.0))(dict(img=img.copy()))
    assert float(again['factor'][0, 0]) == factor
    with pytest.raises(ConfigError, match=r"_Darken: unknown parameter\(s\) "
                       r"\['gian'\]; allowed: \['gain', 'steps'\]"):
        _Darken(gian=0.5)
