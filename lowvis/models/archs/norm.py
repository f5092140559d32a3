"""Normalisation layers and weight initialisation shared by the archs."""
import functools

import torch.nn as nn
from torch.nn import init

from lowvis.utils.errors import ConfigError


def build_norm(norm):
    """Return ``(norm_layer_factory, use_bias)`` for a norm name.

    ``'instance'`` is CycleGAN's instance norm (no affine, no running stats);
    convolutions before it use a bias because the norm has none. ``'batch'``
    is affine batch norm (convs without bias); ``'none'`` is identity.
    """
    if norm == 'instance':
        return functools.partial(nn.InstanceNorm2d, affine=False,
                                 track_running_stats=False), True
    if norm == 'batch':
        return functools.partial(nn.BatchNorm2d, affine=True), False
    if norm == 'none':
        return (lambda channels: nn.Identity()), True
    raise ConfigError(f"norm must be 'instance', 'batch' or 'none', "
                      f'got {norm!r}')


def init_weights(module, init_type='normal', gain=0.02):
    """Initialise conv and linear weights in place, as CycleGAN/CUT do.

    ``init_type``: ``'normal'`` (N(0, gain)), ``'xavier'`` (xavier-normal with
    ``gain``), ``'kaiming'`` or ``'orthogonal'``. Biases are zeroed; batch-norm
    weights drawn from N(1, gain).
    """
    def init_one(m):
        name = m.__class__.__name__
        if hasattr(m, 'weight') and ('Conv' in name or 'Linear' in name):
            if init_type == 'normal':
                init.normal_(m.weight, 0.0, gain)
            elif init_type == 'xavier':
                init.xavier_normal_(m.weight, gain=gain)
            elif init_type == 'kaiming':
                init.kaiming_normal_(m.weight, a=0, mode='fan_in')
            elif init_type == 'orthogonal':
                init.orthogonal_(m.weight, gain=gain)
            else:
                raise ConfigError(f'unknown init_type {init_type!r}')
            if getattr(m, 'bias', None) is not None:
                init.zeros_(m.bias)
        elif 'BatchNorm2d' in name:
            init.normal_(m.weight, 1.0, gain)
            init.zeros_(m.bias)

    module.apply(init_one)
