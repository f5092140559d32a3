"""Share one image's instance-norm statistics across all of its tiles.

An instance-norm layer normalises each channel by the mean and variance of
*its input*, so a tile of the sky and a tile of a street are normalised
differently and the blended result drifts from the untiled one (tiles of a
uniform region can even change colour). :class:`SharedInstanceNormStats`
puts forward hooks on a network's ``nn.InstanceNorm2d`` layers:

1. in ``record`` mode, a pass over the whole image (usually downscaled, to
   fit in memory) stores every layer's per-channel mean and variance;
2. in ``apply`` mode, each layer normalises its input with the stored
   statistics instead of its own, so every tile sees the whole image's.

Layers that keep running statistics (``track_running_stats=True``) already
use fixed statistics in eval mode and are left alone.
"""
from typing import Dict, List

import torch
from torch import nn

__all__ = ['SharedInstanceNormStats', 'instance_norm_layers']


def instance_norm_layers(module: nn.Module) -> List[nn.InstanceNorm2d]:
    """``InstanceNorm2d`` layers of ``module`` that use per-input stats."""
    return [
        m for m in module.modules() if isinstance(m, nn.InstanceNorm2d)
        and not (m.track_running_stats and not m.training)
    ]


class SharedInstanceNormStats:
    """Context manager: record instance-norm statistics once, reuse them.

    Usage::

        with SharedInstanceNormStats(generator) as shared:
            generator(small_whole_image)   # records
            shared.mode = 'apply'
            for tile in tiles:
                generator(tile)             # normalised with recorded stats

    Statistics are stored per layer and per call, so a layer used twice in
    one forward pass gets its two sets back in the same order. Hooks are
    removed on exit.

    Args:
        module (nn.Module): the network (e.g. a ``ResnetGenerator``).
    """

    def __init__(self, module: nn.Module) -> None:
        self.module = module
        self.mode = 'record'
        self.stats: Dict[nn.Module, List[tuple]] = {}
        self._calls: Dict[nn.Module, int] = {}
        self._handles = []

    @property
    def num_layers(self) -> int:
        """Number of hooked instance-norm layers."""
        return len(self._handles) - 1 if self._handles else 0

    def __enter__(self):
        self._handles.append(
            self.module.register_forward_pre_hook(self._start_pass))
        for layer in instance_norm_layers(self.module):
            self._handles.append(layer.register_forward_hook(self._hook))
        return self

    def __exit__(self, *exc):
        for handle in self._handles:
            handle.remove()
        self._handles = []
        return False

    def _start_pass(self, module, inputs):
        self._calls = {}

    def _hook(self, layer, inputs, output):
        x = inputs[0]
        call = self._calls.get(layer, 0)
        self._calls[layer] = call + 1
        if self.mode == 'record':
            var, mean = torch.var_mean(x.float(), dim=(2, 3), keepdim=True,
                                       unbiased=False)
            self.stats.setdefault(layer, []).append((mean, var))
            return None
        if self.mode != 'apply':
            raise ValueError(f"mode must be 'record' or 'apply', got "
                             f'{self.mode!r}')
        recorded = self.stats.get(layer)
        if not recorded or call >= len(recorded):
            raise RuntimeError('no recorded instance-norm statistics for '
                               'this layer call: run a recording pass first')
        mean, var = recorded[call]
        out = (x.float() - mean) * torch.rsqrt(var + layer.eps)
        if layer.affine:
            out = out * layer.weight[:, None, None] + layer.bias[:, None, None]
        return out.to(output.dtype)
