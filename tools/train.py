"""Train a lowvis model from a config.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [PATH]]
        [--amp [fp16|bf16]] [--iters N] [--seed N] [--deterministic]
        [--cfg-options k=v ...]
        [--launcher {none,pytorch,slurm}] [--device {auto,cuda}]

``--iters N`` sets ``train_cfg.max_iters``; schedules and intervals stated
as fractions of the run follow it. A NaN/inf loss with
``model.nan_policy='stop'`` (the default) saves the state to
``<work_dir>/nonfinite_iter_<k>.pth`` and exits with one line. SIGINT
(Ctrl-C) or SIGTERM saves ``<work_dir>/iter_<k>.pth``, prints the command
that resumes and exits with 128 + the signal number (130, 143).
Multi-process training: ``tools/dist_train.sh`` (docs/distributed.md).
"""
import argparse
import os
import signal
import sys

from mmengine.dist import barrier

from lowvis.engine import LowvisRunner, TrainingInterrupted
from lowvis.engine.optimizers import AMP_DTYPES, enable_mixed_precision
from lowvis.engine.startup_checks import run_startup_checks
from lowvis.utils.cli import (add_common_args, load_config,
                              resume_command, run_main, setup_launcher)
from lowvis.utils.errors import ConfigError, NonFiniteLossError


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
    parser.add_argument('--iters', default=None, metavar='N',
                        help='train for N iterations (train_cfg.max_iters); '
                        'schedules and intervals given as fractions of the '
                        'run follow')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument('--deterministic', action='store_true',
                        help='deterministic cuDNN/algorithms')
    return add_common_args(parser).parse_args(argv)


def apply_args(cfg, args):
    if args.iters is not None:
        try:
            cfg.train_cfg.max_iters = int(args.iters)
        except ValueError:
            raise ConfigError(f'--iters {args.iters}: expected a whole number '
                              'of iterations') from None
    if args.seed is not None:
        cfg.randomness = dict(cfg.get('randomness', {}), seed=args.seed)
    if args.deterministic:
        cfg.randomness = dict(cfg.get('randomness', {}), deterministic=True)
    if args.amp:
        enable_mixed_precision(cfg, args.amp)
    if args.resume == 'auto':  # the runner picks the newest complete one
        cfg.resume, cfg.load_from = True, None
    elif args.resume:
        if not os.path.isfile(args.resume):
            raise ConfigError(f'--resume: checkpoint not found: {args.resume}')
        cfg.resume, cfg.load_from = True, args.resume


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    setup_launcher(cfg, args.launcher)
    apply_args(cfg, args)
    run_startup_checks(cfg, 'train', args.skip_data_check)
    runner = LowvisRunner.from_cfg(cfg)
    try:
        runner.train()
    except NonFiniteLossError as e:
        path = save_nonfinite_state(runner)
        raise NonFiniteLossError(f'{e}; state saved to {path}') from None
    except TrainingInterrupted as e:
        report_interrupt(e, runner)
    return runner


def report_interrupt(interrupt, runner):
    """Say what was saved and how to resume; exit with 128 + signal."""
    if runner.rank == 0:
        print(f'{signal.Signals(interrupt.signum).name}: stopped after '
              f'iteration {interrupt.iteration}, saved '
              f'{interrupt.checkpoint}\nresume with: '
              + resume_command(sys.argv, interrupt.checkpoint,
                               runner.world_size), file=sys.stderr, flush=True)
    sys.exit(interrupt.exit_code)


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
