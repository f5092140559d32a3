"""A run stopped and resumed ends bit-identical to an uninterrupted run."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]

MICRO = """
_base_ = [{base!r}]
crop_size = 32
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=32),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
generator = dict(type='ResnetGenerator', ngf=4, n_blocks=1,
                 global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=4, n_layers=2)
model = dict(generators=dict(A2B=generator, B2A=generator),
             discriminators=dict(B=discriminator, A=discriminator),
             pool_size=3)
train_dataloader = dict(batch_size=2, dataset=dict(
    data_root={data!r}, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root={data!r}))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=6, val_interval=2)
param_scheduler = [dict(type='LinearLR', start_factor=1.0, end_factor=0.0,
                        by_epoch=False, begin=2, end=6)]
default_hooks = dict(checkpoint=dict(interval=3, max_keep_ckpts=3),
                     logger=dict(interval=1))
custom_hooks = [dict(type='PlainCheckpointHook'),
                dict(type='TranslationVisualizationHook', interval=2)]
"""


def train(config, work_dir, *extra):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.run(
        [sys.executable, str(ROOT / 'tools/train.py'), str(config),
         '--work-dir', str(work_dir), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope='module')
def micro_config(tmp_path_factory, demo_data_root):
    folder = tmp_path_factory.mktemp('resume_cfg')
    path = folder / 'cyclegan_micro_resume.py'
    path.write_text(MICRO.format(base=str(ROOT / 'configs/cyclegan_demo.py'),
                                 data=str(demo_data_root)))
    return path


def load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def test_resume_gives_bit_identical_weights(micro_config, tmp_path):
    full, split = tmp_path / 'full', tmp_path / 'split'
    train(micro_config, full)
    train(micro_config, split, '--cfg-options', 'train_cfg.max_iters=3')
    assert (split / 'iter_3.pth').exists()
    proc = train(micro_config, split, '--resume')
    assert 'Resuming at iteration 3' in proc.stdout + proc.stderr
    a, b = load(full / 'iter_6.pth'), load(split / 'iter_6.pth')
    assert a['meta']['iter'] == b['meta']['iter'] == 6
    assert a['state_dict'].keys() == b['state_dict'].keys()
    for key, value in a['state_dict'].items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, b['state_dict'][key]), key
    torch.testing.assert_close(a['optimizer'], b['optimizer'], rtol=0, atol=0)
    assert a['param_schedulers'] == b['param_schedulers']


def test_checkpoint_is_plain_data_with_model_type(micro_config, tmp_path):
    train(micro_config, tmp_path, '--cfg-options', 'train_cfg.max_iters=3')
    ckpt = load(tmp_path / 'iter_3.pth')  # weights_only: no unsafe globals
    assert ckpt['meta']['model_type'] == 'CycleGAN'
    assert 'cyclegan_micro_resume' in ckpt['meta']['cfg'] or ckpt['meta']['cfg']
    assert set(ckpt['rng_states']) >= {'python', 'numpy', 'torch'}
