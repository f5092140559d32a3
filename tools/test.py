"""Evaluate a trained checkpoint on a config's test set, at full resolution.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out-dir DIR]
        [--cfg-options k=v ...] [--launcher {none,pytorch}]

Writes ``per_image_metrics.csv`` (one row per test image: PSNR, SSIM,
PSNR_Y, SSIM_Y and the degraded input's scores, as the config's evaluator
lists them) and ``summary.json`` (mean metrics, config, checkpoint, git
commit, time) into the work dir, or into ``--out-dir`` together with the
restored images (``<out-dir>/<input stem>.png``, full resolution).
"""
import argparse
import os.path as osp

from lowvis.apis.inference import load_weights, read_checkpoint
from lowvis.engine import LowvisRunner
from lowvis.engine.model_utils import bare_model
from lowvis.engine.startup_checks import run_startup_checks
from lowvis.utils.cli import (add_common_args, load_config,
                              run_main, setup_launcher)
from lowvis.utils.errors import ConfigError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Test a lowvis checkpoint at full resolution')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint (.pth) to evaluate')
    parser.add_argument('--out-dir', help='folder for the restored images, '
                        'the per-image CSV and the summary JSON')
    return add_common_args(parser).parse_args(argv)


def check_full_resolution(cfg, path):
    """Refuse a test pipeline that resizes: lowvis scores full-size outputs."""
    dataset = cfg.test_dataloader.get('dataset', {})
    for step in dataset.get('pipeline', []):
        kind = str(step.get('type', '')) if isinstance(step, dict) else ''
        if 'resize' in kind.lower() or 'rescale' in kind.lower():
            raise ConfigError(
                f'{path}: test_dataloader.dataset.pipeline has {kind}; tests '
                'run at full resolution, remove it from the test pipeline')


def add_save_hook(cfg, args):
    info = dict(config=osp.abspath(args.config),
                checkpoint=osp.abspath(args.checkpoint))
    results_dir = osp.abspath(args.out_dir) if args.out_dir else None
    hook = dict(type='SaveOutputsHook', image_dir=results_dir,
                results_dir=results_dir, info=info)
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [hook]


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    if cfg.get('test_dataloader') is None or cfg.get('test_cfg') is None:
        raise ConfigError(f'{args.config} has no test_dataloader/test_cfg; '
                          'add them (see configs/_base_/datasets)')
    check_full_resolution(cfg, args.config)
    run_startup_checks(cfg, 'test', args.skip_data_check)
    checkpoint = read_checkpoint(args.checkpoint, cfg)
    setup_launcher(cfg, args.launcher)
    cfg.load_from, cfg.resume = None, False
    add_save_hook(cfg, args)
    runner = LowvisRunner.from_cfg(cfg)
    model = bare_model(runner.model)
    load_weights(model, checkpoint, args.checkpoint)
    del checkpoint
    metrics = runner.test()
    for key, value in metrics.items():
        print(f'{key}: {value:.4f}')
    return metrics


if __name__ == '__main__':
    run_main(main)
