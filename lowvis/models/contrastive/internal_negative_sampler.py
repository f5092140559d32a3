"""Internal negatives: the other key patches of the same feature stack."""
from typing import Optional, Tuple

import torch

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .base_negative_sampler import (BaseNegativeSampler, check_count,
                                    check_keys, keep_random_entries)

__all__ = ['InternalNegativeSampler']


@MODELS.register_module()
class InternalNegativeSampler(BaseNegativeSampler):
    """Negatives drawn from this side's own keys, the positive excluded.

    By default the bank of image n is its own P keys and query p masks entry
    p (its positive), so every query has P - 1 negatives (255 for 256
    patches, the paper's count). With ``include_batch=True`` every image sees
    all N*P keys of the minibatch (the reference code's behaviour, and CUT's
    ``nce_includes_all_negatives_from_minibatch``): N*P - 1 negatives.

    Args:
        num_negatives (int, optional): negatives per query. None keeps all
            (P - 1, or N*P - 1 with ``include_batch``). A smaller number masks
            further entries, drawn at random independently for each query.
            It may not exceed what is available.
        include_batch (bool): use the keys of every image of the minibatch.
    """

    def __init__(self, num_negatives: Optional[int] = None,
                 include_batch: bool = False) -> None:
        super().__init__()
        check_count(type(self).__name__, 'num_negatives', num_negatives)
        self.num_negatives = num_negatives
        self.include_batch = bool(include_batch)

    def check_patch_count(self, num_patches: int) -> None:
        """See :meth:`BaseNegativeSampler.check_patch_count`: without
        ``include_batch`` a query has at most ``num_patches - 1`` internal
        negatives (with it, the batch size decides, unknown here)."""
        wanted = self.num_negatives
        if not self.include_batch and wanted is not None and \
                wanted > num_patches - 1:
            raise ConfigError(
                f'{type(self).__name__}: num_negatives={wanted} but '
                f'PatchSampler.num_patches={num_patches} gives at most '
                f'{num_patches - 1} internal negatives per query; lower it '
                'or raise num_patches.')

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """See :meth:`BaseNegativeSampler.forward`; ``other_keys`` is unused.

        Returns:
            bank [N, K, D] with K = P (or N*P with ``include_batch``) and
            mask [N, P, K], True on each query's positive and on the entries
            dropped to meet ``num_negatives``.
        """
        check_keys(type(self).__name__, 'keys', keys)
        n, p, d = keys.shape
        keys = keys.detach()
        if self.include_batch:
            bank = keys.reshape(1, n * p, d).expand(n, n * p, d)
            # query p of image n is entry n*P + p of the shared bank
            positive_idx = torch.arange(n * p, device=keys.device).view(n, p)
        else:
            bank = keys
            positive_idx = torch.arange(p, device=keys.device).expand(n, p)
        k = bank.shape[1]
        mask = torch.zeros(n, p, k, dtype=torch.bool, device=keys.device)
        mask.scatter_(-1, positive_idx.unsqueeze(-1), True)

        available = k - 1
        wanted = self.num_negatives
        if wanted is None or wanted == available:
            return bank, mask
        if wanted > available:
            raise ConfigError(
                f'{type(self).__name__}: num_negatives={wanted} but only '
                f'{available} internal negatives per query exist ({p} '
                'patches per image); lower num_negatives or sample more '
                'patches (PatchSampler.num_patches).')
        return bank, keep_random_entries(~mask, wanted, generator)
