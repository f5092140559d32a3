"""Per-layer MLP heads that embed sampled feature patches for contrast."""
from typing import List, Sequence

import torch
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['ProjectionHead']

_INIT_TYPES = ('xavier', 'normal')
#: added to the norm before dividing (the references' ``Normalize``)
NORM_EPS = 1e-7


@MODELS.register_module()
class ProjectionHead(nn.Module):
    """One two-layer MLP per feature layer, then L2 normalisation.

    Layer l maps C_l channels through ``Linear(C_l, D) -> ReLU ->
    Linear(D, D)`` with D = ``out_channels``. Unlike CUT's ``PatchSampleF``,
    the MLPs are built here, from the known channel counts, so the
    parameters exist (and can be given to an optimizer or loaded from a
    checkpoint) before the first forward pass.

    Weights are initialised as the reference code initialises its heads
    (CUT's, DCLGAN's and DCD-GAN's ``init_net(init_type='xavier', gain
    0.02)``): xavier-normal with gain 0.02, i.e. std ``0.02 * sqrt(2 /
    (fan_in + fan_out))`` (0.00125 for a 256 x 256 layer), biases 0. Each
    output vector is divided by its L2 norm plus 1e-7, as the references'
    ``Normalize``.

    Args:
        in_channels (Sequence[int]): C_l for each of the L layers.
        out_channels (int): embedding size D. Default 256.
        use_mlp (bool): False skips the MLPs: outputs are the input patches,
            only normalised (D = C_l).
        init_type (str): ``'xavier'`` (the references') or ``'normal'``
            (N(0, init_gain), what lowvis used before).
        init_gain (float): the gain of either init. Default 0.02.
    """

    def __init__(self, in_channels: Sequence[int], out_channels: int = 256,
                 use_mlp: bool = True, init_type: str = 'xavier',
                 init_gain: float = 0.02) -> None:
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
        if init_type not in _INIT_TYPES:
            raise ConfigError(f'ProjectionHead: init_type must be one of '
                              f'{_INIT_TYPES}, got {init_type!r}.')
        self.init_type, self.init_gain = init_type, float(init_gain)
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
        """Xavier-normal (or normal) weights with ``init_gain``, zero
        biases."""
        for module in self.mlps.modules():
            if isinstance(module, nn.Linear):
                if self.init_type == 'xavier':
                    nn.init.xavier_normal_(module.weight, gain=self.init_gain)
                else:
                    nn.init.normal_(module.weight, 0.0, self.init_gain)
                nn.init.zeros_(module.bias)

    def forward(self, patches: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Embed the patches of every layer.

        Args:
            patches: L tensors, layer l [N, P_l, C_l] (as from
                :class:`~lowvis.models.contrastive.PatchSampler`).

        Returns:
            L tensors [N, P_l, D] (D = C_l when ``use_mlp=False``), each
            vector of unit L2 norm along the last dim (up to the 1e-7
            added to the norm).
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
            # x / (||x|| + eps): an all-zero vector (e.g. a zero-padded
            # border) stays finite
            out.append(x / (x.norm(p=2, dim=-1, keepdim=True) + NORM_EPS))
        return out
