"""Sample feature vectors at random spatial locations of each layer."""
from typing import List, Optional, Sequence, Tuple

import torch
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .sampling_utils import draw_randperm

__all__ = ['PatchSampler']


@MODELS.register_module()
class PatchSampler(nn.Module):
    """Pick the same random locations in every image of a feature stack.

    The patches of a layer are the feature vectors (one per spatial location
    of that layer) at ``P = min(num_patches, H*W)`` locations drawn without
    replacement. Every image of the batch uses the same locations, as CUT
    does. Feeding the returned ``patch_ids`` back samples the same locations
    from another stack: this is how query and key patches are paired.
    It has no learnable parameters (projection is :class:`ProjectionHead`).

    Args:
        num_patches (int, optional): locations per layer. 0 or None takes
            every location in raster order (P = H*W).
    """

    def __init__(self, num_patches: Optional[int] = 256) -> None:
        super().__init__()
        if num_patches is not None and (
                isinstance(num_patches, bool)
                or not isinstance(num_patches, int) or num_patches < 0):
            raise ConfigError('PatchSampler: num_patches must be a positive '
                              'integer, or 0/None for all locations, got '
                              f'{num_patches!r}; fix it in the config.')
        self.num_patches = num_patches or 0

    def forward(self, feats: Sequence[torch.Tensor],
                patch_ids: Optional[Sequence[torch.Tensor]] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        """Sample patches from each layer.

        Args:
            feats: L tensors, layer l of shape [N, C_l, H_l, W_l].
            patch_ids: optional L LongTensors [P_l] of flat locations
                (``y * W_l + x``) to reuse, as returned by an earlier call.
            generator: optional ``torch.Generator`` for the draw; it should
                live on the features' device (draws run on the generator's
                device, or on the CPU when it is None, and the ids are then
                moved to the features' device).

        Returns:
            ``(patches, patch_ids)``: ``patches[l]`` [N, P_l, C_l] (gradients
            flow back to the features), ``patch_ids[l]`` LongTensor [P_l] on
            the features' device.
        """
        if patch_ids is not None and len(patch_ids) != len(feats):
            raise ValueError(f'PatchSampler: got {len(patch_ids)} patch_ids '
                             f'for {len(feats)} feature layers; pass the ids '
                             'returned for the same layers.')
        patches, ids_out = [], []
        for layer, feat in enumerate(feats):
            if feat.dim() != 4:
                raise ValueError(f'PatchSampler: feature layer {layer} must '
                                 'be [N, C, H, W], got '
                                 f'{tuple(feat.shape)}.')
            flat = feat.flatten(2)  # [N, C, H*W]
            if patch_ids is not None:
                ids = patch_ids[layer].to(feat.device)
            else:
                ids = self._draw_ids(flat.shape[-1], feat.device, generator)
            patches.append(flat[:, :, ids].transpose(1, 2))
            ids_out.append(ids)
        return patches, ids_out

    def _draw_ids(self, num_locations: int, device: torch.device,
                  generator: Optional[torch.Generator]) -> torch.Tensor:
        if self.num_patches == 0:
            return torch.arange(num_locations, device=device)
        perm = draw_randperm(num_locations, device, generator)
        return perm[:min(self.num_patches, num_locations)]
