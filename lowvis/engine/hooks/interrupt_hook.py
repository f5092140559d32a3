"""SIGINT / SIGTERM during training: save, say how to resume, stop."""
import os
import os.path as osp
import signal
import sys

import torch
from mmengine.dist import all_reduce, barrier, get_world_size
from mmengine.hooks import Hook

from lowvis.registry import HOOKS

__all__ = ['InterruptHook']

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@HOOKS.register_module()
class InterruptHook(Hook):
    """Turn SIGINT (Ctrl-C) and SIGTERM (slurm, preemption) into a clean stop.

    While training, a first signal only sets a flag; at the end of the
    iteration in progress every rank agrees (one ``all_reduce`` per
    iteration in multi-process runs), rank 0 writes
    ``<work_dir>/iter_<k>.pth`` atomically (the same file a checkpoint
    interval writes, so ``--resume`` continues bit-identically), the other
    ranks wait for it, and the loop stops. :attr:`interrupted` then holds
    ``(signal number, iteration, checkpoint path)`` for the tool to report.
    A second signal stops at once (KeyboardInterrupt), saving nothing.

    The lowvis runner registers this hook for every training run.
    """

    priority = 'LOWEST'  # after CheckpointHook: iteration k is complete

    def __init__(self):
        self.received = None
        self.interrupted = None
        self._previous = {}
        self._pid = os.getpid()

    def install_signal_handlers(self):
        """Catch SIGINT and SIGTERM in this process (the main thread).

        The lowvis runner calls it before building the data loaders, so
        forked workers inherit a handler that ignores the signal in them
        (a terminal's Ctrl-C reaches the whole process group) instead of
        dying from it.
        """
        self.received, self.interrupted = None, None
        self._pid = os.getpid()
        for sig in _SIGNALS:
            try:
                self._previous[sig] = signal.signal(sig, self._on_signal)
            except ValueError:  # not the main thread: leave signals alone
                return

    def restore_signal_handlers(self):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous = {}

    def _on_signal(self, signum, frame):
        if os.getpid() != self._pid:
            return  # a data loader worker: the main process decides
        if self.received is not None:
            self.restore_signal_handlers()
            raise KeyboardInterrupt
        self.received = signum
        print(f'\n{signal.Signals(signum).name} received: saving a checkpoint '
              'at the end of this iteration (send it again to stop at once)',
              file=sys.stderr, flush=True)

    def _agreed_signal(self):
        flag = torch.tensor([self.received or 0], dtype=torch.int64)
        if get_world_size() > 1:
            all_reduce(flag, op='max')
        return int(flag.item())

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        signum = self._agreed_signal()
        if not signum:
            return
        filename = f'iter_{runner.iter + 1}.pth'
        runner.save_checkpoint(runner.work_dir, filename, by_epoch=False,
                               backend_args=dict(backend='atomic_local'))
        barrier()  # the other ranks wait until rank 0 has written it
        self.interrupted = (signum, runner.iter + 1,
                            osp.join(runner.work_dir, filename))
        runner.train_loop.stop_training = True
