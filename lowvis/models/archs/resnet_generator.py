"""CycleGAN's ResNet generator, with CUT's anti-aliased variant and feature taps.

The layers are one flat ``nn.Sequential`` (``self.model``) laid out exactly as
in the public CycleGAN / CUT / DCLGAN / DCD-GAN code, so that (a) their
``nce_layers`` indices mean the same layers here and (b) their state dicts map
onto ours key for key.

Layer indices with ``antialias=True`` (CUT's layout), ``n_blocks=9``:

====== ===================================================== ==============
index  layer (its *output* is the feature tapped)            shape
====== ===================================================== ==============
0      reflection pad 3 of the input image                   3, H+6, W+6
1-3    7x7 conv -> norm -> ReLU                              ngf, H, W
4      down 1: 3x3 conv, stride 1                            2ngf, H, W
5-7    norm -> ReLU -> blur-downsample                       2ngf, H/2
8      down 2: 3x3 conv, stride 1                            4ngf, H/2
9-11   norm -> ReLU -> blur-downsample                       4ngf, H/4
12..20 residual blocks 1..9                                  4ngf, H/4
21-28  2 x (blur-upsample, 3x3 conv, norm, ReLU)             ngf, H
29-31  reflection pad 3, 7x7 conv, tanh                      3, H, W
====== ===================================================== ==============

So the default ``nce_layers`` ``(4, 8, 12, 16)`` are the two down-sampling
convolutions and residual blocks 1 and 5; CUT adds layer 0, the padded input.
With ``antialias=False`` (CycleGAN's layout) each down/up stage has three
layers (strided conv or transposed conv, norm, ReLU): 0-3 input, 4-6 and 7-9
down, 10.. residual blocks.
"""
import torch
import torch.nn as nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .blur_sampling import BlurDownsample, BlurUpsample
from .norm import build_norm, init_weights


class ResnetBlock(nn.Module):
    """Residual block: x + (pad, conv3x3, norm, ReLU, [dropout], pad, conv3x3, norm)."""

    def __init__(self, channels, norm_layer, use_bias, padding='reflect',
                 use_dropout=False):
        super().__init__()
        layers = []
        for i in range(2):
            layers += _padded_conv3x3(channels, channels, padding, use_bias)
            layers.append(norm_layer(channels))
            if i == 0:
                layers.append(nn.ReLU(True))
                if use_dropout:
                    layers.append(nn.Dropout(0.5))
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


def _padded_conv3x3(in_ch, out_ch, padding, bias):
    pads = {'reflect': nn.ReflectionPad2d, 'replicate': nn.ReplicationPad2d}
    if padding in pads:
        return [pads[padding](1), nn.Conv2d(in_ch, out_ch, 3, bias=bias)]
    if padding == 'zero':
        return [nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=bias)]
    raise ConfigError(f"padding must be 'reflect', 'replicate' or 'zero', "
                      f'got {padding!r}')


