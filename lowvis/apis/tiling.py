"""Run an image-to-image network on overlapping tiles and blend them (torch).

The tile grid, the blending window, the padding amounts and the blending
loop are defined once, in numpy, in :mod:`lowvis.deploy.tile_grid` (the ONNX
Runtime path uses them too); this module applies them to torch tensors.

All tensors here are ``float32 [1, C, H, W]``; the value range is whatever
the network uses (lowvis generators: RGB in [-1, 1]).
"""
from typing import Callable

import torch
import torch.nn.functional as F

from lowvis.deploy import tile_grid
from lowvis.deploy.tile_grid import tile_starts

__all__ = ['pad_to_multiple', 'tile_starts', 'ramp_weights',
           'tiled_forward']


def pad_to_multiple(x: torch.Tensor, multiple: int = 4, min_size: int = 0):
    """Pad ``x`` at the bottom/right to multiples of ``multiple``.

    Reflection padding, as the generators use inside; sides too short to
    reflect (fewer pixels than the padding + 1) are replicated instead
    (amounts and mode: :func:`lowvis.deploy.tile_grid.pad_amounts`).

    Args:
        x (Tensor): ``[N, C, H, W]``.
        multiple (int): the generators need 4 (two stride-2 stages).
        min_size (int): pad shorter sides up to at least this (rounded up
            to ``multiple``): the generators' reflection padding needs a few
            pixels at the bottleneck.

    Returns:
        tuple[Tensor, tuple[int, int]]: the padded tensor and the original
        ``(H, W)`` to crop back to.
    """
    height, width = x.shape[-2:]
    pad_h, pad_w, mode = tile_grid.pad_amounts(height, width, multiple,
                                               min_size)
    if mode is None:
        return x, (height, width)
    return F.pad(x, (0, pad_w, 0, pad_h), mode=mode), (height, width)


def ramp_weights(size: int, ramp_before: int, ramp_after: int) -> torch.Tensor:
    """:func:`lowvis.deploy.tile_grid.ramp_weights` as a ``float32``
    tensor."""
    return torch.from_numpy(tile_grid.ramp_weights(size, ramp_before,
                                                   ramp_after))


def tiled_forward(fn: Callable[[torch.Tensor], torch.Tensor],
                  x: torch.Tensor, tile: int, overlap: int,
                  out_channels: int = None) -> torch.Tensor:
    """Apply ``fn`` to overlapping tiles of ``x`` and blend the outputs
    (:func:`lowvis.deploy.tile_grid.tiled_forward`).

    Args:
        fn (callable): maps a ``[1, C, h, w]`` tile to a ``[1, C_out, h, w]``
            output (any device; ``fn`` moves the tile where it needs it).
        x (Tensor): ``float32 [1, C, H, W]`` on the CPU; the accumulators
            stay on the CPU, so only one tile at a time is on an accelerator.
        tile (int): tile side in pixels; ``0`` (or an image that fits in
            one tile) calls ``fn`` once on the whole image.
        overlap (int): pixels shared by neighbouring tiles.
        out_channels (int | None): ``C_out``; defaults to ``C``.

    Returns:
        Tensor: ``float32 [1, C_out, H, W]`` on the CPU.
    """
    def numpy_fn(tile_array):
        out = fn(torch.from_numpy(tile_array))
        return out.detach().float().cpu().numpy()

    return torch.from_numpy(tile_grid.tiled_forward(
        numpy_fn, x.detach().cpu().numpy(), tile, overlap, out_channels))
