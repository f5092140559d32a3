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
    assert '11' not in msg


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
