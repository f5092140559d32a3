"""Bad input to tools/train.py gives one line on stderr, not a traceback."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
CONFIG = 'configs/cyclegan_demo.py'


def run_train(*args):
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', *args], cwd=ROOT,
        capture_output=True, text=True,
        env=dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES=''))
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith('error:')]
    return proc, lines


@pytest.mark.parametrize('options, expected', [
    (['model.generators.A2B.type=ResnetGenerater'],
     "type='ResnetGenerater' is not registered in lowvis's model registry; "
     'did you mean ResnetGenerator'),
    (['model.generators.A2B.ngff=4'],
     "ResnetGenerator does not accept 'ngff' (did you mean 'ngf'?)"),
])
def test_config_typos_are_explained(tmp_path, options, expected):
    proc, lines = run_train(CONFIG, '--work-dir', str(tmp_path),
                            '--cfg-options', *options)
    assert proc.returncode == 2
    assert len(lines) == 1 and expected in lines[0], proc.stderr[-2000:]
    assert 'Traceback' not in proc.stderr


def test_missing_data_root_names_the_path(tmp_path):
    missing = tmp_path / 'no_such_data'
    proc, lines = run_train(
        CONFIG, '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
        f'train_dataloader.dataset.data_root={missing}')
    assert proc.returncode == 2
    assert len(lines) == 1 and str(missing) in lines[0]
    assert 'docs/datasets.md' in lines[0]


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs no CUDA')
def test_amp_fp16_without_cuda_is_refused(tmp_path):
    proc, lines = run_train(CONFIG, '--work-dir', str(tmp_path), '--amp')
    assert proc.returncode == 2
    assert lines == ['error: --amp fp16 needs a CUDA GPU, and none is '
                     'available here; use --amp bf16 on the CPU, or drop '
                     '--amp to train in fp32']


def test_missing_config_file():
    proc, lines = run_train('configs/nope.py')
    assert proc.returncode == 2 and lines == [
        'error: config file not found: configs/nope.py']
