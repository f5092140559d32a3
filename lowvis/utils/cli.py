"""Shared plumbing of the command-line tools in ``tools/``."""
import argparse
import os
import os.path as osp
import shlex
import sys

import torch
from mmengine.config import Config, DictAction

from .errors import ConfigError, LowvisError
from .plugin_imports import import_config_plugins


def add_common_args(parser):
    """``--work-dir``, ``--cfg-options``, ``--launcher`` and ``--device``."""
    parser.add_argument('--work-dir', help='folder for logs and checkpoints '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='override config keys: key=value')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'],
                        default='none', help='job launcher (pytorch: '
                        'torchrun, see tools/dist_train.sh; slurm: srun, '
                        'see tools/slurm_train.sh)')
    parser.add_argument('--device', choices=['auto', 'cuda'], default='auto',
                        action=_DeviceAction, help='auto: the GPUs when '
                        'CUDA is available, else the CPU; cuda: fail at once '
                        'when no CUDA GPU is visible')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0,
                        help=argparse.SUPPRESS)
    parser.add_argument('--skip-data-check', action='store_true',
                        help='skip the start-up decode/size checks of every '
                        'image (config: skip_data_check = True)')
    return parser


class _DeviceAction(argparse.Action):
    """``--device cuda`` on a machine without CUDA: a one-line error."""

    def __call__(self, parser, namespace, value, option_string=None):
        if value == 'cuda' and not torch.cuda.is_available():
            visible = os.environ.get('CUDA_VISIBLE_DEVICES')
            hint = f' (CUDA_VISIBLE_DEVICES={visible!r})' \
                if visible is not None else ''
            raise ConfigError(
                f'--device cuda: no CUDA GPU is visible to PyTorch{hint}; '
                'check the driver with nvidia-smi, or drop --device cuda to '
                'run on the CPU')
        setattr(namespace, self.dest, value)


def load_config(path, cfg_options=None, work_dir=None):
    """Read a config, apply overrides and set ``work_dir``."""
    if not osp.isfile(path):
        raise ConfigError(f'config file not found: {path}')
    # the config's plugins first: a failing import becomes one line
    import_config_plugins(path, cfg_options)
    try:
        cfg = Config.fromfile(path)
    except (SyntaxError, NameError, FileNotFoundError, KeyError) as e:
        raise ConfigError(f'cannot read config {path}: '
                          f'{type(e).__name__}: {e}')
    if cfg_options:
        from lowvis.engine.config_checks import check_overrides
        check_overrides(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    if work_dir:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(path))[0]
        cfg.work_dir = osp.join('work_dirs', name)
    return cfg


def setup_launcher(cfg, launcher):
    """Set ``cfg.launcher``; without CUDA, start a gloo process group here.

    With CUDA, each process (``torchrun --nproc_per_node``) drives the GPU
    of its ``LOCAL_RANK``; more processes than visible GPUs is refused.
    mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device``
    unconditionally; a process group that already exists makes it skip
    that, so CPU-only multi-process runs use gloo (rank 0 says so on
    stderr) and the per-submodule DDP wrappers get ``device_ids=None``.
    With CUDA and ``env_cfg.dist_cfg.backend='gloo'`` the same happens on
    the GPUs: process k uses GPU ``LOCAL_RANK % count``, so several
    processes can share one GPU (``tools/device_check.sh`` tests 2).
    """
    cfg.launcher = launcher
    if launcher == 'none':
        return
    import torch.distributed as dist
    if launcher == 'slurm' and not torch.cuda.is_available():
        raise ConfigError('--launcher slurm runs one task per CUDA GPU and '
                          'none is visible; on CPUs use tools/dist_train.sh')
    backend = ((cfg.get('env_cfg') or {}).get('dist_cfg') or {}).get(
        'backend')
    if torch.cuda.is_available() and backend != 'gloo':
        _check_gpu_count()
    elif not dist.is_initialized():
        dist.init_process_group(backend='gloo')
        cuda = torch.cuda.is_available()
        if cuda:  # gloo asked for: the processes may share the GPUs
            torch.cuda.set_device(int(os.environ.get('LOCAL_RANK', '0')) %
                                  torch.cuda.device_count())
        if dist.get_rank() == 0:
            where = 'the CUDA GPU(s), sharing them' if cuda else 'the CPU'
            why = 'env_cfg.dist_cfg.backend=gloo' if cuda else \
                'no CUDA GPU is visible'
            print(f'note: {why}: training on {where} with '
                  f'{dist.get_world_size()} gloo processes', file=sys.stderr)
        cfg.env_cfg = dict(cfg.get('env_cfg', {}))
        cfg.env_cfg['dist_cfg'] = dict(backend='gloo')
        wrapper = dict(cfg.get('model_wrapper_cfg') or {})
        if wrapper:
            wrapper['device_ids'] = None
            cfg.model_wrapper_cfg = wrapper


def _check_gpu_count():
    local_size = int(os.environ.get('LOCAL_WORLD_SIZE', '1'))
    count = torch.cuda.device_count()
    if local_size > count:
        visible = os.environ.get('CUDA_VISIBLE_DEVICES', 'unset')
        raise ConfigError(
            f'{local_size} processes per node were started but only {count} '
            f'CUDA GPU(s) are visible (CUDA_VISIBLE_DEVICES={visible}); pass '
            f'at most {count} as GPUS to tools/dist_train.sh')


def resume_command(argv, checkpoint, world_size=1):
    """The shell command that resumes the run started with ``argv``.

    Args:
        argv (list[str]): the tool's ``sys.argv`` (script first).
        checkpoint (str): the checkpoint to resume from.
        world_size (int): processes of the run; above 1 the command starts
            them with ``torchrun`` on one node.
    """
    args, skip_value = [], False
    for arg in argv[1:]:
        if skip_value:
            skip_value = False
            if not arg.startswith('-') and arg.endswith('.pth'):
                continue
        if arg == '--resume':
            skip_value = True
            continue
        if arg.startswith('--resume='):
            continue
        args.append(arg)
    launcher = [f'torchrun --nproc_per_node={world_size}'] \
        if world_size > 1 else [shlex.quote(sys.executable)]
    return ' '.join(launcher + [shlex.quote(a) for a in
                                [argv[0], *args, '--resume', checkpoint]])


def one_line(exc):
    """The user-facing line of ``exc``.

    An error raised in a DataLoader worker comes back with the worker's
    whole traceback as its message; its last line holds the original one.
    """
    text = str(exc).strip()
    if '\n' not in text:
        return text
    cls = type(exc)
    for line in reversed(text.splitlines()):
        for prefix in (f'{cls.__module__}.{cls.__qualname__}: ',
                       f'{cls.__name__}: '):
            if line.startswith(prefix):
                return line[len(prefix):].strip()
    return text.splitlines()[-1].strip()


def _print_error(message):
    import torch.distributed as dist
    rank = f'[rank {dist.get_rank()}] ' if dist.is_available() and \
        dist.is_initialized() and dist.get_world_size() > 1 else ''
    print(f'error: {rank}{message}', file=sys.stderr)


def run_main(main):
    """Run ``main()``; print user errors as one line and exit with 2.

    In a multi-process run each failing rank prints its line, tagged with
    its rank.
    """
    try:
        return main()
    except LowvisError as e:
        _print_error(one_line(e))
    sys.exit(2)
