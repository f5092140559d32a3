import os.path as osp

import cv2
import numpy as np
import pytest

from lowvis.datasets import PairedImageDataset
from lowvis.utils import DataError


def _write(folder, names, value=0):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        cv2.imwrite(str(folder / name), np.full((6, 10, 3), value, np.uint8))


def test_pairs_by_stem_whatever_the_extension(tmp_path):
    _write(tmp_path / 'testA', ['rain-2.jpg', 'rain-1.png', 'x.png'], 10)
    _write(tmp_path / 'testB', ['x.jpg', 'rain-1.png', 'rain-2.png'], 200)
    ds = PairedImageDataset(str(tmp_path))
    assert len(ds) == 3
    names = [ds.get_data_info(i)['name'] for i in range(3)]
    assert names == ['rain-1', 'rain-2', 'x']
    info = ds.get_data_info(1)
    assert info['img_A_path'] == osp.join(str(tmp_path), 'testA',
                                          'rain-2.jpg')
    assert info['img_B_path'] == osp.join(str(tmp_path), 'testB',
                                          'rain-2.png')


def test_full_pipeline_keeps_resolution(tmp_path):
    _write(tmp_path / 'testA', ['a.png'], 10)
    _write(tmp_path / 'testB', ['a.png'], 200)
    ds = PairedImageDataset(
        str(tmp_path),
        pipeline=[
            dict(type='LoadImageFromFile', key='img_A'),
            dict(type='LoadImageFromFile', key='img_B'),
            dict(type='PackUnpairedInputs'),
        ])
    out = ds[0]
    assert out['inputs']['img_A'].shape == (3, 6, 10)
    assert int(out['inputs']['img_B'].max()) == 200
    assert out['data_samples'].metainfo['name'] == 'a'


def test_mismatch_lists_unmatched_names(tmp_path):
    _write(tmp_path / 'testA', ['a.png', 'b.png', 'c.png'])
    _write(tmp_path / 'testB', ['a.png', 'z.png'])
    with pytest.raises(DataError) as info:
        PairedImageDataset(str(tmp_path))
    msg = str(info.value)
    assert '\n' not in msg
    assert '2 (b, c)' in msg and 'testA' in msg
    assert '1 (z)' in msg and 'testB' in msg
    assert 'docs/datasets.md' in msg


def test_mismatch_message_is_capped(tmp_path):
    _write(tmp_path / 'testA', [f'{i:02d}.png' for i in range(25)])
    _write(tmp_path / 'testB', ['00.png'])
    with pytest.raises(DataError) as info:
        PairedImageDataset(str(tmp_path))
    msg = str(info.value)
    assert '24 (01, 02, 03, 04, 05, 06, 07, 08, 09, 10, ... 14 more)' in msg
    # the 11th name is left out (the temporary path may hold '11' itself)
    assert '11' not in msg.replace(str(tmp_path), '<root>')


def test_duplicate_stem_is_an_error(tmp_path):
    _write(tmp_path / 'testA', ['a.png', 'a.jpg'])
    _write(tmp_path / 'testB', ['a.png'])
    with pytest.raises(DataError, match="two images with stem 'a'"):
        PairedImageDataset(str(tmp_path))


def test_missing_folders(tmp_path):
    with pytest.raises(DataError, match='data root'):
        PairedImageDataset(str(tmp_path / 'none'))
    _write(tmp_path / 'testA', ['a.png'])
    with pytest.raises(DataError, match='dir_B folder .*testB does not'):
        PairedImageDataset(str(tmp_path))


def test_two_domain_base_class_is_the_extension_point(tmp_path):
    """A new dataset writes only load_data_list; the base gives it the two
    folders, its files and the keyword check under its own name."""
    from lowvis.datasets import TwoDomainDataset
    from lowvis.utils.errors import ConfigError

    class FirstOfEach(TwoDomainDataset):

        def __init__(self, data_root, dir_A='A', dir_B='B', scale=1,
                     **kwargs):
            self.scale = scale
            super().__init__(data_root, dir_A, dir_B, **kwargs)

        def load_data_list(self):
            a_paths, b_paths = self.domain_paths()
            return [dict(img_A_path=a_paths[0], img_B_path=b_paths[0])]

    _write(tmp_path / 'A', ['2.png', '1.png'])
    _write(tmp_path / 'B', ['z.png'])
    ds = FirstOfEach(str(tmp_path), scale=2)
    assert len(ds) == 1 and ds.scale == 2
    assert ds.get_data_info(0)['img_A_path'] == str(tmp_path / 'A' / '1.png')
    assert ds.get_data_info(0)['img_B_path'] == str(tmp_path / 'B' / 'z.png')
    with pytest.raises(ConfigError) as info:
        FirstOfEach(str(tmp_path), scal=2)
    assert str(info.value).startswith(
        "config error: FirstOfEach does not accept 'scal' (did you mean "
        "'scale'?); it accepts: data_root, dir_A, dir_B, scale, pipeline")
    with pytest.raises(DataError, match='dir_B'):
        FirstOfEach(str(tmp_path), dir_B='missing')
