"""Checkpoints of the old optimizer layout resume, and convert, exactly.

The old layout (main before the one-wrapper generator step) is rebuilt from
a new checkpoint: the generator-side state is split back into one optimizer
state per submodule (``generators``, ``heads``), each numbered from 0 with
one param group, and the param schedulers likewise.
"""
import copy
import os.path as osp

import pytest
import torch

from lowvis.engine.checkpoint_io import load_local_checkpoint

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CONFIG = """
_base_ = [{base!r}]
data_root = {data!r}
generator = dict(type='ResnetGenerator', ngf=4, n_blocks=1, antialias=True,
                 global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=4, n_layers=2,
                     antialias=True)
model = dict(generators=dict(A2B=generator, B2A=generator),
             discriminators=dict(B=discriminator, A=discriminator),
             nce_layers=(4, 8, 12), contrastive=dict(
                 patch_sampler=dict(num_patches=16)))
crop = [dict(type='LoadImageFromFile', key='img_A'),
        dict(type='LoadImageFromFile', key='img_B'),
        dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=32),
        dict(type='PackUnpairedInputs')]
train_dataloader = dict(batch_size=2,
                        dataset=dict(data_root=data_root, pipeline=crop))
optim_wrapper = dict(heads=dict(optimizer=dict(lr=1e-3, betas=(0.9, 0.999))))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(dataset=dict(data_root=data_root))
train_cfg = dict(max_iters=4)
param_scheduler = [dict(type='LinearLR', start_factor=1.0, end_factor=0.0,
                        by_epoch=False, begin=1, end=4)]
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(
    interval=2, save_best=None, max_keep_ckpts=5))
custom_hooks = [dict(type='PlainCheckpointHook')]
"""


def to_old_layout(checkpoint):
    """Split the generator side's states into one per submodule."""
    old = copy.deepcopy(checkpoint)
    merged = old['optimizer'].pop('generators')
    merged.pop('base_param_settings')  # a one-group wrapper had none
    names = ['generators', 'heads']  # one param group each
    for name, group in zip(names, merged['param_groups']):
        group = dict(group)
        ids = group['params']
        group['params'] = list(range(len(ids)))
        old['optimizer'][name] = dict(
            state={i: merged['state'][pid] for i, pid in enumerate(ids)
                   if pid in merged['state']}, param_groups=[group])
    schedulers = old['param_schedulers'].pop('generators')
    for i, name in enumerate(names):
        old['param_schedulers'][name] = [
            dict(s, base_values=[s['base_values'][i]],
                 _last_value=[s['_last_value'][i]]) for s in schedulers]
    return old


@pytest.fixture(scope='module')
def full_run(tmp_path_factory, demo_data_root, run_tool):
    folder = tmp_path_factory.mktemp('old_layout')
    config = folder / 'dclgan_micro.py'
    config.write_text(CONFIG.format(base=osp.join(REPO, 'configs',
                                                  'dclgan_demo.py'),
                                    data=demo_data_root))
    result = run_tool(['tools/train.py', str(config), '--work-dir',
                        str(folder / 'full')], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return config, folder


def assert_identical(a, b, where):
    """Nested dicts/lists equal, tensors bit for bit."""
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and torch.equal(a, b), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), where
        for key in a:
            assert_identical(a[key], b[key], f'{where}.{key}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f'{where}[{i}]')
    else:
        assert a == b, (where, a, b)


def load(path):
    return load_local_checkpoint(str(path), map_location='cpu')


def test_old_layout_is_what_main_wrote(full_run):
    _, folder = full_run
    old = to_old_layout(load(folder / 'full' / 'iter_2.pth'))
    assert sorted(old['optimizer']) == ['discriminators', 'generators',
                                        'heads']
    lrs = {k: v['param_groups'][0]['lr'] for k, v in old['optimizer'].items()}
    # both decayed by the same LinearLR factor from 2e-4 and 1e-3
    assert lrs['generators'] < 2e-4
    assert lrs['heads'] == pytest.approx(5 * lrs['generators'])
    assert lrs['generators'] == pytest.approx(lrs['discriminators'])


def test_old_layout_checkpoint_resumes_exactly(full_run, run_tool, tmp_path):
    config, folder = full_run
    torch.save(to_old_layout(load(folder / 'full' / 'iter_2.pth')),
               tmp_path / 'old_iter_2.pth')
    result = run_tool(['tools/train.py', str(config), '--work-dir',
                       str(tmp_path), '--resume',
                       str(tmp_path / 'old_iter_2.pth')], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    full, resumed = load(folder / 'full' / 'iter_4.pth'), \
        load(tmp_path / 'iter_4.pth')
    for part in ('state_dict', 'optimizer', 'param_schedulers'):
        assert_identical(resumed[part], full[part], part)


def test_convert_checkpoint_upgrade(full_run, run_tool, tmp_path):
    config, folder = full_run
    new = load(folder / 'full' / 'iter_2.pth')
    torch.save(to_old_layout(new), tmp_path / 'old.pth')
    result = run_tool(['tools/convert_checkpoint.py', '--upgrade',
                       str(tmp_path / 'old.pth'), '--config', str(config),
                       '--out', str(tmp_path / 'new.pth')])
    assert result.returncode == 0, result.stderr[-3000:]
    converted = load(tmp_path / 'new.pth')
    for part in ('state_dict', 'optimizer', 'param_schedulers', 'meta'):
        assert_identical(converted[part], new[part], part)
    again = run_tool(['tools/convert_checkpoint.py', '--upgrade',
                      str(tmp_path / 'new.pth'), '--config', str(config),
                      '--out', str(tmp_path / 'x.pth')])
    assert again.returncode == 2
    assert again.stderr.strip().splitlines()[-1].startswith('error: ')
    assert 'is not in the old optimizer layout' in again.stderr
