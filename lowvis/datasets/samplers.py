"""An infinite sampler whose indices also tell the dataset the epoch."""
import itertools
from typing import Iterator, Optional, Sized

import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from lowvis.registry import DATA_SAMPLERS

__all__ = ['UnpairedInfiniteSampler']


@DATA_SAMPLERS.register_module()
class UnpairedInfiniteSampler(Sampler):
    """Endless epochs of indices ``epoch * n + i``, sharded across ranks.

    Epoch ``e`` is a permutation of ``range(n)`` (``n = len(dataset)``) drawn
    from ``torch.Generator().manual_seed(seed + e)``, each index offset by
    ``e * n`` so that :class:`UnpairedImageDataset` can recover the epoch
    (it draws a fresh B image per epoch). Rank ``r`` of ``w`` takes items
    ``r, r + w, r + 2w, ...`` of the global stream.

    The stream is a pure function of ``(seed, n, world_size)``, so a resumed
    run continues exactly where it stopped: mmengine's
    ``IterBasedTrainLoop`` discards the batches already trained, and
    lowvis's ``ResumableIterBasedTrainLoop`` calls :meth:`set_start`
    instead, which jumps there at the cost of one permutation.

    Args:
        dataset (Sized): the dataset.
        shuffle (bool): permute each epoch; if False, epoch ``e`` is
            ``e * n + [0, 1, ..., n-1]``.
        seed (int, optional): identical on all ranks; None takes one from
            ``mmengine.dist.sync_random_seed()``.
    """

    def __init__(self,
                 dataset: Sized,
                 shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.shuffle = shuffle
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.size = len(dataset)
        if self.size == 0:
            raise ValueError('UnpairedInfiniteSampler got an empty dataset')
        self.start = 0

    def _epoch_indices(self, epoch: int) -> list:
        if self.shuffle:
            gen = torch.Generator().manual_seed(self.seed + epoch)
            order = torch.randperm(self.size, generator=gen)
        else:
            order = torch.arange(self.size)
        return (order + epoch * self.size).tolist()

    def _global_stream(self, position: int) -> Iterator[int]:
        """The endless stream of all ranks from item ``position`` on."""
        epoch, offset = divmod(position, self.size)
        yield from self._epoch_indices(epoch)[offset:]
        for later in itertools.count(epoch + 1):
            yield from self._epoch_indices(later)

    def __iter__(self) -> Iterator[int]:
        """This rank's share of the stream, from item ``self.start`` on."""
        first = self.start * self.world_size + self.rank
        yield from itertools.islice(self._global_stream(first), 0, None,
                                    self.world_size)

    def set_start(self, start: int) -> None:
        """Begin every later iteration at item ``start`` of this rank's share.

        ``start`` is the number of samples this rank has already consumed
        (trained iterations x per-rank batch size); the skipped items are not
        generated one by one.
        """
        if start < 0:
            raise ValueError(f'start must be >= 0, got {start}')
        self.start = int(start)

    def __len__(self) -> int:
        """Length of the dataset (as mmengine's ``InfiniteSampler``)."""
        return self.size

    def set_epoch(self, epoch: int) -> None:
        """No-op: the epoch is part of each index."""
