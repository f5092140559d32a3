"""A run killed at any moment, even inside a save, resumes bit-identically.

Every run trains the same micro CycleGAN for 6 iterations with a checkpoint
every 2; the uninterrupted run is the reference.
"""
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import torch

from lowvis.engine import find_resumable_checkpoint

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FAULT_ENV = 'LOWVIS_FAULT_BEFORE_RENAME'  # tests/test_engine/fault_injection.py
NANO = ROOT / 'tests' / 'configs' / 'cyclegan_nano.py'

CONFIG = """
_base_ = [{base!r}]
data_root = {data!r}
train_dataloader = dict(dataset=dict(data_root=data_root))
train_cfg = dict(max_iters=6)
param_scheduler = [dict(type='LinearLR', start_factor=1.0, end_factor=0.0,
                        by_epoch=False, begin=2, end=6)]
default_hooks = dict(checkpoint=dict(interval=2, max_keep_ckpts=5))
custom_hooks = []  # the lowvis runner adds what exact resume needs
custom_imports = dict(imports=['fault_injection'])  # inert unless FAULT_ENV
"""

# the killed run sleeps after each iteration, so that the test can kill it
# between its first checkpoint and its end; sleeping changes no result
SLOW = '''
import time

from mmengine.hooks import Hook

from lowvis.registry import HOOKS


@HOOKS.register_module()
class SleepHook(Hook):

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        time.sleep(0.5)
'''


def env(folder, **extra):
    return dict(os.environ, OMP_NUM_THREADS='1', **extra,
                PYTHONPATH=os.pathsep.join([str(folder), str(HERE),
                                            str(ROOT)]))


def train(config, work_dir, *args, **extra_env):
    return subprocess.run(
        [sys.executable, 'tools/train.py', str(config), '--work-dir',
         str(work_dir), *args], cwd=ROOT, env=env(config.parent, **extra_env),
        capture_output=True, text=True, timeout=600)


def load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def assert_identical(a, b):
    for part in ('state_dict', 'optimizer'):
        torch.testing.assert_close(a[part], b[part], rtol=0, atol=0)
    assert a['param_schedulers'] == b['param_schedulers']
    assert a['meta']['iter'] == b['meta']['iter'] == 6


@pytest.fixture(scope='module')
def setup(tmp_path_factory, demo_data_root):
    """``(config, slow_config, reference iter_6.pth, its work dir)``."""
    folder = tmp_path_factory.mktemp('kill_resume')
    config = folder / 'micro_kill.py'
    config.write_text(CONFIG.format(base=str(NANO), data=demo_data_root))
    (folder / 'sleep_hook.py').write_text(SLOW)
    slow = folder / 'micro_kill_slow.py'
    slow.write_text(f"_base_ = ['./{config.name}']\n"
                    "custom_imports = dict(imports=['sleep_hook'])\n"
                    "custom_hooks = [dict(type='SleepHook')]\n")
    reference = folder / 'reference'
    proc = train(config, reference)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return config, slow, load(reference / 'iter_6.pth'), reference


