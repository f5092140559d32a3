"""Train a lowvis model from a config.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [PATH]]
        [--amp [fp16|bf16]] [--seed N] [--deterministic]
        [--cfg-options k=v ...]
        [--launcher {none,pytorch,slurm}] [--device {auto,cuda}]

A NaN/inf loss with ``model.nan_policy='stop'`` (the default) saves the
state to ``<work_dir>/nonfinite_iter_<k>.pth`` and exits with one line.
Multi-process training: ``tools/dist_train.sh`` (docs/distributed.md).
"""
import argparse
import os
import sys

sys.path.insert(0, os.getcwd())
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mmengine.dist import barrier  # noqa: E402

import lowvis.engine  # noqa: E402,F401  (safe loader, atomic backend)
from lowvis.engine.optimizers import (AMP_DTYPES,  # noqa: E402
                                      enable_mixed_precision)
from lowvis.utils.checkpoint_finder import find_resumable_checkpoint  # noqa
from lowvis.utils.cli import (LowvisRunner, add_common_args,  # noqa: E402
                              load_config, run_main, setup_launcher)
from lowvis.utils.errors import ConfigError, NonFiniteLossError  # noqa


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a lowvis model')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--resume', nargs='?', const='auto', default=None, metavar='PATH',
        help='resume from PATH, or without PATH from the newest complete '
        'checkpoint in the work dir')
    parser.add_argument('--amp', nargs='?', const='fp16', default=None,
                        choices=sorted(AMP_DTYPES), help='mixed precision: '
                        'fp16 (CUDA, loss scaling; the default) or bf16')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--deterministic', action='store_true',
                        help='deterministic cuDNN/algorithms')
    return add_common_args(parser).parse_args(argv)


def apply_args(cfg, args):
    if args.seed is not None:
        cfg.randomness = dict(cfg.get('randomness', {}), seed=args.seed)
    if args.deterministic:
        cfg.randomness = dict(cfg.get('randomness', {}), deterministic=True)
    if args.amp:
        enable_mixed_precision(cfg, args.amp)
    if args.resume == 'auto':
        path = find_resumable_checkpoint(cfg.work_dir)
        if path is None:
            print(f'no checkpoint to resume in {cfg.work_dir}; starting '
                  'from scratch', file=sys.stderr)
        else:
            cfg.resume, cfg.load_from = True, path
    elif args.resume:
        if not os.path.isfile(args.resume):
            raise ConfigError(f'--resume: checkpoint not found: {args.resume}')
        cfg.resume, cfg.load_from = True, args.resume


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    setup_launcher(cfg, args.launcher)
    apply_args(cfg, args)
    runner = LowvisRunner.from_cfg(cfg)
    try:
        runner.train()
    except NonFiniteLossError as e:
        path = save_nonfinite_state(runner)
        raise NonFiniteLossError(f'{e}; state saved to {path}') from None
    return runner


def save_nonfinite_state(runner):
    """Save the run as it was when a loss became non-finite (rank 0).

    The file is named ``nonfinite_iter_<k>.pth`` (k: the failing iteration),
    so ``--resume`` without a path ignores it; resuming from it explicitly
    continues after the failing batch.
    """
    filename = f'nonfinite_iter_{runner.iter + 1}.pth'
    runner.save_checkpoint(runner.work_dir, filename, by_epoch=False,
                           backend_args=dict(backend='atomic_local'))
    barrier()  # keep the other ranks alive until rank 0 has written it
    return os.path.join(runner.work_dir, filename)


if __name__ == '__main__':
    run_main(main)
