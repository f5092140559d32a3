"""A small U-Net image translator with lowvis's generator contract.

Same interface as :class:`lowvis.models.archs.ResnetGenerator`:
``forward(x, layers=None, encode_only=False)`` and
``feature_channels(layers)``, so CycleGAN uses it as is and the contrastive
methods (CUT, DCLGAN, DCD-GAN) can tap its encoder.

Tap indices (``D = num_downs``, ``c_k = min(ngf * 2**k, max_channels)``):

======== ========================================== ==================
index    stage (its *output* is the feature tapped)  shape
======== ========================================== ==================
0        stem: two 3x3 conv-norm-ReLU                c_0, H, W
1 .. D   down k: stride-2 conv, 3x3 conv              c_k, H/2^k
D+1..2D  up j: upsample x2, conv, concat skip, conv   c_(D-j), H/2^(D-j)
======== ========================================== ==================

The encoder is 0 .. D (the bottleneck is D); the decoder stages follow. The
head (1x1 conv, then tanh or the global residual) is not tapped.
"""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn

from lowvis.models.archs import build_norm, init_weights
from lowvis.registry import MODELS
from lowvis.utils import ConfigError

__all__ = ['UnetGenerator']


def _conv(in_ch, out_ch, norm_layer, use_bias, stride=1):
    """3x3 conv (reflect padding) -> norm -> ReLU."""
    return [nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1,
                      padding_mode='reflect', bias=use_bias),
            norm_layer(out_ch), nn.ReLU(True)]


class _UpStage(nn.Module):
    """Upsample x2, reduce channels, concatenate the skip, fuse."""

    def __init__(self, in_ch, skip_ch, out_ch, norm_layer, use_bias):
        super().__init__()
        self.up = nn.Sequential(
            nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False),
            *_conv(in_ch, out_ch, norm_layer, use_bias))
        self.fuse = nn.Sequential(
            *_conv(out_ch + skip_ch, out_ch, norm_layer, use_bias))

    def forward(self, x, skip):
        return self.fuse(torch.cat([self.up(x), skip], dim=1))


@MODELS.register_module()
class UnetGenerator(nn.Module):
    """U-Net translator: encoder, bottleneck, decoder with skip connections.

    Args:
        in_channels / out_channels (int): image channels (3 for RGB).
        ngf (int): width of the stem; each down stage doubles it.
        num_downs (int): stride-2 stages, >= 1; H and W must be multiples
            of ``2 ** num_downs``.
        max_channels (int): cap on any stage's width.
        norm (str): ``'instance'``, ``'batch'`` or ``'none'``.
        global_residual (bool): output ``clamp(x + correction, -1, 1)``
            (the last conv is zero-initialised, so an untrained network is
            the identity) instead of ``tanh``.
        init_type / init_gain: see ``lowvis.models.archs.norm.init_weights``.

    Images are ``[N, C, H, W]`` RGB in [-1, 1].
    """

    def __init__(self, in_channels=3, out_channels=3, ngf=32, num_downs=3,
                 max_channels=256, norm='instance', global_residual=False,
                 init_type='normal', init_gain=0.02):
        super().__init__()
        if isinstance(num_downs, bool) or not isinstance(num_downs, int) \
                or num_downs < 1:
            raise ConfigError(f'UnetGenerator: num_downs must be an int '
                              f'>= 1, got {num_downs!r}')
        norm_layer, use_bias = build_norm(norm)
        self.in_channels, self.num_downs = in_channels, num_downs
        self.global_residual = global_residual
        self.init_type, self.init_gain = init_type, init_gain
        widths = [min(ngf * 2**k, max_channels) for k in range(num_downs + 1)]
        self.encoder = nn.ModuleList([nn.Sequential(
            *_conv(in_channels, widths[0], norm_layer, use_bias),
            *_conv(widths[0], widths[0], norm_layer, use_bias))])
        for k in range(1, num_downs + 1):
            self.encoder.append(nn.Sequential(
                *_conv(widths[k - 1], widths[k], norm_layer, use_bias, 2),
                *_conv(widths[k], widths[k], norm_layer, use_bias)))
        self.decoder = nn.ModuleList(
            _UpStage(widths[k + 1], widths[k], widths[k], norm_layer,
                     use_bias) for k in reversed(range(num_downs)))
        self.head = nn.Conv2d(widths[0], out_channels, 1)
        self._tap_channels = widths + widths[-2::-1]
        self.init_weights()

    def init_weights(self):
        init_weights(self, self.init_type, self.init_gain)
        if self.global_residual:
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

    @property
    def num_taps(self) -> int:
        """Number of tap indices: ``2 * num_downs + 1``."""
        return len(self._tap_channels)

    def feature_channels(self, layers: Sequence[int]) -> List[int]:
        """Channels of the features tapped at ``layers`` (list of ints)."""
        self._check_layers(layers)
        return [self._tap_channels[i] for i in layers]

    def _check_layers(self, layers):
        bad = [i for i in layers
               if not isinstance(i, int) or not 0 <= i < self.num_taps]
        if bad:
            raise ConfigError(
                f'UnetGenerator: layer indices {bad} out of range; taps are '
                f'0..{self.num_taps - 1} (encoder 0..{self.num_downs}).')

    def forward(self, x: torch.Tensor, layers: Optional[Sequence[int]] = None,
                encode_only: bool = False):
        """Translate ``x`` and optionally tap intermediate features.

        Args:
            x: ``[N, C_in, H, W]`` in [-1, 1], H and W multiples of
                ``2 ** num_downs``.
            layers: tap indices (see the module docstring) whose outputs to
                return, in the given order.
            encode_only: stop after the last tapped stage and return only
                the features.

        Returns:
            ``[N, C_out, H, W]`` in [-1, 1]; or ``(out, feats)`` when
            ``layers`` is given; or ``feats`` alone with ``encode_only``.
        """
        factor = 2**self.num_downs
        if x.shape[-1] % factor or x.shape[-2] % factor:
            raise ValueError(
                f'UnetGenerator: input {tuple(x.shape[-2:])} must have H and '
                f'W multiples of {factor} (num_downs={self.num_downs}); '
                'crop or pad the image.')
        wanted = {}
        if layers:
            self._check_layers(layers)
            wanted = {layer: k for k, layer in enumerate(layers)}
        feats = [None] * len(wanted)
        last = max(wanted) if wanted else None
        skips, h = [], x
        stages = [(i, stage) for i, stage in enumerate(self.encoder)] + \
            [(self.num_downs + 1 + j, stage)
             for j, stage in enumerate(self.decoder)]
        for idx, stage in stages:
            h = stage(h) if idx <= self.num_downs else stage(h, skips.pop())
            if idx < self.num_downs:
                skips.append(h)
            if idx in wanted:
                feats[wanted[idx]] = h
            if encode_only and idx == last:
                return feats
        out = self.head(h)
        out = torch.clamp(x + out, -1.0, 1.0) if self.global_residual \
            else torch.tanh(out)
        return (out, feats) if wanted else out
