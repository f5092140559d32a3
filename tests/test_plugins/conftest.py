"""Fixtures of the plugin tests: micro training runs and the haze data."""
import glob
import json
import os.path as osp
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if REPO not in sys.path:  # the plugins package lives in the repository root
    sys.path.insert(0, REPO)

# Shrinks only data and schedule, never the model: the plugin configs train
# as written (32 px crops, batch 1, 2 iterations, then validation).
MICRO_BODY = '''
crop_size = 32
micro_iters = 2
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=crop_size),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(
    batch_size=1, dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
train_cfg = dict(max_iters=micro_iters, val_interval=micro_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=1, end=micro_iters),
]
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=micro_iters, max_keep_ckpts=1))
custom_hooks = [
    dict(type='PlainCheckpointHook'),
    dict(type='TranslationVisualizationHook', interval=micro_iters),
]
'''


def write_micro_config(path, config, data_root):
    """Write a config at ``path`` that inherits ``config`` (repository-
    relative) with :data:`MICRO_BODY` and ``data_root``."""
    with open(path, 'w') as f:
        f.write(f'_base_ = [{osp.join(REPO, config)!r}]\n'
                f'data_root = {data_root!r}\n' + MICRO_BODY)
    return str(path)


@pytest.fixture(scope='session')
def val_scalars():
    """``val_scalars(work_dir)``: the last logged record of a run that
    holds validation metrics (``PSNR``, ``input/PSNR``, ...)."""

    def read(work_dir):
        files = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                   'scalars.json'))
        assert files, f'no scalars.json under {work_dir}'
        with open(files[0]) as f:
            records = [json.loads(line) for line in f if line.strip()]
        return [r for r in records if 'PSNR' in r][-1]

    return read


@pytest.fixture
def train_micro(run_tool, tmp_path):
    """``train_micro(config, data_root)`` trains a plugin config for 2
    iterations with ``tools/train.py`` from the repository root; returns
    ``(CompletedProcess, work_dir)``; fails with the log tail on error."""

    def train(config, data_root):
        micro = write_micro_config(tmp_path / 'micro.py', config, data_root)
        work_dir = str(tmp_path / 'work')
        result = run_tool(['tools/train.py', micro, '--work-dir', work_dir],
                          timeout=300)
        assert result.returncode == 0, \
            result.stdout[-2000:] + result.stderr[-3000:]
        assert osp.isfile(osp.join(work_dir, 'iter_2.pth'))
        return result, work_dir

    return train


@pytest.fixture(scope='session')
def haze_data_root(tmp_path_factory):
    """A freshly built demo haze dataset (plugins/haze/make_haze_data.py)."""
    from plugins.haze.make_haze_data import make_haze_data
    root = str(tmp_path_factory.mktemp('demo_haze'))
    make_haze_data(root, seed=0, force=True)
    return root
