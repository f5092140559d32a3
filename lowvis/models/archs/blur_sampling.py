"""Anti-aliased (blurred) down- and up-sampling, as used by CUT and DCLGAN.

Both layers are fixed binomial filters applied per channel, so they hold a
persistent ``filt`` buffer and no learnable parameters. Keeping them as
separate layers (not folded into a conv) keeps the layer indices of
:class:`ResnetGenerator` identical to the public CUT / DCLGAN / DCD-GAN code,
whose ``nce_layers`` refer to those indices.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def binomial_filter(size):
    """Return a normalised 2-D binomial kernel of ``size`` x ``size`` taps."""
    row = torch.tensor([1.0])
    for _ in range(size - 1):
        row = F.pad(row, (1, 0)) + F.pad(row, (0, 1))
    kernel = row[:, None] * row[None, :]
    return kernel / kernel.sum()


class BlurDownsample(nn.Module):
    """Blur with a 3x3 binomial filter, then subsample by 2.

    Input ``[N, C, H, W]`` -> output ``[N, C, ceil(H/2), ceil(W/2)]``;
    borders are reflect-padded.
    """

    def __init__(self, channels, filt_size=3):
        super().__init__()
        self.channels = channels
        self.pad = nn.ReflectionPad2d((filt_size - 1) // 2)
        kernel = binomial_filter(filt_size)
        self.register_buffer('filt', kernel[None, None].repeat(channels, 1, 1, 1))

    def forward(self, x):
        return F.conv2d(self.pad(x), self.filt, stride=2, groups=self.channels)


class BlurUpsample(nn.Module):
    """Upsample by 2 with a 4x4 binomial transposed-conv filter.

    Input ``[N, C, H, W]`` -> output ``[N, C, 2H, 2W]``; borders are
    replicate-padded before the transposed convolution and the extra rows
    and columns it produces are trimmed.
    """

    def __init__(self, channels, filt_size=4):
        super().__init__()
        self.channels = channels
        self.pad = nn.ReplicationPad2d(1)
        kernel = binomial_filter(filt_size) * 4
        self.register_buffer('filt', kernel[None, None].repeat(channels, 1, 1, 1))
        self.trim = (filt_size - 1) // 2

    def forward(self, x):
        out = F.conv_transpose2d(self.pad(x), self.filt, stride=2,
                                 padding=1 + self.trim, groups=self.channels)
        return out[:, :, 1:-1, 1:-1]
