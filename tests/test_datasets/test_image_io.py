import os

import cv2
import numpy as np
import pytest
from PIL import Image

from lowvis.datasets import list_images, read_image, write_image
from lowvis.utils import ImageReadError


def _rgb(height=4, width=6):
    """Distinct values per pixel and channel: catches BGR/RGB swaps."""
    return np.arange(height * width * 3, dtype=np.uint8).reshape(
        height, width, 3)


def test_png_is_read_as_rgb(tmp_path):
    img = _rgb()
    cv2.imwrite(str(tmp_path / 'a.png'), img[:, :, ::-1])  # cv2 writes BGR
    out = read_image(str(tmp_path / 'a.png'))
    assert out.dtype == np.uint8 and out.shape == (4, 6, 3)
    np.testing.assert_array_equal(out, img)


def test_grayscale_is_replicated(tmp_path):
    gray = np.array([[0, 10, 200], [255, 1, 2]], np.uint8)
    cv2.imwrite(str(tmp_path / 'g.png'), gray)
    out = read_image(str(tmp_path / 'g.png'))
    assert out.shape == (2, 3, 3)
    for c in range(3):
        np.testing.assert_array_equal(out[:, :, c], gray)


def test_rgba_drops_alpha_keeping_colour(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = 200, 100, 50
    rgba[..., 3] = [[0, 255], [128, 7]]
    Image.fromarray(rgba, 'RGBA').save(tmp_path / 'a.png')
    out = read_image(str(tmp_path / 'a.png'))
    assert out.shape == (2, 2, 3)
    assert (out == np.array([200, 100, 50], np.uint8)).all()


def test_gray_alpha_and_palette(tmp_path):
    la = np.stack([np.full((2, 3), 90, np.uint8),
                   np.full((2, 3), 10, np.uint8)], axis=2)
    Image.fromarray(la, 'LA').save(tmp_path / 'la.png')
    assert (read_image(str(tmp_path / 'la.png')) == 90).all()
    Image.fromarray(_rgb()).convert('P').save(tmp_path / 'p.png')
    pal = read_image(str(tmp_path / 'p.png'))
    expected = np.asarray(Image.open(tmp_path / 'p.png').convert('RGB'))
    np.testing.assert_array_equal(pal, expected)


def test_16bit_rounds_to_8bit_or_keeps_depth(tmp_path):
    values = np.array([[0, 128, 129, 385], [386, 65535, 257, 1000]],
                      np.uint16)
    img16 = np.stack([values, values // 2, np.full_like(values, 514)], 2)
    cv2.imwrite(str(tmp_path / 'd.png'), img16[:, :, ::-1])
    out = read_image(str(tmp_path / 'd.png'))
    assert out.dtype == np.uint8
    # round(x / 257): 128 -> 0.498 -> 0, 129 -> 0.502 -> 1, 385 -> 1.498 -> 1
    np.testing.assert_array_equal(
        out[:, :, 0], [[0, 0, 1, 1], [2, 255, 1, 4]])
    assert (out[:, :, 2] == 2).all()
    np.testing.assert_array_equal(
        out[:, :, 1], np.round(values // 2 / 257).astype(np.uint8))
    deep = read_image(str(tmp_path / 'd.png'), keep_depth=True)
    assert deep.dtype == np.uint16
    np.testing.assert_array_equal(deep, img16)


def test_keep_depth_leaves_8bit_alone(tmp_path):
    cv2.imwrite(str(tmp_path / 'a.png'), _rgb())
    assert read_image(str(tmp_path / 'a.png'), keep_depth=True).dtype \
        == np.uint8


def test_jpeg_exif_orientation_is_applied(tmp_path):
    img = np.zeros((4, 8, 3), np.uint8)
    img[:, :4] = 255  # left half white
    pil = Image.fromarray(img)
    exif = pil.getexif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    pil.save(tmp_path / 'r.jpg', exif=exif, quality=100)
    out = read_image(str(tmp_path / 'r.jpg'))
    assert out.shape == (8, 4, 3)
    # Clockwise rotation puts the former left half on top.
    assert out[:3].mean() > 200 and out[5:].mean() < 50


def test_missing_file_names_it(tmp_path):
    path = str(tmp_path / 'nope.png')
    with pytest.raises(ImageReadError, match='nope.png'):
        read_image(path)


@pytest.mark.parametrize('content', [b'', b'not an image at all'])
def test_unreadable_file_names_it(tmp_path, content):
    path = tmp_path / 'broken.jpg'
    path.write_bytes(content)
    with pytest.raises(ImageReadError, match='broken.jpg') as info:
        read_image(str(path))
    assert '\n' not in str(info.value)


def test_float_tiff_is_refused(tmp_path):
    path = str(tmp_path / 'f.tiff')
    cv2.imwrite(path, np.zeros((2, 2, 3), np.float32))
    with pytest.raises(ImageReadError, match='f.tiff.*float32'):
        read_image(path)


def test_list_images_filters_and_sorts(tmp_path):
    for name in ['b.PNG', 'a.jpg', 'c.JpEg', 'd.webp', 'e.tif', 'f.bmp',
                 'notes.txt', '._a.jpg', '.hidden.png']:
        (tmp_path / name).write_bytes(b'x')
    os.mkdir(tmp_path / 'sub.png')
    names = [os.path.basename(p) for p in list_images(str(tmp_path))]
    assert names == ['a.jpg', 'b.PNG', 'c.JpEg', 'd.webp', 'e.tif', 'f.bmp']


def test_write_image_round_trip(tmp_path):
    path = str(tmp_path / 'sub' / 'w.png')
    write_image(path, _rgb())
    np.testing.assert_array_equal(read_image(path), _rgb())
