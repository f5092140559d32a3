"""PatchGAN discriminator (CycleGAN's ``NLayerDiscriminator``, CUT's variant)."""
import torch.nn as nn

from lowvis.registry import MODELS
from .blur_sampling import BlurDownsample
from .norm import build_norm, init_weights


@MODELS.register_module()
class PatchDiscriminator(nn.Module):
    """Classifies overlapping patches (70x70 for ``n_layers=3``) as real/fake.

    Args:
        in_channels (int): image channels.
        ndf (int): width of the first layer.
        n_layers (int): stride-2 stages (3 in CycleGAN / DCD-GAN).
        norm (str): ``'instance'``, ``'batch'`` or ``'none'``.
        antialias (bool): CUT's stride-1 conv + blur-downsample instead of
            stride-2 convs.

    Input ``[N, C, H, W]`` in [-1, 1]; output raw logits
    ``[N, 1, H', W']`` (``H' = H/8 - 2`` for ``n_layers=3``, 256 -> 30).
    """

    def __init__(self, in_channels=3, ndf=64, n_layers=3, norm='instance',
                 antialias=False, init_type='normal', init_gain=0.02):
        super().__init__()
        norm_layer, use_bias = build_norm(norm)
        layers = _stage(in_channels, ndf, None, True, antialias)
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2**n, 8)
            layers += _stage(ndf * prev, ndf * mult, norm_layer, use_bias,
                             antialias)
        prev, mult = mult, min(2**n_layers, 8)
        layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, padding=1,
                             bias=use_bias),
                   norm_layer(ndf * mult), nn.LeakyReLU(0.2, True),
                   nn.Conv2d(ndf * mult, 1, 4, padding=1)]
        self.model = nn.Sequential(*layers)
        self.init_type, self.init_gain = init_type, init_gain
        self.init_weights()

    def init_weights(self):
        init_weights(self, self.init_type, self.init_gain)

    def forward(self, x):
        return self.model(x)


def _stage(in_ch, out_ch, norm_layer, use_bias, antialias):
    stride = 1 if antialias else 2
    layers = [nn.Conv2d(in_ch, out_ch, 4, stride=stride, padding=1,
                        bias=use_bias)]
    if norm_layer is not None:
        layers.append(norm_layer(out_ch))
    layers.append(nn.LeakyReLU(0.2, True))
    if antialias:
        layers.append(BlurDownsample(out_ch))
    return layers
