import cv2
import numpy as np
import pytest

from lowvis.datasets.transforms import Resize


def test_square_resize_of_each_key():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (10, 20, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (7, 5, 3), dtype=np.uint8)
    out = Resize(['img_A', 'img_B'], 8)(dict(img_A=a, img_B=b))
    assert out['img_A'].shape == (8, 8, 3) and out['img_A'].dtype == np.uint8
    assert out['img_B'].shape == (8, 8, 3)
    np.testing.assert_array_equal(
        out['img_A'], cv2.resize(a, (8, 8), interpolation=cv2.INTER_CUBIC))


def test_height_width_and_constant_image():
    img = np.full((4, 4, 3), 77, np.uint8)
    out = Resize('img_A', (6, 10))(dict(img_A=img))['img_A']
    assert out.shape == (6, 10, 3)
    assert (out == 77).all()


def test_single_channel_keeps_its_axis():
    out = Resize('img_A', 5)(dict(img_A=np.zeros((3, 3, 1), np.uint8)))
    assert out['img_A'].shape == (5, 5, 1)


def test_bad_size():
    with pytest.raises(ValueError, match='size'):
        Resize('img_A', (0, 4))
