"""tools/device_check.sh: refuses a machine without CUDA in one line; its
time budget and report (the GPU run itself happens on a GPU machine)."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_helper():
    return load_tool('device_check.py')


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs no CUDA')
def test_without_cuda_one_line_and_exit_2(tmp_path):
    out = tmp_path / 'report'
    proc = subprocess.run(
        ['bash', osp.join(REPO, 'tools', 'device_check.sh'), '--out-dir',
         str(out)], env=dict(os.environ, PYTHON=sys.executable),
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith('error: tools/device_check.sh needs a CUDA '
                               'GPU and torch sees none')
    assert proc.stdout == '' and not out.exists()


def test_steps_keep_to_the_budget():
    helper = load_helper()
    steps = helper.Steps(budget_s=60)
    ok = steps.run('ok', [sys.executable, '-c', 'print("hi")'], 30)
    bad = steps.run('bad', [sys.executable, '-c', 'raise SystemExit(3)'], 30)
    slow = steps.run('slow', [sys.executable, '-c',
                              'import time; time.sleep(30)'], 1)
    assert (ok['status'], ok['rc'], ok['tail'].strip()) == ('ok', 0, 'hi')
    assert (bad['status'], bad['rc']) == ('failed', 3)
    assert slow['status'] == 'timed out after 1 s'
    steps.deadline -= 60  # budget spent: nothing else starts
    assert steps.run('late', ['true'], 30)['status'] == \
        'skipped (time budget)'


def test_markdown_report():
    helper = load_helper()
    report = dict(device='GPU X', torch='2.x', commit='abc', date='d',
                  seconds=1.0, iters=30,
                  steps=[dict(name='pytest -m cuda', status='ok',
                              seconds=3.0)],
                  benchmark=[dict(variant='default', precision='bf16',
                                  s_per_iter=0.05, images_per_s=20.0,
                                  peak_mb=1234.4, losses_finite=True),
                             dict(variant='compile', precision='all',
                                  status='timed out after 200 s')])
    text = helper.markdown(report)
    assert '| pytest -m cuda | ok | 3.0 |' in text
    assert '| default | bf16 | 0.0500 | 20.00 | 1234 | True |' in text
    assert '| compile | - | timed out after 200 s | | | |' in text
