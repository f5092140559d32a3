"""Training and evaluation loops with exact, cheap resume."""
import random

import numpy as np
import torch
from mmengine.runner import IterBasedTrainLoop, TestLoop, ValLoop

from lowvis.registry import LOOPS
from lowvis.engine.console import console


#: what :class:`FastForwardIterator` returns for a batch already trained
SKIPPED = object()


class FastForwardIterator:
    """Endless batches of ``dataloader``; the first ``skip`` cost nothing.

    mmengine's iteration loop resumes by drawing (and discarding) as many
    batches as were already trained. Once the sampler has jumped past those
    samples (``set_start``), the draws need no data: each of the first
    ``skip`` returns :data:`SKIPPED` without loading anything, and the loop
    replaces a :data:`SKIPPED` that reaches ``run_iter`` (a loop that did
    not discard) by a real batch. Exhausted loaders restart with the next
    epoch (``sampler.set_epoch``), as mmengine's own iterator does.
    """

    def __init__(self, dataloader, skip=0):
        self.dataloader = dataloader
        self.skip = int(skip)
        self.epoch = 0
        self._iterator = iter(dataloader)

    def __iter__(self):
        return self

    def __next__(self):
        if self.skip > 0:
            self.skip -= 1
            return SKIPPED
        return self.next_batch()

    def next_batch(self):
        """The next real batch, whatever is left to skip."""
        try:
            return next(self._iterator)
        except StopIteration:
            self.epoch += 1
            sampler = getattr(self.dataloader, 'sampler', None)
            if hasattr(sampler, 'set_epoch'):
                sampler.set_epoch(self.epoch)
            self._iterator = iter(self.dataloader)
            return next(self._iterator)


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """mmengine's iteration loop, resuming by fast-forwarding the sampler.

    mmengine resumes an iteration-based run by loading and discarding every
    batch already trained (hours at paper scale). When the sampler can jump
    (``set_start``, as :class:`UnpairedInfiniteSampler` can, its stream being
    a pure function of the seed), this loop starts the data iterator at the
    right sample and makes the discarded draws free
    (:class:`FastForwardIterator`); other samplers keep mmengine's
    behaviour. A resumed run that is already complete says so.
    """

    def run(self):
        sampler = getattr(self.dataloader, 'sampler', None)
        if self.iter >= self.max_iters:  # mmengine would still discard
            console(f'nothing to train: the run is complete (the checkpoint '
                    f'is at iteration {self.iter}, train_cfg.max_iters is '
                    f'{self.max_iters})')
            self.dataloader_iterator = FastForwardIterator(self.dataloader,
                                                           skip=self.iter)
        elif self.iter > 0 and hasattr(sampler, 'set_start'):
            sampler.set_start(self.iter * self.dataloader.batch_size)
            self.dataloader_iterator = FastForwardIterator(self.dataloader,
                                                           skip=self.iter)
            console(f'Resuming at iteration {self.iter}: the sampler skips '
                    'the samples already trained.')
        return super().run()

    def run_iter(self, data_batch):
        if data_batch is SKIPPED:
            data_batch = self.dataloader_iterator.next_batch()
        return super().run_iter(data_batch)


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
