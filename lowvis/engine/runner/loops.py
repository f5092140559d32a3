"""Training and evaluation loops with exact, cheap resume."""
import random

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop, TestLoop, ValLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator

from lowvis.registry import LOOPS


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """mmengine's iteration loop, resuming by fast-forwarding the sampler.

    mmengine resumes an iteration-based run by loading and discarding every
    batch already trained (hours at paper scale). When the sampler can jump
    (``set_start``, as :class:`UnpairedInfiniteSampler` can, its stream being
    a pure function of the seed), this loop restarts the data iterator at the
    right sample instead; other samplers fall back to mmengine's behaviour.
    """

    def run(self):
        sampler = getattr(self.dataloader, 'sampler', None)
        if self._iter == 0 or not hasattr(sampler, 'set_start'):
            return super().run()
        sampler.set_start(self._iter * self.dataloader.batch_size)
        self.dataloader_iterator = _InfiniteDataloaderIterator(self.dataloader)
        print_log(f'Resuming at iteration {self._iter}: the sampler skips '
                  'the samples already trained.', logger='current')
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model


class _IsolatedRNG:
    """Context manager restoring Python/numpy/torch RNG states on exit."""

    def __enter__(self):
        self.states = (random.getstate(), np.random.get_state(),
                       torch.get_rng_state())
        return self

    def __exit__(self, *exc):
        random.setstate(self.states[0])
        np.random.set_state(self.states[1])
        torch.set_rng_state(self.states[2])
        return False


@LOOPS.register_module()
class IsolatedRNGValLoop(ValLoop):
    """Validation that leaves the global RNGs as it found them.

    Building the validation data iterator draws from torch's RNG; isolating
    it keeps a training run's random stream independent of when it was
    validated, which exact resume relies on.
    """

    def run(self):
        with _IsolatedRNG():
            return super().run()


@LOOPS.register_module()
class IsolatedRNGTestLoop(TestLoop):
    """Testing that leaves the global RNGs as it found them."""

    def run(self):
        with _IsolatedRNG():
            return super().run()
