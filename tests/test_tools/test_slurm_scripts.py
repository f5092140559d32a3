"""tools/slurm_train.sh and tools/slurm_test.sh: the srun command they build.

A fake ``srun`` first on PATH stands in for the cluster: it writes its argv
and the PYTHONPATH it was given as JSON, and exits 0.
"""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_train_args(argv):
    return load_tool('train.py').parse_args(argv)


FAKE_SRUN = """#!{python}
import json, os, sys
with open(os.environ['SRUN_RECORD'], 'w') as f:
    json.dump(dict(argv=sys.argv[1:], pythonpath=os.environ['PYTHONPATH']), f)
"""


@pytest.fixture
def fake_srun(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    srun = bin_dir / 'srun'
    srun.write_text(FAKE_SRUN.format(python=sys.executable))
    srun.chmod(0o755)
    record = tmp_path / 'srun.json'

    def run(script, *args, **env):
        environ = {k: v for k, v in os.environ.items()
                   if k not in ('GPUS', 'GPUS_PER_NODE', 'CPUS_PER_TASK',
                                'SRUN_ARGS')}
        environ.update(env, PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
                       SRUN_RECORD=str(record), PYTHON='python3')
        proc = subprocess.run(['bash', osp.join(REPO, 'tools', script),
                               *args], env=environ, capture_output=True,
                              text=True, timeout=60)
        recorded = json.loads(record.read_text()) if record.exists() \
            else None
        return proc, recorded
    return run


def test_slurm_train_builds_mmagics_srun_line(fake_srun):
    proc, rec = fake_srun('slurm_train.sh', 'gpu-part', 'dcd', 'cfg.py',
                          'work/dcd', '--amp', 'bf16', GPUS='16',
                          GPUS_PER_NODE='8', CPUS_PER_TASK='6',
                          SRUN_ARGS='--quotatype=auto --time=72:00:00')
    assert proc.returncode == 0, proc.stderr
    assert rec['argv'] == [
        '-p', 'gpu-part', '--job-name=dcd', '--gres=gpu:8', '--ntasks=16',
        '--ntasks-per-node=8', '--cpus-per-task=6', '--kill-on-bad-exit=1',
        '--quotatype=auto', '--time=72:00:00',
        'python3', '-u', osp.join(REPO, 'tools', 'train.py'), 'cfg.py',
        '--work-dir=work/dcd', '--launcher=slurm', '--amp', 'bf16']
    assert rec['pythonpath'].split(os.pathsep)[0] == REPO
    # what srun runs is a valid tools/train.py command line
    args = parse_train_args(rec['argv'][13:])
    assert (args.config, args.work_dir, args.launcher, args.amp) == (
        'cfg.py', 'work/dcd', 'slurm', 'bf16')


def test_slurm_test_defaults(fake_srun):
    proc, rec = fake_srun('slurm_test.sh', 'p', 'eval', 'cfg.py', 'x.pth')
    assert proc.returncode == 0, proc.stderr
    assert rec['argv'] == [
        '-p', 'p', '--job-name=eval', '--gres=gpu:8', '--ntasks=8',
        '--ntasks-per-node=8', '--cpus-per-task=5', '--kill-on-bad-exit=1',
        'python3', '-u', osp.join(REPO, 'tools', 'test.py'), 'cfg.py',
        'x.pth', '--launcher=slurm']


def test_slurm_bad_arguments_are_one_line(fake_srun):
    proc, rec = fake_srun('slurm_train.sh', 'p', 'j', 'cfg.py')
    assert proc.returncode == 2 and rec is None
    assert proc.stderr.startswith('usage: ')
    proc, rec = fake_srun('slurm_train.sh', 'p', 'j', 'c.py', 'w', GPUS='x')
    assert proc.returncode == 2 and rec is None
    assert proc.stderr.strip() == \
        "error: GPUS must be a positive number of processes, got 'x'"
