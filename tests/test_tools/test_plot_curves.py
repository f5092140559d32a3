"""Learning curves, test reports and GAN diagnostics on real short runs.

Two micro DCD-GAN runs train 4 iterations each with a validation every 2:
one with :class:`GANDiagnosticsHook`, one without, same seed. The hook must
not change training (same weights, same curves), and
``tools/analysis/plot_curves.py`` must read both runs' own logs.
"""
import csv
import json
import os.path as osp

import pytest
import torch

from lowvis.utils.errors import DataError
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(REPO, 'configs', 'dcdgan_demo.py')


curves = load_tool('analysis/plot_curves.py')
report = load_tool('analysis/report_test.py')


def _micro_config(path, data_root, diagnostics):
    hooks = ["dict(type='PlainCheckpointHook')"]
    if diagnostics:
        hooks.append("dict(type='GANDiagnosticsHook', interval=2)")
    path.write_text(f"""
_base_ = [{DEMO!r}]
data_root = {data_root!r}
generator = dict(type='ResnetGenerator', ngf=8, n_blocks=3, norm='instance',
                 antialias=True, global_residual=True, init_type='xavier',
                 init_gain=0.02)
discriminator = dict(type='PatchDiscriminator', ndf=8, n_layers=2,
                     norm='instance', antialias=True)
model = dict(
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator),
    contrastive=dict(
        head=dict(out_channels=32),
        patch_sampler=dict(num_patches=16),
        negative_sampler=dict(num_internal=15, num_external=16)))
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=32),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(batch_size=2, dataset=dict(data_root=data_root,
                                                   pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=4, val_interval=2)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=4, save_best=None))
custom_hooks = [{', '.join(hooks)}]
""")
    return str(path)


