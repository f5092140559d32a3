"""Shared plumbing of the command-line tools in ``tools/``."""
import argparse
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction

from .config_errors import explain_build_error
from .errors import ConfigError, LowvisError


def add_common_args(parser):
    """``--work-dir``, ``--cfg-options`` and ``--launcher``."""
    parser.add_argument('--work-dir', help='folder for logs and checkpoints '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='override config keys: key=value')
    parser.add_argument('--launcher', choices=['none', 'pytorch'],
                        default='none', help='job launcher (pytorch: '
                        'torchrun, see tools/dist_train.sh)')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0,
                        help=argparse.SUPPRESS)
    return parser


def load_config(path, cfg_options=None, work_dir=None):
    """Read a config, apply overrides and set ``work_dir``."""
    if not osp.isfile(path):
        raise ConfigError(f'config file not found: {path}')
    sys.path.insert(0, os.getcwd())  # so custom_imports finds local packages
    try:
        cfg = Config.fromfile(path)
    except (SyntaxError, NameError, FileNotFoundError, KeyError) as e:
        raise ConfigError(f'cannot read config {path}: '
                          f'{type(e).__name__}: {e}')
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(path))[0]
        cfg.work_dir = osp.join('work_dirs', name)
    return cfg


def setup_launcher(cfg, launcher):
    """Set ``cfg.launcher``; without CUDA, start a gloo process group here.

    mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device``
    unconditionally; a process group that already exists makes it skip
    that, so CPU-only multi-process runs use gloo.
    """
    cfg.launcher = launcher
    if launcher == 'none':
        return
    import torch.distributed as dist
    if not torch.cuda.is_available() and not dist.is_initialized():
        dist.init_process_group(backend='gloo')
        cfg.env_cfg = dict(cfg.get('env_cfg', {}))
        cfg.env_cfg['dist_cfg'] = dict(backend='gloo')
        wrapper = dict(cfg.get('model_wrapper_cfg') or {})
        if wrapper:
            wrapper['device_ids'] = None
            cfg.model_wrapper_cfg = wrapper


def run_main(main):
    """Run ``main()``; print user errors as one line and exit with 2."""
    try:
        return main()
    except LowvisError as e:
        print(f'error: {e}', file=sys.stderr)
    except (KeyError, TypeError) as e:
        message = explain_build_error(e)
        if message is None:
            raise
        print(f'error: {message}', file=sys.stderr)
    sys.exit(2)
