import numpy as np
import pytest

from lowvis.datasets.transforms import RandomCrop
from lowvis.utils import DataError


def _coords(height, width):
    """Image whose pixel (y, x) holds (y, x, 0): crops reveal the offset."""
    ys, xs = np.mgrid[:height, :width]
    return np.stack([ys, xs, np.zeros_like(ys)], axis=2).astype(np.uint8)


def test_crop_shapes_and_content():
    np.random.seed(0)
    results = RandomCrop(['img_A', 'img_B'], crop_size=(4, 6))(
        dict(img_A=_coords(10, 12), img_B=_coords(20, 30)))
    for key in ('img_A', 'img_B'):
        crop = results[key]
        assert crop.shape == (4, 6, 3) and crop.flags['C_CONTIGUOUS']
        top, left = crop[0, 0, :2]
        np.testing.assert_array_equal(
            crop, _coords(40, 40)[top:top + 4, left:left + 6])


def test_independent_offsets_vs_same_location():
    np.random.seed(1)
    crop = RandomCrop(['img_A', 'img_B'], 3)
    differ = 0
    for _ in range(20):
        r = crop(dict(img_A=_coords(16, 16), img_B=_coords(16, 16)))
        differ += not np.array_equal(r['img_A'], r['img_B'])
    assert differ > 0
    same = RandomCrop(['img_A', 'img_B'], 3, same_location=True)
    for _ in range(20):
        r = same(dict(img_A=_coords(16, 16), img_B=_coords(16, 16)))
        np.testing.assert_array_equal(r['img_A'], r['img_B'])


def test_seeded_global_rng_is_reproducible():
    crop = RandomCrop('img_A', 5)
    np.random.seed(42)
    first = crop(dict(img_A=_coords(30, 30)))['img_A']
    np.random.seed(42)
    np.testing.assert_array_equal(crop(dict(img_A=_coords(30, 30)))['img_A'],
                                  first)


def test_small_image_is_reflect_padded():
    img = np.arange(3 * 4 * 3, dtype=np.uint8).reshape(3, 4, 3)
    out = RandomCrop('img_A', (5, 4))(dict(img_A=img))['img_A']
    assert out.shape == (5, 4, 3)
    # Height 3 -> 5: one reflected row each side (rows 1, 0, 1, 2, 1).
    np.testing.assert_array_equal(out, img[[1, 0, 1, 2, 1]])


def test_small_image_rejected_with_file_name():
    crop = RandomCrop('img_B', 8, pad_if_smaller='error')
    with pytest.raises(DataError, match=r'tiny\.png is 5x6 \(HxW\).*8x8'):
        crop(dict(img_B=np.zeros((5, 6, 3), np.uint8),
                  img_B_path='/data/trainB/tiny.png'))


def test_same_location_needs_equal_sizes():
    crop = RandomCrop(['img_A', 'img_B'], 2, same_location=True)
    with pytest.raises(DataError, match='equal image sizes'):
        crop(dict(img_A=_coords(4, 4), img_B=_coords(5, 4)))


def test_bad_arguments():
    with pytest.raises(ValueError, match='pad_if_smaller'):
        RandomCrop('img_A', 4, pad_if_smaller='zero')
    with pytest.raises(ValueError, match='crop_size'):
        RandomCrop('img_A', 0)
    with pytest.raises(ValueError, match='keys'):  # a ConfigError
        RandomCrop([], 4)
