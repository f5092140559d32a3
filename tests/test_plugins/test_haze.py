"""plugins/haze: synthetic haze, its transform, its data and its config."""
import math
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from lowvis.registry import TRANSFORMS
from lowvis.utils.errors import ConfigError, DataError
from plugins.haze import SyntheticHaze, haze_depth, synthesize_haze
from plugins.haze.make_haze_data import add_haze

CONFIG = 'plugins/haze/configs/dcdgan_demo_haze.py'


def rng(seed=0):
    return np.random.default_rng(seed)


@pytest.fixture
def photo():
    return rng(1).integers(0, 256, (24, 32, 3), dtype=np.uint8)


def test_depth_is_a_ramp_without_noise():
    depth = haze_depth((5, 3), rng(), near=0.2, noise=0.0)
    expected = 0.2 + 0.8 * np.array([1.0, 0.75, 0.5, 0.25, 0.0])
    np.testing.assert_allclose(depth, np.repeat(expected[:, None], 3, 1),
                               atol=1e-6)


def test_depth_stays_in_near_to_one_with_noise():
    depth = haze_depth((40, 60), rng(), near=0.3, noise=1.0,
                       noise_scale=0.2)
    assert depth.dtype == np.float32 and depth.shape == (40, 60)
    assert depth.min() >= 0.3 - 1e-6 and depth.max() <= 1 + 1e-6
    assert depth.std() > 0.05  # the random field is not flat


def test_scattering_model_by_hand():
    """Black J: I = A (1 - exp(-beta d)); top row d = 1, bottom d = near."""
    black = np.zeros((3, 2, 3), np.uint8)
    hazy, t = synthesize_haze(black, rng(), beta=1.5, airlight=0.8,
                              near=0.2, noise=0.0)
    top = round(255 * 0.8 * (1 - math.exp(-1.5)))
    bottom = round(255 * 0.8 * (1 - math.exp(-1.5 * 0.2)))
    assert (hazy[0] == top).all() and (hazy[-1] == bottom).all()
    np.testing.assert_allclose(t[0], math.exp(-1.5), rtol=1e-6)


def test_no_scattering_leaves_the_image(photo):
    hazy, t = synthesize_haze(photo, rng(), beta=0.0)
    assert np.array_equal(hazy, photo) and (t == 1).all()


def test_thicker_haze_is_closer_to_the_airlight(photo):
    gaps = [np.abs(synthesize_haze(photo, rng(), beta=b,
                                   airlight=0.9)[0] / 255.0 - 0.9).mean()
            for b in (0.5, 1.0, 2.0)]
    assert gaps[0] > gaps[1] > gaps[2]


def test_seeded_and_colourless(photo):
    a, _ = synthesize_haze(photo, rng(3), noise=0.5)
    b, _ = synthesize_haze(photo, rng(3), noise=0.5)
    c, _ = synthesize_haze(photo, rng(4), noise=0.5)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    grey = np.full((8, 8, 3), 100, np.uint8)
    hazy, _ = synthesize_haze(grey, rng(), airlight=0.7)
    assert (hazy[..., 0] == hazy[..., 1]).all()
    assert (hazy[..., 1] == hazy[..., 2]).all()


def test_errors_name_the_parameter():
    with pytest.raises(DataError, match='uint8 HxWx3'):
        synthesize_haze(np.zeros((4, 4), np.uint8), rng())
    with pytest.raises(ConfigError, match='airlight'):
        synthesize_haze(np.zeros((4, 4, 3), np.uint8), rng(), airlight=2)


def test_transform_is_registered_and_draws_ranges(photo):
    transform = TRANSFORMS.build(dict(
        type='SyntheticHaze', key='img_B', out_key='img_A',
        transmission_key='t', seed=0, beta=(0.5, 1.5)))
    assert isinstance(transform, SyntheticHaze)
    out = transform(dict(img_B=photo.copy()))
    assert np.array_equal(out['img_B'], photo)
    assert out['img_A'].shape == photo.shape and out['img_A'].dtype == np.uint8
    assert out['t'].shape == photo.shape[:2]
    again = TRANSFORMS.build(dict(type='SyntheticHaze', key='img_B',
                                  out_key='img_A', seed=0, beta=(0.5, 1.5)))
    assert np.array_equal(again(dict(img_B=photo.copy()))['img_A'],
                          out['img_A'])
    with pytest.raises(ConfigError, match='unknown parameter'):
        SyntheticHaze(density=0.1)
    with pytest.raises(DataError, match="key 'img_A' not in the sample"):
        SyntheticHaze()(dict(img_B=photo))


def test_demo_haze_data_layout(haze_data_root, demo_data_root):
    counts = {d: len(os.listdir(osp.join(haze_data_root, d)))
              for d in ('trainA', 'trainB', 'testA', 'testB')}
    assert counts == {'trainA': 96, 'trainB': 96, 'testA': 14, 'testB': 14}
    assert sorted(os.listdir(osp.join(haze_data_root, 'testA'))) == \
        sorted(os.listdir(osp.join(haze_data_root, 'testB')))
    # same crops as the rain demo (its helpers are reused): the clean
    # images are identical, only the degradation differs
    for sub in ('trainB', 'testB'):
        name = sorted(os.listdir(osp.join(haze_data_root, sub)))[0]
        ours = cv2.imread(osp.join(haze_data_root, sub, name))
        rain = cv2.imread(osp.join(demo_data_root, sub, name))
        assert np.array_equal(ours, rain)


def test_demo_haze_is_seeded():
    clean = rng(5).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    assert np.array_equal(add_haze(clean, 0, 'testA', 3),
                          add_haze(clean, 0, 'testA', 3))
    assert not np.array_equal(add_haze(clean, 0, 'testA', 3),
                              add_haze(clean, 1, 'testA', 3))


def test_dcdgan_config_trains_on_haze(train_micro, haze_data_root,
                                     val_scalars):
    _, work_dir = train_micro(CONFIG, haze_data_root)
    scalars = val_scalars(work_dir)
    # the hazy inputs are far from their ground truth (rain demo: ~21 dB)
    assert scalars['input/PSNR'] < 18


def test_command_line_builds_the_layout_and_refuses_overwrite(tmp_path,
                                                             capsys):
    from plugins.haze.make_haze_data import main
    out = str(tmp_path / 'demo_haze')
    assert main(['--out', out]) == 0
    printed = capsys.readouterr().out
    assert f'wrote 14 images to {osp.join(out, "testA")}' in printed
    assert 'mean PSNR testA vs testB (RGB):' in printed
    assert main(['--out', out]) == 2
    assert 'pass --force' in capsys.readouterr().err