@pytest.fixture(scope='module')
def two_runs(demo_data_root, tmp_path_factory, run_tool):
    """``{'diag': work_dir, 'plain': work_dir}``, each trained 4 iterations."""
    runs = {}
    for name in ('diag', 'plain'):
        work = tmp_path_factory.mktemp(f'curves_{name}')
        config = _micro_config(work / 'micro.py', demo_data_root,
                               name == 'diag')
        result = run_tool(['tools/train.py', config, '--work-dir',
                           str(work), '--seed', '3'], timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        runs[name] = str(work)
    return runs


def _weights(work_dir):
    state = torch.load(osp.join(work_dir, 'iter_4.pth'), weights_only=True)
    return state['state_dict']


def _same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return torch.equal(a, b) if torch.is_tensor(a) else a == b


def test_diagnostics_hook_records_and_does_not_change_training(two_runs):
    lines = open(osp.join(two_runs['diag'], 'diagnostics.jsonl')).read()
    records = [json.loads(line) for line in lines.splitlines()]
    assert [r['iter'] for r in records] == [2, 4]
    for rec in records:
        # the adversarial and cycle terms of the forward cycle reach G_A2B;
        # the adversarial term of G_B2A does not
        assert rec['grad_A2B/loss_gan_A2B'] > 0
        assert rec['grad_A2B/loss_color_cycle_A'] > 0
        assert rec['grad_A2B/loss_gan_B2A'] == 0
        assert 0 < rec['delta_A2B'] < 1
        for key in ('D_B_real', 'D_B_fake', 'D_A_real', 'D_A_fake'):
            assert isinstance(rec[key], float)
    assert not osp.exists(osp.join(two_runs['plain'], 'diagnostics.jsonl'))
    diag, plain = _weights(two_runs['diag']), _weights(two_runs['plain'])
    assert diag.keys() == plain.keys()
    for key in diag:
        assert _same(diag[key], plain[key]), key


def test_plot_curves_reads_both_runs(two_runs, tmp_path):
    out = str(tmp_path / 'curves.png')
    assert curves.main([two_runs['diag'], two_runs['plain'], '--out', out,
                        '--labels', 'with hook', 'without']) == 0
    assert osp.getsize(out) > 10000  # a real figure, two panels
    table = str(tmp_path / 'table.md')
    assert curves.main([two_runs['plain'], '--out',
                        str(tmp_path / 'one.png'), '--table', table]) == 0
    with open(table) as f:
        cells = f.read().splitlines()[2].strip('|').split('|')
    # the last of the run's two validations (iterations 2 and 4)
    assert [c.strip() for c in cells[:2]] == [
        osp.basename(two_runs['plain']), '4']
    with open(str(tmp_path / 'curves.csv'), newline='') as f:
        rows = list(csv.DictReader(f))
    assert [(r['run'], int(r['iter'])) for r in rows] == [
        ('with hook', 2), ('with hook', 4), ('without', 2), ('without', 4)]
    # same seed, and the hook does not disturb training: same curves
    assert [r['PSNR'] for r in rows[:2]] == [r['PSNR'] for r in rows[2:]]
    # the rainy input's score is the demo data's (tools/make_demo_data.py)
    for row in rows:
        assert abs(float(row['input/PSNR']) - 21.30) < 0.01
        assert 0 < float(row['SSIM']) < 1


def test_plot_curves_errors(two_runs, tmp_path):
    with pytest.raises(DataError, match='no .*scalars.json'):
        curves.main([str(tmp_path), '--out', str(tmp_path / 'c.png')])
    with pytest.raises(Exception, match="metric 'LPIPS' not logged"):
        curves.main([two_runs['plain'], '--out', str(tmp_path / 'c.png'),
                     '--metrics', 'LPIPS'])


def test_read_validations_resumed_run(tmp_path):
    """Two timestamp folders: the later one continues (and overrides)."""
    for stamp, lines in (('20260101_000000', [
            {'iter': 50, 'lr': 1.0, 'step': 50}, {'PSNR': 20.0, 'step': 50},
            {'iter': 100, 'lr': 1.0, 'step': 100}, {'PSNR': 21.0, 'step': 0}
    ]), ('20260101_010000', [{'iter': 150, 'step': 150},
                             {'PSNR': 23.0, 'step': 150},
                             {'val_images/x/PSNR': 25.0, 'step': 150},
                             {'PSNR': 22.0, 'step': 100}])):
        folder = tmp_path / stamp / 'vis_data'
        folder.mkdir(parents=True)
        (folder / 'scalars.json').write_text(
            ''.join(json.dumps(line) + '\n' for line in lines))
    records = curves.read_validations(str(tmp_path))
    # the per-image scores ValidationImagesHook logs after the metrics,
    # at the same step, join the validation record instead of replacing it
    assert records[150] == {'PSNR': 23.0, 'step': 150,
                            'val_images/x/PSNR': 25.0}
    # step 0 (metrics logged by epoch) falls back to the last train iter
    assert {k: v['PSNR'] for k, v in records.items()} == {
        50: 20.0, 100: 22.0, 150: 23.0}


def test_summary_table_last_and_best_hand_computed():
    rows = [dict(run='a', iter=100, PSNR=22.0, SSIM=0.5, **{'input/PSNR': 21.3,
                                                          'input/SSIM': 0.58}),
            dict(run='a', iter=200, PSNR=24.5, SSIM=0.7, **{'input/PSNR': 21.3,
                                                          'input/SSIM': 0.58}),
            dict(run='a', iter=300, PSNR=23.0, SSIM=0.6, **{'input/PSNR': 21.3,
                                                          'input/SSIM': 0.58}),
            dict(run='b', iter=300, PSNR=20.0, SSIM=0.4, **{'input/PSNR': '',
                                                          'input/SSIM': ''})]
    lines = curves.summary_table(rows, ['a', 'b'], ['PSNR', 'SSIM']).split(
        '\n')
    cells = [[c.strip() for c in line.strip('|').split('|')]
             for line in lines]
    assert cells[0] == ['run', 'last iter', 'PSNR (last)', 'SSIM (last)',
                        'best PSNR', 'at iter', 'input PSNR']
    # last validation of a is at 300, its best PSNR at 200
    assert cells[2] == ['a', '300', '23.0000', '0.6000', '24.5000', '200',
                        '21.3000']
    assert cells[3] == ['b', '300', '20.0000', '0.4000', '20.0000', '300', '']


def test_report_table_hand_computed():
    lines = report.format_table({'PSNR': 23.5, 'input/PSNR': 21.25,
                                 'SSIM': 0.6, 'input/SSIM': 0.65,
                                 'LPIPS': 0.125})
    assert lines[1].split() == ['PSNR', '21.2500', '23.5000', '+2.2500', 'dB']
    assert lines[2].split() == ['SSIM', '0.6500', '0.6000', '-0.0500']
    assert lines[3].split() == ['LPIPS', '0.1250']
