import cv2
import numpy as np
import pytest
from mmengine.registry import DefaultScope

from lowvis.datasets.transforms import LoadImageFromFile
from lowvis.registry import TRANSFORMS
from lowvis.utils import ImageReadError


def test_loads_rgb_uint8_and_shape(tmp_path):
    img = np.zeros((5, 7, 3), np.uint8)
    img[..., 0] = 30  # R
    cv2.imwrite(str(tmp_path / 'a.png'), img[:, :, ::-1])
    results = LoadImageFromFile(key='img_B')(
        dict(img_B_path=str(tmp_path / 'a.png')))
    out = results['img_B']
    assert out.dtype == np.uint8 and out.shape == (5, 7, 3)
    assert (out[..., 0] == 30).all() and (out[..., 1:] == 0).all()
    assert results['img_B_ori_shape'] == (5, 7)


def test_16bit_gray_becomes_rgb_uint8(tmp_path):
    cv2.imwrite(str(tmp_path / 'g.png'), np.full((3, 4), 65535, np.uint16))
    out = LoadImageFromFile()(dict(img_A_path=str(tmp_path / 'g.png')))
    assert out['img_A'].shape == (3, 4, 3)
    assert (out['img_A'] == 255).all()


def test_unreadable_file_raises(tmp_path):
    (tmp_path / 'bad.png').write_bytes(b'garbage')
    with pytest.raises(ImageReadError, match='bad.png'):
        LoadImageFromFile()(dict(img_A_path=str(tmp_path / 'bad.png')))


def test_lowvis_scope_shadows_mmcv():
    with DefaultScope.overwrite_default_scope('lowvis'):
        transform = TRANSFORMS.build(dict(type='LoadImageFromFile',
                                          key='img_B'))
    assert isinstance(transform, LoadImageFromFile)
    assert 'img_B' in repr(transform)
