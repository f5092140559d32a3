"""A run's length is one number: fractions of max_iters follow it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

from lowvis.engine.runner.run_length import resolve_run_length
from lowvis.utils.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

# the demo schedule (fractions) on a micro CycleGAN, logging every iteration
MICRO = """
_base_ = [{base!r}]
data_root = {data!r}
crop_size = 32
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=32),
    dict(type='PackUnpairedInputs'),
]
generator = dict(type='ResnetGenerator', ngf=4, n_blocks=1,
                 global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=4, n_layers=2)
model = dict(generators=dict(A2B=generator, B2A=generator),
             discriminators=dict(B=discriminator, A=discriminator))
train_dataloader = dict(batch_size=1, dataset=dict(
    data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root, dir_A='testA'))
val_evaluator = [dict(type='PSNR')]
default_hooks = dict(logger=dict(interval=1))
"""


def base():
    return Config(dict(
        train_cfg=dict(max_iters=1200, val_interval='1/6'),
        param_scheduler=[dict(type='LinearLR', begin='50%', end='100%')],
        default_hooks=dict(checkpoint=dict(interval='50%'),
                           logger=dict(interval=50)),
        custom_hooks=[dict(type='TranslationVisualizationHook',
                           interval='1/400')]))


def test_fractions_become_iterations_of_max_iters():
    cfg = base()
    cfg.train_cfg.max_iters = 2400
    resolve_run_length(cfg)
    assert cfg.train_cfg.val_interval == 400
    assert (cfg.param_scheduler[0].begin, cfg.param_scheduler[0].end) == \
        (1200, 2400)
    assert cfg.default_hooks.checkpoint.interval == 1200
    assert cfg.default_hooks.logger.interval == 50  # a plain number stays
    assert cfg.custom_hooks[0].interval == 6


def test_short_runs_keep_valid_intervals_and_schedules():
    cfg = base()
    cfg.train_cfg.max_iters = 1
    resolve_run_length(cfg)
    assert cfg.train_cfg.val_interval == 1  # intervals are at least 1
    assert cfg.custom_hooks[0].interval == 1
    assert (cfg.param_scheduler[0].begin, cfg.param_scheduler[0].end) == \
        (0, 1)


@pytest.mark.parametrize('value, message', [
    (0, 'train_cfg.max_iters must be at least 1, got 0'),
    (-3, 'train_cfg.max_iters must be at least 1, got -3'),
    ('abc', "train_cfg.max_iters must be a whole number of iterations, got "
     "'abc'"),
])
def test_bad_max_iters_is_refused(value, message):
    cfg = base()
    cfg.train_cfg.max_iters = value
    with pytest.raises(ConfigError, match=message):
        resolve_run_length(cfg)


def test_fraction_over_the_whole_run_is_refused():
    cfg = base()
    cfg.param_scheduler[0].end = '150%'
    with pytest.raises(ConfigError, match=r"param_scheduler\.0\.end='150%'"):
        resolve_run_length(cfg)


@pytest.fixture(scope='module')
def micro(tmp_path_factory, demo_data_root):
    path = tmp_path_factory.mktemp('run_length') / 'micro_fractions.py'
    path.write_text(MICRO.format(base=str(ROOT / 'configs/cyclegan_demo.py'),
                                 data=str(demo_data_root)))
    return path


def train(config, work_dir, *args):
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join([str(ROOT),
                                           os.environ.get('PYTHONPATH', '')]))
    return subprocess.run(
        [sys.executable, 'tools/train.py', str(config), '--work-dir',
         str(work_dir), *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=600)


def logged(work_dir):
    """``{step: record}`` of the training lines of the run's scalars.json."""
    (path,) = Path(work_dir).glob('*/vis_data/scalars.json')
    records = [json.loads(line) for line in path.read_text().splitlines()]
    return {r['step']: r for r in records if 'generators.lr' in r}, records


def test_iters_alone_rescales_schedule_checkpoints_and_validation(micro,
                                                                  tmp_path):
    """--iters 12 on the demo schedule: lr constant for 6 iterations, then
    linear to 0 at the last; checkpoints at 6 and 12; validation every 2
    (1/6 of the run); read back from the run's own scalars.json."""
    proc = train(micro, tmp_path, '--iters', '12')
    assert proc.returncode == 0, proc.stderr[-3000:]
    train_lines, records = logged(tmp_path)
    assert sorted(train_lines) == list(range(1, 13))
    # mmengine's LinearLR from begin=6 to end=12: the factor falls by 1/5
    # per iteration after the 7th and reaches 0 at the 12th
    expected = {i: 2e-4 * min(1.0, max(0.0, 1 - (i - 7) / 5))
                for i in range(1, 13)}
    for step in (1, 6, 7, 8, 10, 12):
        assert train_lines[step]['generators.lr'] == \
            pytest.approx(expected[step], abs=1e-12), step
        assert train_lines[step]['discriminators.lr'] == \
            pytest.approx(expected[step], abs=1e-12), step
    assert sorted(p.name for p in tmp_path.glob('iter_*.pth')) == \
        ['iter_12.pth', 'iter_6.pth']
    val_steps = [r['step'] for r in records if 'PSNR' in r]
    assert val_steps == [2, 4, 6, 8, 10, 12]


def test_explicit_interval_override_wins(micro, tmp_path):
    proc = train(micro, tmp_path, '--iters', '4', '--cfg-options',
                 'default_hooks.checkpoint.interval=1',
                 'default_hooks.checkpoint.max_keep_ckpts=10',
                 'train_cfg.val_interval=4')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.glob('iter_*.pth')) == [
        f'iter_{i}.pth' for i in (1, 2, 3, 4)]
    _, records = logged(tmp_path)
    assert [r['step'] for r in records if 'PSNR' in r] == [4]


@pytest.mark.parametrize('args, message', [
    (['--iters', '0'], 'error: train_cfg.max_iters must be at least 1, got '
     '0: nothing would be trained'),
    (['--cfg-options', 'train_cfg.max_iters=-3'],
     'error: train_cfg.max_iters must be at least 1, got -3: nothing would '
     'be trained'),
])
def test_no_iterations_is_refused_before_anything_runs(micro, tmp_path,
                                                       args, message):
    work = tmp_path / 'work'
    proc = train(micro, work, *args)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [message]
    assert not work.exists()  # nothing trained, nothing written
