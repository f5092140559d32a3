"""Run an image-to-image network on overlapping tiles and blend them.

A fully convolutional generator can restore an image of any size, but its
activations grow with the image: a 3000x2000 photo through a ResNet
generator needs several GiB. Here the image is cut into tiles that overlap
by ``overlap`` pixels; each tile is restored on its own and the results are
blended with a raised-cosine window that falls towards every edge a tile
shares with a neighbour, so there are no visible seams. Edges on the image
border keep full weight.

All tensors here are ``float32 [1, C, H, W]``; the value range is whatever
the network uses (lowvis generators: RGB in [-1, 1]).
"""
import math
from typing import Callable, List

import torch
import torch.nn.functional as F

__all__ = ['pad_to_multiple', 'tile_starts', 'ramp_weights',
           'tiled_forward']


def pad_to_multiple(x: torch.Tensor, multiple: int = 4, min_size: int = 0):
    """Pad ``x`` at the bottom/right to multiples of ``multiple``.

    Reflection padding, as the generators use inside; sides too short to
    reflect (fewer pixels than the padding + 1) are replicated instead.

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
    pad_h = max(height, min_size) - height
    pad_w = max(width, min_size) - width
    pad_h += (-(height + pad_h)) % multiple
    pad_w += (-(width + pad_w)) % multiple
    if pad_h == 0 and pad_w == 0:
        return x, (height, width)
    mode = 'reflect' if pad_h < height and pad_w < width else 'replicate'
    return F.pad(x, (0, pad_w, 0, pad_h), mode=mode), (height, width)


def tile_starts(length: int, tile: int, overlap: int) -> List[int]:
    """Start offsets of tiles covering ``[0, length)`` along one axis.

    Tiles are ``tile`` long and step by ``tile - overlap``; the last one is
    moved back so that it ends at ``length`` (it may then overlap its
    neighbour by more than ``overlap``). A ``length <= tile`` gives ``[0]``.

    Example: ``tile_starts(200, 64, 16)`` is ``[0, 48, 96, 136]``.
    """
    if tile <= 0 or not 0 <= overlap < tile:
        raise ValueError(f'need tile > 0 and 0 <= overlap < tile, got '
                         f'tile={tile}, overlap={overlap}')
    if length <= tile:
        return [0]
    stride = tile - overlap
    count = math.ceil((length - tile) / stride) + 1
    starts = [i * stride for i in range(count - 1)]
    return starts + [length - tile]


def ramp_weights(size: int, ramp_before: int, ramp_after: int) -> torch.Tensor:
    """1-D blending window: raised-cosine ramps at the two ends, 1 between.

    The rising ramp over ``r`` pixels is ``0.5 - 0.5 cos(pi (i + 0.5) / r)``
    for ``i = 0 .. r-1``: never exactly 0, and a rising and a falling ramp of
    the same length sum to 1 pixel by pixel, so two tiles overlapping by
    exactly ``r`` blend without any change in overall weight.

    Args:
        size (int): window length.
        ramp_before / ramp_after (int): ramp lengths at the start / end
            (0 for an edge on the image border).

    Returns:
        Tensor: ``float32 [size]`` in (0, 1].
    """
    weights = torch.ones(size, dtype=torch.float32)
    for ramp, flip in ((ramp_before, False), (ramp_after, True)):
        ramp = min(ramp, size)
        if ramp <= 0:
            continue
        i = torch.arange(ramp, dtype=torch.float32)
        rise = 0.5 - 0.5 * torch.cos(math.pi * (i + 0.5) / ramp)
        if flip:
            weights[size - ramp:] *= rise.flip(0)
        else:
            weights[:ramp] *= rise
    return weights


def _axis_windows(length: int, tile: int, overlap: int):
    """``[(start, size, weights)]`` of the tiles along one axis."""
    starts = tile_starts(length, tile, overlap)
    windows = []
    for k, start in enumerate(starts):
        size = min(tile, length)
        before = overlap if k > 0 else 0
        after = overlap if k < len(starts) - 1 else 0
        windows.append((start, size, ramp_weights(size, before, after)))
    return windows


def tiled_forward(fn: Callable[[torch.Tensor], torch.Tensor],
                  x: torch.Tensor, tile: int, overlap: int,
                  out_channels: int = None) -> torch.Tensor:
    """Apply ``fn`` to overlapping tiles of ``x`` and blend the outputs.

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
    height, width = x.shape[-2:]
    if tile <= 0 or (height <= tile and width <= tile):
        return fn(x).float().cpu()
    channels = out_channels or x.shape[1]
    acc = torch.zeros(1, channels, height, width)
    norm = torch.zeros(1, 1, height, width)
    for y0, th, wy in _axis_windows(height, tile, overlap):
        for x0, tw, wx in _axis_windows(width, tile, overlap):
            out = fn(x[:, :, y0:y0 + th, x0:x0 + tw]).float().cpu()
            window = wy[:, None] * wx[None, :]
            acc[:, :, y0:y0 + th, x0:x0 + tw] += out * window
            norm[:, :, y0:y0 + th, x0:x0 + tw] += window
    return acc.div_(norm)
