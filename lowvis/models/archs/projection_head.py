"""Per-layer MLP heads that embed sampled feature patches for contrast."""
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['ProjectionHead']


@MODELS.register_module()
class ProjectionHead(nn.Module):
    """One two-layer MLP per feature layer, then L2 normalisation.

    Layer l maps C_l channels through ``Linear(C_l, D) -> ReLU ->
    Linear(D, D)`` with D = ``out_channels``. Unlike CUT's ``PatchSampleF``,
    the MLPs are built here, from the known channel counts, so the
    parameters exist (and can be given to an optimizer or loaded from a
    checkpoint) before the first forward pass.

    Weights are initialised from N(0, 0.02) and biases to 0, the "normal,
    gain 0.02" init of CUT, DCLGAN and DCD-GAN's heads.

    Args:
        in_channels (Sequence[int]): C_l for each of the L layers.
        out_channels (int): embedding size D. Default 256.
        use_mlp (bool): False skips the MLPs: outputs are the input patches,
            only normalised (D = C_l).
    """

    def __init__(self, in_channels: Sequence[int], out_channels: int = 256,
                 use_mlp: bool = True) -> None:
        super().__init__()
        channels = list(in_channels) if isinstance(
            in_channels, (list, tuple)) else None
        if not channels or not all(
                isinstance(c, int) and c > 0 for c in channels):
            raise ConfigError('ProjectionHead: in_channels must be a '
                              'non-empty list of positive channel counts, one '
                              f'per feature layer, got {in_channels!r}.')
        if not isinstance(out_channels, int) or out_channels <= 0:
            raise ConfigError('ProjectionHead: out_channels must be a '
                              f'positive integer, got {out_channels!r}.')
        self.in_channels = channels
        self.out_channels = out_channels
        self.use_mlp = bool(use_mlp)
        self.mlps = nn.ModuleList()
        if self.use_mlp:
            for c in channels:
                self.mlps.append(
                    nn.Sequential(
                        nn.Linear(c, out_channels), nn.ReLU(inplace=True),
                        nn.Linear(out_channels, out_channels)))
        self.init_weights()

    def init_weights(self) -> None:
        """Draw weights from N(0, 0.02) and zero the biases."""
        for module in self.mlps.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.02)
                nn.init.zeros_(module.bias)

    def forward(self, patches: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Embed the patches of every layer.

        Args:
            patches: L tensors, layer l [N, P_l, C_l] (as from
                :class:`~lowvis.models.contrastive.PatchSampler`).

        Returns:
            L tensors [N, P_l, D] (D = C_l when ``use_mlp=False``), each
            vector of unit L2 norm along the last dim.
        """
        if len(patches) != len(self.in_channels):
            raise ValueError(f'ProjectionHead: built for '
                             f'{len(self.in_channels)} layers, got '
                             f'{len(patches)} patch tensors.')
        out = []
        for layer, x in enumerate(patches):
            if x.shape[-1] != self.in_channels[layer]:
                raise ValueError(
                    f'ProjectionHead: layer {layer} expects '
                    f'{self.in_channels[layer]} channels in the last dim, got '
                    f'{tuple(x.shape)}; check in_channels.')
            if self.use_mlp:
                x = self.mlps[layer](x)
            # eps keeps an all-zero vector (e.g. a zero-padded border) finite
            out.append(F.normalize(x, p=2, dim=-1, eps=1e-7))
        return out
