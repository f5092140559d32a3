import os.path as osp
import pickle

import cv2
import numpy as np
import pytest
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from torch.utils.data import DataLoader

from lowvis.datasets import (UnpairedImageDataset, UnpairedInfiniteSampler,
                             draw_b_index)
from lowvis.registry import DATASETS
from lowvis.utils import DataError


def _write(folder, names, value=0):
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        cv2.imwrite(str(folder / name),
                    np.full((8, 8, 3), value + i, np.uint8))


@pytest.fixture
def root(tmp_path):
    _write(tmp_path / 'trainA', ['a0.png', 'a1.jpg', 'a2.png', 'a3.png'])
    _write(tmp_path / 'trainB', [f'b{i}.png' for i in range(7)], 100)
    return tmp_path


def test_lists_a_and_draws_b(root):
    ds = UnpairedImageDataset(str(root))
    assert len(ds) == 4
    info = ds.get_data_info(1)
    assert info['img_A_path'] == osp.join(str(root), 'trainA', 'a1.jpg')
    assert info['name'] == 'a1'
    assert osp.dirname(info['img_B_path']) == osp.join(str(root), 'trainB')
    assert len(ds.b_paths) == 7


def test_b_draw_is_a_pure_function_of_seed_epoch_index(root):
    ds = UnpairedImageDataset(str(root), seed=3)
    n = len(ds)
    for epoch in range(3):
        for i in range(n):
            k = draw_b_index(3, epoch, i, 7)
            info = ds.get_data_info(epoch * n + i)
            assert info['img_B_path'] == ds.b_paths[k]
            assert info['name'] == f'a{i}'
            assert info['sample_idx'] == i
    # A second instance (another worker, a resumed run) agrees exactly.
    again = UnpairedImageDataset(str(root), seed=3)
    assert [again.get_data_info(j)['img_B_path'] for j in range(12)] == \
        [ds.get_data_info(j)['img_B_path'] for j in range(12)]


def test_b_pairing_changes_across_epochs_and_seeds():
    draws = {(e, i): draw_b_index(0, e, i, 50) for e in range(4)
             for i in range(20)}
    for epoch in range(1, 4):
        assert any(draws[(epoch, i)] != draws[(0, i)] for i in range(20))
    assert any(draw_b_index(1, 0, i, 50) != draws[(0, i)] for i in range(20))
    assert all(0 <= k < 50 for k in draws.values())


def test_plain_and_negative_indices_are_epoch_zero(root):
    ds = UnpairedImageDataset(str(root))
    assert ds.split_index(2) == (0, 2)
    assert ds.split_index(9) == (2, 1)
    assert ds.split_index(-1) == (0, 3)
    with pytest.raises(IndexError):
        ds.split_index(-5)


def test_several_a_folders_relative_and_absolute(root, tmp_path_factory):
    extra = tmp_path_factory.mktemp('real')
    _write(extra, ['r0.png', 'r1.png'])
    ds = UnpairedImageDataset(str(root), dir_A=['trainA', str(extra)])
    assert len(ds) == 6
    assert ds.get_data_info(5)['img_A_path'] == str(extra / 'r1.png')


def test_pipeline_runs_on_getitem(root):
    ds = UnpairedImageDataset(
        str(root),
        pipeline=[
            dict(type='LoadImageFromFile', key='img_A'),
            dict(type='LoadImageFromFile', key='img_B'),
            dict(type='PackUnpairedInputs'),
        ])
    out = ds[4 + 2]  # epoch 1, A index 2
    assert out['inputs']['img_A'].shape == (3, 8, 8)
    assert out['inputs']['img_A'][0, 0, 0].item() == 2
    assert out['inputs']['img_B'][0, 0, 0].item() >= 100
    assert out['data_samples'].metainfo['name'] == 'a2'


@pytest.mark.parametrize('serialize', [True, False])
def test_lazy_init_serialize_and_pickle(root, serialize):
    ds = UnpairedImageDataset(str(root), lazy_init=True,
                              serialize_data=serialize)
    assert not ds._fully_initialized
    assert len(ds) == 4  # triggers full_init
    assert ds._fully_initialized
    clone = pickle.loads(pickle.dumps(ds))
    assert clone.get_data_info(5) == ds.get_data_info(5)


def test_subset_keeps_b_draw(root):
    ds = UnpairedImageDataset(str(root), indices=[1, 3])
    assert len(ds) == 2
    assert ds.get_data_info(1)['name'] == 'a3'


def test_built_from_registry(root):
    with DefaultScope.overwrite_default_scope('lowvis'):
        ds = DATASETS.build(
            dict(type='UnpairedImageDataset', data_root=str(root),
                 pipeline=[dict(type='LoadImageFromFile', key='img_B')]))
    assert isinstance(ds, UnpairedImageDataset)
    assert ds[0]['img_B'].shape == (8, 8, 3)


def test_dataloader_with_sampler_sees_epochs(root):
    ds = UnpairedImageDataset(str(root), seed=7)
    sampler = UnpairedInfiniteSampler(ds, seed=11)
    loader = DataLoader(ds, batch_size=2, sampler=sampler,
                        collate_fn=pseudo_collate)
    batches = [batch for _, batch in zip(range(6), loader)]  # 3 epochs
    names = [n for b in batches for n in b['name']]
    for epoch in range(3):
        assert sorted(names[epoch * 4:(epoch + 1) * 4]) == \
            ['a0', 'a1', 'a2', 'a3']
    indices = list(zip(range(12), iter(sampler)))
    b_paths = [p for b in batches for p in b['img_B_path']]
    for (_, idx), b_path in zip(indices, b_paths):
        epoch, i = divmod(idx, 4)
        assert b_path == ds.b_paths[draw_b_index(7, epoch, i, 7)]


def test_missing_root_is_one_line(tmp_path):
    missing = str(tmp_path / 'nowhere')
    with pytest.raises(DataError, match='nowhere') as info:
        UnpairedImageDataset(missing)
    assert 'docs/datasets.md' in str(info.value)
    assert '\n' not in str(info.value)


def test_missing_or_empty_domain_folder(root):
    with pytest.raises(DataError, match=r'dir_B folder .*trainX'):
        UnpairedImageDataset(str(root), dir_B='trainX')
    (root / 'empty').mkdir()
    (root / 'empty' / 'readme.txt').write_text('no images')
    with pytest.raises(DataError, match=r'dir_A folder .*empty holds no '
                       r'image') as info:
        UnpairedImageDataset(str(root), dir_A='empty')
    assert 'docs/datasets.md' in str(info.value)


def test_bad_seed(root):
    with pytest.raises(ValueError, match='seed'):
        UnpairedImageDataset(str(root), seed=-1)


def test_misspelt_argument_names_the_dataset_and_what_it_accepts(tmp_path):
    from lowvis.utils.errors import ConfigError
    with pytest.raises(ConfigError) as info:
        UnpairedImageDataset(str(tmp_path), dir_a='trainA')
    message = str(info.value)
    assert message.startswith(
        "config error: UnpairedImageDataset does not accept 'dir_a' "
        "(did you mean 'dir_A'?); it accepts: data_root, dir_A, dir_B")
    assert 'serialize_data' in message and '\n' not in message
