"""Composite negatives: several samplers' banks side by side (DCD-GAN's dual
negatives are internal + external)."""
from typing import Optional, Sequence, Tuple

import torch
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .base_negative_sampler import BaseNegativeSampler

__all__ = ['CompositeNegativeSampler', 'DualNegativeSampler']


@MODELS.register_module()
class CompositeNegativeSampler(BaseNegativeSampler):
    """Concatenate the banks of several negative samplers.

    Each part is built from its config through ``MODELS`` (so a plugin's
    sampler can be a part) and called in order with the same ``keys``,
    ``other_keys`` and ``generator``; their banks are concatenated along the
    bank axis and their masks alongside (a part that returns no mask masks
    nothing of its bank).

    Args:
        samplers (Sequence[dict]): configs of the parts, at least one, each a
            :class:`BaseNegativeSampler`.
    """

    def __init__(self, samplers: Sequence[dict]) -> None:
        super().__init__()
        if not samplers:
            raise ConfigError(f'{type(self).__name__}: samplers must list at '
                              'least one negative-sampler config.')
        self.samplers = nn.ModuleList(MODELS.build(cfg) for cfg in samplers)
        for part in self.samplers:
            if not isinstance(part, BaseNegativeSampler):
                raise ConfigError(
                    f'{type(self).__name__}: {type(part).__name__} is not a '
                    'BaseNegativeSampler (lowvis.models.contrastive).')

    @property
    def needs_other_keys(self) -> bool:
        """True when any part needs the other side's keys."""
        return any(part.needs_other_keys for part in self.samplers)

    def check_patch_count(self, num_patches: int) -> None:
        """Check every part (:meth:`BaseNegativeSampler.check_patch_count`).
        """
        for part in self.samplers:
            part.check_patch_count(num_patches)

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """See :meth:`BaseNegativeSampler.forward`.

        Returns:
            bank [N, K_1 + ... + K_m, D] (parts in order) and mask
            [N, P, K_1 + ... + K_m], or None when no part masks anything.
        """
        n, p, _ = keys.shape
        banks, masks = [], []
        for part in self.samplers:
            bank, mask = part(keys, other_keys, generator)
            banks.append(bank)
            masks.append(mask)
        if all(mask is None for mask in masks):
            return torch.cat(banks, dim=1), None
        masks = [torch.zeros(n, p, bank.shape[1], dtype=torch.bool,
                             device=keys.device) if mask is None else mask
                 for bank, mask in zip(banks, masks)]
        return torch.cat(banks, dim=1), torch.cat(masks, dim=2)


@MODELS.register_module()
class DualNegativeSampler(CompositeNegativeSampler):
    """Internal then external negatives (DCD-GAN's default).

    With 256 patches per side a query has 255 internal and 256 external
    negatives, 511 in all. The same as ``CompositeNegativeSampler`` with
    ``samplers=[InternalNegativeSampler(num_internal, include_batch),
    ExternalNegativeSampler(num_external)]``.

    Args:
        num_internal (int, optional): ``num_negatives`` of the
            :class:`InternalNegativeSampler` part (None: all).
        num_external (int, optional): ``num_negatives`` of the
            :class:`ExternalNegativeSampler` part (None: all).
        include_batch (bool): internal negatives from the whole minibatch.
    """

    def __init__(self, num_internal: Optional[int] = None,
                 num_external: Optional[int] = None,
                 include_batch: bool = False) -> None:
        super().__init__([
            dict(type='InternalNegativeSampler', num_negatives=num_internal,
                 include_batch=include_batch),
            dict(type='ExternalNegativeSampler', num_negatives=num_external)
        ])
