"""Each bad input to the tools gives one ``error:`` line and exit code 2.

Config typos in plugin-free components, a missing test data root, an
unreadable image (also when it is read in a DataLoader worker), unsafe or
corrupt checkpoints given to ``--resume``, and GPUs asked for where there
are none.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]


def run_tool(tool, *args):
    env = {k: v for k, v in os.environ.items()
           if k != 'CUDA_VISIBLE_DEVICES'}
    proc = subprocess.run(
        [sys.executable, f'tools/{tool}', *map(str, args)], cwd=ROOT,
        env=dict(env, OMP_NUM_THREADS='1'), capture_output=True, text=True,
        timeout=600)
    # libpng, in a DataLoader worker, may write its own complaint without a
    # newline just before our line
    stderr = re.sub(r'libpng error: .*?(?=error: |$)', '', proc.stderr,
                    flags=re.M)
    lines = [ln for ln in stderr.splitlines() if ln.startswith('error:')]
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert len(lines) == 1 and 'Traceback' not in proc.stderr, \
        proc.stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize('option, expected', [
    ('model.loss_cycle.loss_wieght=10',
     "error: config error: L1Loss does not accept 'loss_wieght' (did you "
     "mean 'loss_weight'?); it accepts: loss_weight"),
    ('train_dataloader.dataset.pipeline.0.kye=img_A',
     "error: config error: LoadImageFromFile does not accept 'kye' (did you "
     "mean 'key'?); it accepts: key"),
    ('train_dataloader.dataset.type=UnpairedImageDatset',
     "error: config error: type='UnpairedImageDatset' is not registered in "
     "lowvis's dataset registry; did you mean UnpairedImageDataset"),
    ('model.nan_policy=ignore',
     "error: model.nan_policy must be one of ('stop', 'skip'), got "
     "'ignore'"),
])
def test_config_typos(micro_checkpoint, tmp_path, option, expected):
    line = run_tool('train.py', micro_checkpoint.config, '--work-dir',
                    tmp_path, '--cfg-options', option)
    assert line.startswith(expected)


def test_missing_test_data_root(micro_checkpoint, tmp_path):
    missing = tmp_path / 'no_such_data'
    line = run_tool('test.py', micro_checkpoint.config,
                    micro_checkpoint.checkpoint, '--work-dir', tmp_path,
                    '--cfg-options',
                    f'test_dataloader.dataset.data_root={missing}')
    assert str(missing) in line and 'docs/datasets.md' in line


@pytest.fixture(scope='module')
def broken_data(micro_checkpoint, tmp_path_factory):
    """Two good A and B images and one truncated A image."""
    root = tmp_path_factory.mktemp('broken_data')
    for domain in ('trainA', 'trainB'):
        src = sorted((Path(micro_checkpoint.data_root) / domain)
                     .glob('*.png'))[:2]
        (root / domain).mkdir()
        for path in src:
            shutil.copy(path, root / domain)
    data = src[0].read_bytes()
    broken = root / 'trainA' / 'broken.png'
    broken.write_bytes(data[:len(data) // 3])
    return root, broken


@pytest.mark.parametrize('workers', [0, 1])
def test_unreadable_image_is_named(micro_checkpoint, broken_data, tmp_path,
                                   workers):
    root, broken = broken_data
    line = run_tool('train.py', micro_checkpoint.config, '--work-dir',
                    tmp_path, '--cfg-options',
                    f'train_dataloader.dataset.data_root={root}',
                    f'train_dataloader.num_workers={workers}')
    assert line == (f'error: cannot decode {broken}: not an image or a '
                    'corrupt file (supported: jpg, png, bmp, tif, webp)')
    assert not list(tmp_path.rglob('*.pth'))  # found before iteration 1


class Evil:
    """Unpickling this would run a shell command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_resume_refuses_a_checkpoint_that_runs_code(micro_checkpoint,
                                                    tmp_path):
    marker = tmp_path / 'pwned'
    ckpt = torch.load(micro_checkpoint.checkpoint, weights_only=True)
    ckpt['meta']['payload'] = Evil(marker)
    path = tmp_path / 'evil.pth'
    torch.save(ckpt, path)
    line = run_tool('train.py', micro_checkpoint.config, '--work-dir',
                    tmp_path, '--resume', path)
    assert line.startswith(f'error: refusing to load {path}: it needs '
                           'arbitrary code to unpickle')
    assert not marker.exists()


def test_resume_from_a_truncated_checkpoint(micro_checkpoint, tmp_path):
    data = Path(micro_checkpoint.checkpoint).read_bytes()
    path = tmp_path / 'iter_4.pth'
    path.write_bytes(data[:len(data) // 2])
    line = run_tool('train.py', micro_checkpoint.config, '--work-dir',
                    tmp_path / 'wd', '--resume', path)
    assert line.startswith(f'error: corrupt or truncated checkpoint {path}')


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a CPU-only host')
@pytest.mark.parametrize('tool', ['train.py', 'test.py'])
def test_device_cuda_without_a_gpu(micro_checkpoint, tmp_path, tool):
    args = [micro_checkpoint.config] + (
        [micro_checkpoint.checkpoint] if tool == 'test.py' else [])
    line = run_tool(tool, *args, '--work-dir', tmp_path, '--device', 'cuda')
    assert line == ('error: --device cuda: no CUDA GPU is visible to '
                    'PyTorch; check the driver with nvidia-smi, or drop '
                    '--device cuda to run on the CPU')
