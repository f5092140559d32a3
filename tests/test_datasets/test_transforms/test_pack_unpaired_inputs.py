import numpy as np
import torch
from mmengine.structures import BaseDataElement

from lowvis.datasets.transforms import PackUnpairedInputs


def test_packs_chw_uint8_and_metainfo():
    a = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    b = np.full((6, 2, 3), 9, np.uint8)
    out = PackUnpairedInputs()(
        dict(img_A=a, img_B=b, name='x', img_A_path='/a/x.png',
             img_B_path='/b/y.png', other=1))
    img_a = out['inputs']['img_A']
    assert img_a.dtype == torch.uint8 and img_a.shape == (3, 4, 5)
    assert torch.equal(img_a, torch.from_numpy(a).permute(2, 0, 1))
    assert out['inputs']['img_B'].shape == (3, 6, 2)
    sample = out['data_samples']
    assert isinstance(sample, BaseDataElement)
    assert sample.metainfo == dict(name='x', img_A_path='/a/x.png',
                                   img_B_path='/b/y.png')


def test_missing_keys_are_skipped():
    out = PackUnpairedInputs()(
        dict(img_A=np.zeros((2, 2, 3), np.uint8), name='only_a',
             img_A_path='p.png'))
    assert set(out['inputs']) == {'img_A'}
    assert set(out['data_samples'].metainfo) == {'name', 'img_A_path'}
