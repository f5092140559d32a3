"""Random horizontal or vertical flips."""
from typing import Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from lowvis.registry import TRANSFORMS
from lowvis.utils.errors import ConfigError

from .keys import as_keys

__all__ = ['Flip']

_AXES = {'horizontal': 1, 'vertical': 0}


@TRANSFORMS.register_module()
class Flip(BaseTransform):
    """Flip each image (``HxWxC`` array) with probability ``prob``.

    Draws from numpy's global RNG, which the unpaired dataset seeds for each
    sample from ``(dataset seed, epoch, index)``
    (:func:`~lowvis.datasets.sample_rng.seeded_global_rng`): a sample gets
    the same flips whatever the worker count.

    Args:
        keys (str | list[str]): image keys.
        prob (float): probability of a flip, in [0, 1].
        direction (str): ``'horizontal'`` (left-right) or ``'vertical'``.
        same (bool): one draw for all keys (paired data); if False, each key
            is flipped independently (unpaired data).
    """

    def __init__(self,
                 keys: Union[str, Sequence[str]],
                 prob: float = 0.5,
                 direction: str = 'horizontal',
                 same: bool = False) -> None:
        if direction not in _AXES:
            raise ConfigError(f'direction must be one of {sorted(_AXES)}, '
                              f'got {direction!r}')
        if not 0 <= prob <= 1:
            raise ConfigError(f'prob must be in [0, 1], got {prob}')
        self.keys = as_keys(keys)
        self.prob = prob
        self.direction = direction
        self.same = same

    def transform(self, results: dict) -> dict:
        axis = _AXES[self.direction]
        shared = np.random.rand() < self.prob if self.same else None
        for key in self.keys:
            flip = shared if self.same else np.random.rand() < self.prob
            if flip:
                results[key] = np.ascontiguousarray(
                    np.flip(results[key], axis=axis))
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'prob={self.prob}, direction={self.direction!r}, '
                f'same={self.same})')
