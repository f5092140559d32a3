"""Session fixtures shared by the whole suite.

* ``demo_data_root``: the demo rain dataset (``tools/make_demo_data.py``)
  built once in a temporary folder.
* ``micro_checkpoint``: a micro CycleGAN (``tests/configs/cyclegan_micro.py``)
  trained for 4 iterations on that dataset by ``tools/train.py`` with the
  real Runner, once per session (about 10 s on one CPU core).
"""
import os
import os.path as osp
import subprocess
import sys
from typing import NamedTuple

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
MICRO_CONFIG = osp.join(REPO, 'tests', 'configs', 'cyclegan_micro.py')


class MicroCheckpoint(NamedTuple):
    """What :func:`micro_checkpoint` gives (a plain tuple, too)."""
    config: str  # config file with data_root set to the session dataset
    checkpoint: str  # iter_4.pth
    data_root: str
    work_dir: str


def tool_env():
    """Environment for running a tool in a subprocess: one thread."""
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    return env


def _run_tool(args, timeout=120, **kwargs):
    """Run ``python tools/...`` from the repository root; return the result."""
    return subprocess.run([sys.executable] + list(args), cwd=REPO,
                          env=tool_env(), capture_output=True, text=True,
                          timeout=timeout, **kwargs)


@pytest.fixture(scope='session')
def run_tool():
    """``run_tool(['tools/x.py', ...], timeout=120)``: run a tool in a
    subprocess from the repository root (one thread) and return its
    ``CompletedProcess`` (text stdout/stderr)."""
    return _run_tool


@pytest.fixture(scope='session')
def demo_data_root(tmp_path_factory):
    """Path of a freshly built demo dataset (trainA/B, testA/B)."""
    from lowvis.datasets.demo_data import make_demo_data
    root = str(tmp_path_factory.mktemp('demo_rain'))
    make_demo_data(root, seed=0, force=True)
    return root


@pytest.fixture(scope='session')
def micro_checkpoint(demo_data_root, tmp_path_factory):
    """Train the micro CycleGAN once: ``(config, checkpoint, data_root,
    work_dir)``."""
    work_dir = str(tmp_path_factory.mktemp('micro_cyclegan'))
    config = osp.join(work_dir, 'cyclegan_micro_local.py')
    with open(config, 'w') as f:
        f.write(f'_base_ = [{MICRO_CONFIG!r}]\n'
                f'data_root = {demo_data_root!r}\n'
                'train_dataloader = dict(dataset=dict(data_root=data_root))\n'
                'val_dataloader = dict(dataset=dict(data_root=data_root))\n'
                'test_dataloader = dict(dataset=dict(data_root=data_root))\n')
    result = _run_tool(['tools/train.py', config, '--work-dir', work_dir],
                      timeout=300)
    checkpoint = osp.join(work_dir, 'iter_4.pth')
    assert result.returncode == 0 and osp.isfile(checkpoint), \
        result.stdout[-2000:] + result.stderr[-2000:]
    return MicroCheckpoint(config, checkpoint, demo_data_root, work_dir)
