"""tools/benchmark.py: its pieces in-process, the whole tool on micro
configs in subprocesses (real workers, real Runner training)."""
import json
import math
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config

from lowvis.utils.cli import run_main
from lowvis.utils.errors import ConfigError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tools'))
import benchmark  # noqa: E402

sys.path.remove(osp.join(REPO, 'tools'))

MICRO_CUT = '''_base_ = [{base!r}]
generator = dict(type='ResnetGenerator', ngf=8, n_blocks=1, norm='instance',
                 antialias=True, global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=8, n_layers=2,
                     antialias=True)
model = dict(generators=dict(A2B=generator),
             discriminators=dict(B=discriminator), nce_layers=(0, 4, 8, 12),
             contrastive=dict(patch_sampler=dict(num_patches=16)))
crop_size = 32
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=crop_size),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))
'''


@pytest.fixture
def micro_cut(tmp_path):
    path = tmp_path / 'cut_micro.py'
    path.write_text(MICRO_CUT.format(
        base=osp.join(REPO, 'configs', 'cut_demo.py')))
    return str(path)


def fake_result(name, model_type, params, seconds, size=64):
    return dict(name=name, model_type=model_type, size=size,
                params=dict(G_A2B=params, total=params),
                gflops_generator=1.0, generator_calls_per_iter=2.0,
                train_iter_s=seconds, latency_s=seconds / 10,
                memory=dict(rss_peak_mb=100.0, rss_growth_mb=10.0,
                            cuda_peak_mb=None))


def test_training_overrides_scale_the_schedule_to_the_budget():
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'cut_demo.py'))
    # the demo schedule decays over the second half, as fractions of the
    # run ('50%', '100%'): they follow max_iters and are left alone
    options = benchmark.training_overrides(cfg, 10, data_root='/d')
    assert 'train_cfg.max_iters=10' in options
    assert 'train_cfg.val_interval=10' in options
    assert not [o for o in options if o.startswith('param_scheduler')]
    assert 'val_dataloader.dataset.data_root=/d' in options


def test_final_metrics_come_from_the_newest_run(tmp_path):
    for run, psnr in (('20240101_000000', 1.0), ('20240102_000000', 2.0)):
        folder = tmp_path / run / 'vis_data'
        folder.mkdir(parents=True)
        lines = [dict(loss_nce=3.0, step=1), dict(PSNR=psnr - 0.5, step=0),
                 dict(PSNR=psnr, SSIM_Y=0.5, step=0, time=0.1)]
        (folder / 'scalars.json').write_text(
            '\n'.join(json.dumps(line) for line in lines))
    assert benchmark.final_metrics(str(tmp_path)) == dict(PSNR=2.0,
                                                          SSIM_Y=0.5)
    with pytest.raises(ConfigError, match='no vis_data/scalars.json'):
        benchmark.final_metrics(str(tmp_path / 'nothing'))


def test_ratio_columns_against_the_chosen_method():
    results = [fake_result('cut_demo', 'CUT', 1e6, 0.5),
               fake_result('dclgan_demo', 'DCLGAN', 2e6, 2.0)]
    assert benchmark.pick_reference(results, 'DCLGAN')['name'] == \
        'dclgan_demo'
    assert benchmark.pick_reference(results, 'cut')['name'] == 'cut_demo'
    with pytest.raises(ConfigError, match='matches no single method'):
        benchmark.pick_reference(results, 'cyclegan')
    table = benchmark.speed_table(results, results[1]).splitlines()
    header = [c.strip() for c in table[0].strip('|').split('|')]
    cut = [c.strip() for c in table[2].strip('|').split('|')]
    row = dict(zip(header, cut))
    assert row['params vs dclgan_demo'] == '0.50x'
    assert row['s / iter vs dclgan_demo'] == '0.25x'
    assert row['s / iter'] == '0.500' and row['params (M)'] == '1.000'


def test_mixed_sizes_get_a_column():
    results = [fake_result('a', 'CUT', 1e6, 0.5, size=64),
               fake_result('b', 'CUT', 1e6, 0.5, size=256)]
    table = benchmark.speed_table(results).splitlines()
    assert table[0].startswith('| method | model | px |')
    assert table[3].startswith('| b | CUT | 256 |')
    assert '| px |' not in benchmark.speed_table(results[:1])


