"""Dual negatives: internal and external banks side by side (DCD-GAN)."""
from typing import Optional, Tuple

import torch

from lowvis.registry import MODELS
from .base_negative_sampler import BaseNegativeSampler
from .external_negative_sampler import ExternalNegativeSampler
from .internal_negative_sampler import InternalNegativeSampler

__all__ = ['DualNegativeSampler']


@MODELS.register_module()
class DualNegativeSampler(BaseNegativeSampler):
    """Internal then external negatives, concatenated along the bank axis.

    This is DCD-GAN's default: with 256 patches per side a query has 255
    internal and 256 external negatives, 511 in all.

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
        super().__init__()
        self.internal = InternalNegativeSampler(num_internal, include_batch)
        self.external = ExternalNegativeSampler(num_external)

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """See :meth:`BaseNegativeSampler.forward`; ``other_keys`` required.

        Returns:
            bank [N, K_int + K_ext, D] (internal entries first) and mask
            [N, P, K_int + K_ext] (the external part all False).
        """
        bank_int, mask_int = self.internal(keys, None, generator)
        bank_ext, mask_ext = self.external(keys, other_keys, generator)
        bank = torch.cat([bank_int, bank_ext], dim=1)
        if mask_ext is None:
            n, p, _ = keys.shape
            mask_ext = torch.zeros(n, p, bank_ext.shape[1], dtype=torch.bool,
                                   device=keys.device)
        return bank, torch.cat([mask_int, mask_ext], dim=2)
