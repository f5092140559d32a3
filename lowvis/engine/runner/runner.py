"""The one runner every lowvis tool uses: mmengine's, with lowvis's policy.

What a run needs is installed here, not by an import or a hook that each
config must list:

* **safe, exact checkpoints**: :class:`PlainCheckpointHook` (plain-data
  checkpoints with RNG states) is always registered; the checkpoint the run
  reads (``load_from``) goes through lowvis's ``weights_only`` loader
  (:func:`install_safe_loading`); mmengine's loaders stay unchanged for
  every other path. ``resume=True`` without ``load_from`` picks the newest
  complete ``iter_*.pth`` of the work dir (a truncated one is skipped).
* **run length**: percentages of ``train_cfg.max_iters`` (``'50%'``) in the
  schedule, interval and hook settings become iterations
  (:mod:`.run_length`); ``max_iters <= 0`` is refused.
* **interrupts**: SIGINT/SIGTERM save ``iter_<k>.pth`` and stop
  (:class:`InterruptHook`); :meth:`train` then raises
  :class:`TrainingInterrupted`.
* **console**: a short header (:class:`RunHeaderHook`) and the progress
  lines; the environment and config dumps go to the log file only.
* **visualisation**: ``tensorboard = True`` (a top-level config key) adds
  mmengine's ``TensorboardVisBackend``; a resumed run writes its images and
  scalars into the previous run's ``<timestamp>/vis_data`` folder.
"""
import copy
import glob
import importlib.util
import os.path as osp
import sys

from mmengine.runner import Runner

from lowvis.engine.checkpoint_io import install_safe_loading, safe_uri
from lowvis.engine.hooks import (InterruptHook, PlainCheckpointHook,
                                 RunHeaderHook)
from lowvis.utils.errors import ConfigError
from .checkpoint_finder import find_resumable_checkpoint
from lowvis.engine.console import quiet_console
from .run_length import resolve_run_length

__all__ = ['LowvisRunner', 'TrainingInterrupted']


class TrainingInterrupted(Exception):
    """Training stopped by a signal after saving a checkpoint.

    Attributes:
        signum (int): the signal (``signal.SIGINT``, ``signal.SIGTERM``).
        iteration (int): iterations completed and saved.
        checkpoint (str): the file written.
    """

    def __init__(self, signum, iteration, checkpoint):
        super().__init__(f'interrupted at iteration {iteration}; saved '
                         f'{checkpoint}')
        self.signum, self.iteration = signum, iteration
        self.checkpoint = checkpoint

    @property
    def exit_code(self):
        """``128 + signal number``, as a shell reports a signalled job."""
        return 128 + int(self.signum)


def _previous_run_dir(work_dir):
    """The newest ``<work_dir>/<timestamp>`` holding ``vis_data``, or None."""
    found = sorted(glob.glob(osp.join(glob.escape(work_dir), '*',
                                      'vis_data')))
    return osp.dirname(found[-1]) if found else None


def _enable_tensorboard(cfg):
    if importlib.util.find_spec('tensorboard') is None:
        raise ConfigError("tensorboard=True needs the tensorboard package: "
                          "pip install -e '.[tensorboard]' (or "
                          "tools/setup_env.sh)")
    visualizer = cfg.get('visualizer') or dict(type='Visualizer')
    backends = list(visualizer.get('vis_backends') or
                    [dict(type='LocalVisBackend')])
    if not any('Tensorboard' in str(b.get('type', '')) for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    visualizer['vis_backends'] = backends
    cfg.visualizer = visualizer


def _choose_resume_checkpoint(cfg):
    """``resume=True`` without ``load_from``: the newest complete one."""
    if not cfg.get('resume') or cfg.get('load_from'):
        return
    path = find_resumable_checkpoint(cfg.work_dir)
    if path is None:
        print(f'no checkpoint to resume in {cfg.work_dir}; starting from '
              'scratch', file=sys.stderr)
        cfg.resume = False
    else:
        cfg.load_from = path


class LowvisRunner(Runner):
    """mmengine's ``Runner`` with lowvis's run policy (see the module doc).

    Build it with :meth:`from_cfg`, as mmengine's.
    """

    @classmethod
    def from_cfg(cls, cfg):
        """Apply the policy to a copy of ``cfg`` and build the runner.

        Raises:
            ConfigError: ``train_cfg.max_iters`` is not a positive integer,
                a fraction of the run is over 100%, or ``tensorboard=True``
                without the package.
        """
        cfg = copy.deepcopy(cfg)
        resolve_run_length(cfg)
        _choose_resume_checkpoint(cfg)
        if cfg.get('tensorboard'):
            _enable_tensorboard(cfg)
        visualizer = cfg.get('visualizer')
        if cfg.get('resume') and isinstance(visualizer, dict) \
                and not visualizer.get('save_dir'):
            previous = _previous_run_dir(cfg.work_dir)
            if previous:
                visualizer['save_dir'] = previous
        install_safe_loading()
        cfg.load_from = safe_uri(cfg.get('load_from'))
        return super().from_cfg(cfg)

    def build_logger(self, log_level='INFO', log_file=None, **kwargs):
        """mmengine's logger with the console policy of ``console.py``."""
        return quiet_console(super().build_logger(log_level, log_file,
                                                  **kwargs))

    def register_hooks(self, default_hooks=None, custom_hooks=None):
        """The config's hooks, plus those every lowvis run needs."""
        super().register_hooks(default_hooks, custom_hooks)
        for kind in (PlainCheckpointHook, InterruptHook, RunHeaderHook):
            if not any(isinstance(h, kind) for h in self.hooks):
                self.register_hook(kind())

    def train(self):
        """Train; raise :class:`TrainingInterrupted` after a signal stop."""
        hook = next(h for h in self.hooks if isinstance(h, InterruptHook))
        hook.install_signal_handlers()
        try:
            model = super().train()
        finally:
            hook.restore_signal_handlers()
        if hook.interrupted is not None:
            raise TrainingInterrupted(*hook.interrupted)
        return model