def test_configs_from_globs(tmp_path):
    for name in ('b_demo.py', 'a_demo.py', 'other.py'):
        (tmp_path / name).write_text('')
    paths = benchmark.expand_configs([str(tmp_path / '*_demo.py'),
                                      str(tmp_path / 'a_demo.py')])
    assert [osp.basename(p) for p in paths] == ['a_demo.py', 'b_demo.py']
    with pytest.raises(ConfigError, match='no config matches'):
        benchmark.expand_configs([str(tmp_path / '*_none.py')])


def test_measure_counts_parameters_calls_and_memory(micro_cut):
    args = benchmark.parse_args([micro_cut, '--iters', '2'])
    r = benchmark.measure(micro_cut, args)
    assert (r['name'], r['model_type']) == ('cut_micro', 'CUT')
    assert r['config'] == micro_cut and r['seed'] == 0
    assert r['batch_size'] == 2  # the config's
    assert r['size'] == 32  # the config's crop_size
    # CUT: the translation of [a; b] (2 + 2 images), then the encoder of
    # its 4 outputs
    assert r['generator_calls_per_iter'] == 2
    assert r['generator_images_per_iter'] == 8
    assert set(r['params']) == {'G_A2B', 'D_B', 'heads', 'total'}
    assert r['params']['total'] == sum(
        v for k, v in r['params'].items() if k != 'total')
    assert len(r['train_iter_s_all']) == 2 and r['train_iter_s'] > 0
    assert r['gflops_generator'] > 0 and r['latency_s'] > 0
    assert r['memory']['rss_peak_mb'] > 0 and \
        r['memory']['cuda_peak_mb'] is None


def test_command_line_writes_json_and_markdown(run_tool, micro_cut,
                                               tmp_path):
    out = tmp_path / 'out'
    result = run_tool(['tools/benchmark.py', micro_cut, '--size', '32',
                       '--iters', '1', '--out-dir', str(out), '--vs', 'cut'],
                      timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((out / 'benchmark.json').read_text())
    assert report['meta']['torch'] and report['meta']['commit']
    assert report['meta']['device_type'] == 'cpu'
    assert report['methods'][0]['name'] == 'cut_micro'
    markdown = (out / 'benchmark.md').read_text()
    assert '| cut_micro | CUT |' in markdown
    assert 's / iter vs cut_micro' in markdown
    assert markdown.count('1.00x') == 4  # the reference row's own ratios


def test_training_runs_the_runner_and_reads_final_validation(
        micro_cut, demo_data_root, tmp_path):
    args = benchmark.parse_args([micro_cut, '--train', '--train-iters', '2',
                                 '--data-root', demo_data_root])
    train = benchmark.train_and_evaluate(micro_cut, args, str(tmp_path))
    assert train['iters'] == 2
    assert osp.isfile(osp.join(train['work_dir'], 'iter_2.pth'))
    for key in ('PSNR', 'SSIM', 'PSNR_Y', 'SSIM_Y'):
        assert math.isfinite(train['metrics'][key])
    assert benchmark.quality_table([dict(name='cut_micro', train=train)]) \
        .splitlines()[0].startswith('| method | PSNR | SSIM | PSNR_Y |')


def test_bad_vs_fails_before_measuring(micro_cut, tmp_path, capsys):
    with pytest.raises(SystemExit):
        run_main(lambda: benchmark.main([micro_cut, '--vs', 'nope',
                                         '--out-dir', str(tmp_path)]))
    assert capsys.readouterr().err.strip().splitlines()[-1] == \
        'error: --vs nope matches no single method among: cut_micro'
    assert not (tmp_path / 'benchmark.json').exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is here')
def test_cuda_without_a_gpu_is_a_one_line_error(micro_cut, tmp_path):
    out = tmp_path / 'worker.json'
    benchmark.run_worker(benchmark.parse_args(
        [micro_cut, '--device', 'cuda', '--worker', str(out)]))
    assert json.loads(out.read_text()) == dict(
        error='--device cuda: no CUDA GPU is available here; use --device '
        'cpu')
