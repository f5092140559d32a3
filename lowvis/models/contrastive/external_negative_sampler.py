"""External negatives: key patches from the other side of the CGB."""
from typing import Optional, Tuple

import torch

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .base_negative_sampler import (BaseNegativeSampler, check_count,
                                    check_keys, check_other_keys)
from .sampling_utils import draw_randperm

__all__ = ['ExternalNegativeSampler']


@MODELS.register_module()
class ExternalNegativeSampler(BaseNegativeSampler):
    """Negatives drawn from the other side's keys of the same layer.

    Query p of image n is contrasted with every key patch of image n on the
    other side (P' of them, 256 by default). None of them is the positive,
    not even the one at the same location: it comes from another image pair,
    so nothing is masked.

    Args:
        num_negatives (int, optional): negatives per query. None keeps all
            P'. A smaller number keeps a random subset of the other side's
            patches, the same subset for every query and image of the call
            (the bank shrinks to K = num_negatives, so no mask is needed). It
            may not exceed P'.
    """

    needs_other_keys = True

    def __init__(self, num_negatives: Optional[int] = None) -> None:
        super().__init__()
        check_count(type(self).__name__, 'num_negatives', num_negatives)
        self.num_negatives = num_negatives

    def check_patch_count(self, num_patches: int) -> None:
        """See :meth:`BaseNegativeSampler.check_patch_count`: the other
        side offers at most ``num_patches`` keys per image."""
        wanted = self.num_negatives
        if wanted is not None and wanted > num_patches:
            raise ConfigError(
                f'{type(self).__name__}: num_negatives={wanted} but '
                f'PatchSampler.num_patches={num_patches} gives the other '
                f'side only {num_patches} patches per image; lower it or '
                'raise num_patches.')

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, None]:
        """See :meth:`BaseNegativeSampler.forward`.

        Returns:
            bank [N, K, D], K = P' or ``num_negatives``, and None (no mask).

        Raises:
            ValueError: ``other_keys`` is missing or its batch size or
                embedding size differs from ``keys``.
        """
        name = type(self).__name__
        check_keys(name, 'keys', keys)
        bank = check_other_keys(name, keys, other_keys)
        available = bank.shape[1]
        wanted = self.num_negatives
        if wanted is None or wanted == available:
            return bank, None
        if wanted > available:
            raise ConfigError(
                f'{name}: num_negatives={wanted} but the other side has only '
                f'{available} patches per image; lower num_negatives or '
                'sample more patches (PatchSampler.num_patches).')
        subset = draw_randperm(available, bank.device, generator)[:wanted]
        return bank[:, subset], None