@MODELS.register_module()
class ResnetGenerator(nn.Module):
    """Encoder - residual blocks - decoder image translator.

    Args:
        in_channels / out_channels (int): image channels (3 for RGB).
        ngf (int): width of the first layer; the bottleneck has ``4 * ngf``.
        n_blocks (int): residual blocks (9 in the paper, 6 for 128 px).
        norm (str): ``'instance'``, ``'batch'`` or ``'none'``.
        padding (str): residual-block padding, ``'reflect'`` (default),
            ``'replicate'`` or ``'zero'``.
        use_dropout (bool): dropout 0.5 inside residual blocks.
        antialias (bool): CUT's blurred down/up-sampling instead of strided
            and transposed convolutions (changes the layer indices, see the
            module docstring).
        global_residual (bool): output ``clamp(x + correction, -1, 1)`` instead
            of the tanh output itself, so an untrained network starts near
            the identity (the last conv is zero-initialised).
        init_type / init_gain: weight initialisation (see :func:`init_weights`).

    Images are ``[N, 3, H, W]`` in [-1, 1]; H and W multiples of 4.
    """

    def __init__(self, in_channels=3, out_channels=3, ngf=64, n_blocks=9,
                 norm='instance', padding='reflect', use_dropout=False,
                 antialias=False, global_residual=False, init_type='normal',
                 init_gain=0.02):
        super().__init__()
        norm_layer, use_bias = build_norm(norm)
        self.global_residual = global_residual
        self.init_type, self.init_gain = init_type, init_gain
        layers = [nn.ReflectionPad2d(3),
                  nn.Conv2d(in_channels, ngf, 7, bias=use_bias),
                  norm_layer(ngf), nn.ReLU(True)]
        for i in range(2):
            ch = ngf * 2**i
            layers += _down_stage(ch, ch * 2, norm_layer, use_bias, antialias)
        for _ in range(n_blocks):
            layers.append(ResnetBlock(ngf * 4, norm_layer, use_bias, padding,
                                      use_dropout))
        for i in range(2):
            ch = ngf * 2**(2 - i)
            layers += _up_stage(ch, ch // 2, norm_layer, use_bias, antialias)
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, out_channels, 7),
                   nn.Tanh()]
        self.model = nn.Sequential(*layers)
        self.init_weights()

    def init_weights(self):
        init_weights(self, self.init_type, self.init_gain)
        if self.global_residual:
            last_conv = self.model[-2]
            nn.init.zeros_(last_conv.weight)
            nn.init.zeros_(last_conv.bias)

    def feature_channels(self, layers):
        """Channels of the features tapped at ``layers`` (list of ints)."""
        probe = torch.zeros(1, self.model[1].in_channels, 16, 16)
        with torch.no_grad():
            feats = self.forward(probe, layers=layers, encode_only=True)
        return [f.shape[1] for f in feats]

    def forward(self, x, layers=None, encode_only=False):
        """Translate ``x`` and optionally tap intermediate features.

        Args:
            x (Tensor): ``[N, C_in, H, W]`` in [-1, 1].
            layers (Sequence[int] | None): indices of ``self.model`` whose
                outputs to return, in the given order.
            encode_only (bool): stop after the last tapped layer and return
                only the features (for encoders of images that need no
                translation).

        Returns:
            Tensor ``[N, C_out, H, W]`` in [-1, 1]; or ``(out, feats)`` when
            ``layers`` is given; or ``feats`` alone with ``encode_only``.
        """
        if not layers:
            return self._finish(x, self.model(x))
        wanted = {layer: k for k, layer in enumerate(layers)}
        last = max(layers)
        feats = [None] * len(layers)
        h = x
        for idx, layer in enumerate(self.model):
            h = layer(h)
            if idx in wanted:
                feats[wanted[idx]] = h
            if encode_only and idx == last:
                return feats
        return self._finish(x, h), feats

    def _finish(self, x, out):
        if self.global_residual:
            return torch.clamp(x + out, -1.0, 1.0)
        return out


def _down_stage(in_ch, out_ch, norm_layer, use_bias, antialias):
    if antialias:
        return [nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=use_bias),
                norm_layer(out_ch), nn.ReLU(True), BlurDownsample(out_ch)]
    return [nn.Conv2d(in_ch, out_ch, 3, stride=2, padding=1, bias=use_bias),
            norm_layer(out_ch), nn.ReLU(True)]


def _up_stage(in_ch, out_ch, norm_layer, use_bias, antialias):
    if antialias:
        return [BlurUpsample(in_ch),
                nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=use_bias),
                norm_layer(out_ch), nn.ReLU(True)]
    return [nn.ConvTranspose2d(in_ch, out_ch, 3, stride=2, padding=1,
                               output_padding=1, bias=use_bias),
            norm_layer(out_ch), nn.ReLU(True)]
