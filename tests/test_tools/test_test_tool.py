"""tools/test.py: full-resolution run, CSV/JSON/images, checkpoint errors."""
import csv
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch

from lowvis.datasets import list_images, read_image
from lowvis.evaluation import psnr
from tool_modules import error_line

COLUMNS = ['name', 'PSNR', 'SSIM', 'PSNR_Y', 'SSIM_Y', 'input/PSNR',
           'input/SSIM', 'input/PSNR_Y', 'input/SSIM_Y']


@pytest.fixture(scope='module')
def tested(micro_checkpoint, run_tool, tmp_path_factory):
    out_dir = str(tmp_path_factory.mktemp('test_out'))
    work_dir = str(tmp_path_factory.mktemp('test_work'))
    result = run_tool(['tools/test.py', micro_checkpoint.config,
                       micro_checkpoint.checkpoint, '--work-dir', work_dir,
                       '--out-dir', out_dir])
    assert result.returncode == 0, result.stderr[-3000:]
    return out_dir, result


def _rows(out_dir):
    with open(osp.join(out_dir, 'per_image_metrics.csv'), newline='') as f:
        return list(csv.DictReader(f))


def test_csv_has_one_row_per_test_image(tested, micro_checkpoint):
    out_dir, _ = tested
    rows = _rows(out_dir)
    stems = [osp.splitext(osp.basename(p))[0] for p in
             list_images(osp.join(micro_checkpoint.data_root, 'testA'))]
    assert list(rows[0].keys()) == COLUMNS
    assert sorted(r['name'] for r in rows) == sorted(stems)
    for row in rows:
        assert 5 < float(row['PSNR']) < 60
        assert 0 < float(row['SSIM_Y']) <= 1


def test_images_are_full_resolution_and_match_the_csv(tested,
                                                      micro_checkpoint):
    out_dir, _ = tested
    for row in _rows(out_dir):
        out = read_image(osp.join(out_dir, row['name'] + '.png'))
        gt = read_image(osp.join(micro_checkpoint.data_root, 'testB',
                                 row['name'] + '.png'))
        assert out.shape == gt.shape == (128, 128, 3)
        # the metric scores the uint8-rounded output, which is the PNG
        assert psnr(out, gt) == pytest.approx(float(row['PSNR']), abs=1e-9)
        assert psnr(out, gt, convert_to='Y') == pytest.approx(
            float(row['PSNR_Y']), abs=1e-9)


def test_summary_json(tested, micro_checkpoint):
    out_dir, result = tested
    with open(osp.join(out_dir, 'summary.json')) as f:
        summary = json.load(f)
    rows = _rows(out_dir)
    assert summary['config'] == osp.abspath(micro_checkpoint.config)
    assert summary['checkpoint'] == osp.abspath(micro_checkpoint.checkpoint)
    assert summary['num_images'] == len(rows)
    assert summary['git_commit'] is None or len(summary['git_commit']) == 40
    assert summary['time']
    for key in COLUMNS[1:]:
        mean = np.mean([float(r[key]) for r in rows])
        assert summary['metrics'][key] == pytest.approx(mean, rel=1e-9)
    assert f"PSNR: {summary['metrics']['PSNR']:.4f}" in result.stdout


def test_without_out_dir_writes_results_to_the_work_dir(micro_checkpoint,
                                                        run_tool, tmp_path):
    result = run_tool(['tools/test.py', micro_checkpoint.config,
                       micro_checkpoint.checkpoint, '--work-dir',
                       str(tmp_path)])
    assert result.returncode == 0, result.stderr[-3000:]
    assert osp.isfile(tmp_path / 'per_image_metrics.csv')
    assert osp.isfile(tmp_path / 'summary.json')
    assert not [n for n in os.listdir(tmp_path) if n.endswith('.png')]


def test_missing_checkpoint(micro_checkpoint, run_tool, tmp_path):
    missing = str(tmp_path / 'nope.pth')
    result = run_tool(['tools/test.py', micro_checkpoint.config, missing,
                       '--work-dir', str(tmp_path)])
    error_line(result, 'checkpoint not found', missing, alone=True)


def test_checkpoint_of_another_model(micro_checkpoint, run_tool, tmp_path):
    ckpt = torch.load(micro_checkpoint.checkpoint, weights_only=True)
    ckpt['meta']['model_type'] = 'DCDGAN'
    other = str(tmp_path / 'dcdgan.pth')
    torch.save(ckpt, other)
    result = run_tool(['tools/test.py', micro_checkpoint.config, other,
                       '--work-dir', str(tmp_path)])
    error_line(result, other, 'DCDGAN', 'CycleGAN', alone=True)


def test_corrupt_checkpoint(micro_checkpoint, run_tool, tmp_path):
    corrupt = str(tmp_path / 'corrupt.pth')
    with open(micro_checkpoint.checkpoint, 'rb') as f:
        data = f.read()
    with open(corrupt, 'wb') as f:
        f.write(data[:len(data) // 2])
    result = run_tool(['tools/test.py', micro_checkpoint.config, corrupt,
                       '--work-dir', str(tmp_path)])
    error_line(result, corrupt, 'corrupt', alone=True)


def test_resizing_test_pipeline_is_refused(micro_checkpoint, run_tool,
                                           tmp_path):
    config = str(tmp_path / 'resizing.py')
    with open(config, 'w') as f:
        f.write(f'_base_ = [{micro_checkpoint.config!r}]\n'
                'test_dataloader = dict(dataset=dict(pipeline=[\n'
                "    dict(type='LoadImageFromFile', key='img_A'),\n"
                "    dict(type='Resize', keys=['img_A'], scale=(64, 64)),\n"
                "    dict(type='PackUnpairedInputs')]))\n")
    result = run_tool(['tools/test.py', config, micro_checkpoint.checkpoint,
                       '--work-dir', str(tmp_path)])
    error_line(result, config, 'Resize', 'full resolution', alone=True)