def test_sigkill_after_a_checkpoint_then_resume(setup, tmp_path):
    config, slow, reference, _ = setup
    proc = subprocess.Popen(
        [sys.executable, 'tools/train.py', str(slow), '--work-dir',
         str(tmp_path)], cwd=ROOT, env=env(slow.parent),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (tmp_path / 'iter_2.pth').exists():
        assert proc.poll() is None and time.time() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert not (tmp_path / 'iter_6.pth').exists()
    done = find_resumable_checkpoint(str(tmp_path))
    resumed = train(config, tmp_path, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    it = int(Path(done).stem.split('_')[1])
    assert f'Resuming at iteration {it}' in resumed.stdout + resumed.stderr
    assert_identical(reference, load(tmp_path / 'iter_6.pth'))


def test_kill_inside_a_save_resumes_from_the_previous(setup, tmp_path):
    config, _, reference, _ = setup
    killed = train(config, tmp_path, **{FAULT_ENV: 'iter_4.pth'})
    assert killed.returncode == 17  # exited between write and rename
    assert (tmp_path / 'iter_2.pth').exists()
    assert not (tmp_path / 'iter_4.pth').exists()
    assert list(tmp_path.glob('.iter_4.pth.*.tmp'))  # the unfinished write
    resumed = train(config, tmp_path, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'Resuming at iteration 2' in resumed.stdout + resumed.stderr
    assert_identical(reference, load(tmp_path / 'iter_6.pth'))


def test_resume_skips_a_corrupt_newest_checkpoint(setup, tmp_path):
    config, _, reference, ref_dir = setup
    (tmp_path / 'iter_2.pth').write_bytes((ref_dir / 'iter_2.pth')
                                          .read_bytes())
    whole = (ref_dir / 'iter_4.pth').read_bytes()
    (tmp_path / 'iter_4.pth').write_bytes(whole[:len(whole) // 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        assert find_resumable_checkpoint(str(tmp_path)) == \
            str(tmp_path / 'iter_2.pth')
    assert any(f'skipping checkpoint {tmp_path / "iter_4.pth"}' in
               str(w.message) for w in caught)
    resumed = train(config, tmp_path, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f'skipping checkpoint {tmp_path / "iter_4.pth"}: corrupt or ' \
        'truncated' in resumed.stderr
    assert 'Resuming at iteration 2' in resumed.stdout + resumed.stderr
    assert_identical(reference, load(tmp_path / 'iter_6.pth'))


def test_fault_env_counts_writes(tmp_path):
    """``N``: the N-th atomic write of the process is interrupted."""
    code = ('import sys, fault_injection; from lowvis.engine.checkpoint_io '
            'import atomic_write_bytes as w; '
            'w(b"1", sys.argv[1] + "/a"); w(b"2", sys.argv[1] + "/b")')
    proc = subprocess.run([sys.executable, '-c', code, str(tmp_path)],
                          cwd=ROOT, env=env(tmp_path, **{FAULT_ENV: '2'}))
    assert proc.returncode == 17
    assert (tmp_path / 'a').read_bytes() == b'1'
    assert not (tmp_path / 'b').exists()


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM])
def test_signal_saves_then_resume_command_is_bit_identical(setup, tmp_path,
                                                           sig):
    """A real signal to a real training process: it saves the iteration it
    is in, prints the command that resumes, exits 128 + signal; running
    that command ends bit-identical to the uninterrupted run."""
    _, slow, reference, _ = setup
    err_path = tmp_path / 'stderr.txt'
    work = tmp_path / 'work'
    with open(err_path, 'w') as err:
        proc = subprocess.Popen(
            [sys.executable, 'tools/train.py', str(slow), '--work-dir',
             str(work)], cwd=ROOT, env=env(slow.parent),
            stdout=subprocess.PIPE, stderr=err, text=True)
        for line in proc.stdout:  # the run's own progress lines
            if 'Iter(train) [2/6]' in line:
                break
        proc.send_signal(sig)
        rest = proc.stdout.read()
        assert proc.wait(timeout=300) == 128 + sig
    stderr = err_path.read_text()
    assert 'Traceback' not in stderr and 'Traceback' not in rest
    found = re.search(r'stopped after iteration (\d+), saved (\S+)', stderr)
    assert found, stderr[-3000:]
    k = int(found.group(1))
    assert 2 <= k < 6
    assert found.group(2) == str(work / f'iter_{k}.pth')
    assert load(found.group(2))['meta']['iter'] == k
    assert not (work / 'iter_6.pth').exists()
    command = re.search(r'resume with: (.*)', stderr).group(1)
    args = shlex.split(command)
    assert args[-2:] == ['--resume', str(work / f'iter_{k}.pth')]
    resumed = subprocess.run(args, cwd=ROOT, env=env(slow.parent),
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f'Resuming at iteration {k}' in resumed.stdout
    assert_identical(reference, load(work / 'iter_6.pth'))


def test_resuming_a_complete_run_says_so(setup, tmp_path):
    config, _, reference, ref_dir = setup
    for name in ('iter_6.pth',):
        (tmp_path / name).write_bytes((ref_dir / name).read_bytes())
    before = (tmp_path / 'iter_6.pth').read_bytes()
    proc = train(config, tmp_path, '--resume')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'nothing to train: the run is complete (the checkpoint is at ' \
        'iteration 6, train_cfg.max_iters is 6)' in proc.stdout
    assert 'Iter(train)' not in proc.stdout
    assert (tmp_path / 'iter_6.pth').read_bytes() == before
