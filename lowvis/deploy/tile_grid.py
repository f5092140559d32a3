"""The tile grid, blending window, padding and tiled pass, in numpy.

One definition serves both inference back-ends: :mod:`lowvis.apis.tiling`
(torch) wraps these functions, and the ONNX Runtime path uses them as they
are. Nothing here imports torch.

A fully convolutional generator can restore an image of any size, but its
activations grow with the image. The image is cut into tiles that overlap by
``overlap`` pixels; each tile is restored on its own and the results are
blended with a raised-cosine window that falls towards every edge a tile
shares with a neighbour, so there are no visible seams. Edges on the image
border keep full weight.

Arrays are ``float32 [1, C, H, W]``; the value range is whatever the network
uses (lowvis generators: RGB in [-1, 1]).
"""
import math
from typing import Callable, List

import numpy as np

__all__ = ['tile_starts', 'ramp_weights', 'axis_windows', 'pad_amounts',
           'pad_to_multiple', 'tiled_forward']


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


def ramp_weights(size: int, ramp_before: int, ramp_after: int) -> np.ndarray:
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
        np.ndarray: ``float32 [size]`` in (0, 1].
    """
    weights = np.ones(size, dtype=np.float32)
    for ramp, flip in ((ramp_before, False), (ramp_after, True)):
        ramp = min(ramp, size)
        if ramp <= 0:
            continue
        i = np.arange(ramp, dtype=np.float32)
        rise = (0.5 - 0.5 * np.cos(np.float32(math.pi) * (i + 0.5) / ramp))
        rise = rise.astype(np.float32)
        if flip:
            weights[size - ramp:] *= rise[::-1]
        else:
            weights[:ramp] *= rise
    return weights


def axis_windows(length: int, tile: int, overlap: int):
    """``[(start, size, weights)]`` of the tiles along one axis."""
    starts = tile_starts(length, tile, overlap)
    windows = []
    for k, start in enumerate(starts):
        size = min(tile, length)
        before = overlap if k > 0 else 0
        after = overlap if k < len(starts) - 1 else 0
        windows.append((start, size, ramp_weights(size, before, after)))
    return windows


def pad_amounts(height: int, width: int, multiple: int = 4,
                min_size: int = 0):
    """``(pad_bottom, pad_right, mode)`` that bring ``height x width`` to
    multiples of ``multiple`` and at least ``min_size`` (rounded up to
    ``multiple``).

    ``mode`` is ``'reflect'`` (as the generators pad inside), or
    ``'replicate'`` for a side too short to reflect (fewer pixels than its
    padding + 1); ``None`` when nothing is padded.
    """
    pad_h = max(height, min_size) - height
    pad_w = max(width, min_size) - width
    pad_h += (-(height + pad_h)) % multiple
    pad_w += (-(width + pad_w)) % multiple
    if pad_h == 0 and pad_w == 0:
        return 0, 0, None
    mode = 'reflect' if pad_h < height and pad_w < width else 'replicate'
    return pad_h, pad_w, mode


def pad_to_multiple(x: np.ndarray, multiple: int = 4, min_size: int = 0):
    """numpy twin of :func:`lowvis.apis.tiling.pad_to_multiple`: pad
    ``[N, C, H, W]`` at the bottom/right as :func:`pad_amounts` says.

    Returns:
        tuple[np.ndarray, tuple[int, int]]: the padded array and the
        original ``(H, W)`` to crop back to.
    """
    height, width = x.shape[-2:]
    pad_h, pad_w, mode = pad_amounts(height, width, multiple, min_size)
    if mode is None:
        return x, (height, width)
    np_mode = 'reflect' if mode == 'reflect' else 'edge'
    pads = ((0, 0), (0, 0), (0, pad_h), (0, pad_w))
    return np.pad(x, pads, mode=np_mode), (height, width)


def tiled_forward(fn: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                  tile: int, overlap: int,
                  out_channels: int = None) -> np.ndarray:
    """Apply ``fn`` to overlapping tiles of ``x`` and blend the outputs.

    Args:
        fn (callable): maps a ``float32 [1, C, h, w]`` tile (a view of ``x``)
            to a ``float32 [1, C_out, h, w]`` array.
        x (np.ndarray): ``float32 [1, C, H, W]``.
        tile (int): tile side in pixels; ``0`` (or an image that fits in
            one tile) calls ``fn`` once on the whole image.
        overlap (int): pixels shared by neighbouring tiles.
        out_channels (int | None): ``C_out``; defaults to ``C``.

    Returns:
        np.ndarray: ``float32 [1, C_out, H, W]``.
    """
    height, width = x.shape[-2:]
    if tile <= 0 or (height <= tile and width <= tile):
        return np.asarray(fn(x), dtype=np.float32)
    channels = out_channels or x.shape[1]
    acc = np.zeros((1, channels, height, width), dtype=np.float32)
    norm = np.zeros((1, 1, height, width), dtype=np.float32)
    for y0, th, wy in axis_windows(height, tile, overlap):
        for x0, tw, wx in axis_windows(width, tile, overlap):
            out = fn(x[:, :, y0:y0 + th, x0:x0 + tw])
            window = wy[:, None] * wx[None, :]
            acc[:, :, y0:y0 + th, x0:x0 + tw] += out * window
            norm[:, :, y0:y0 + th, x0:x0 + tw] += window
    acc /= norm
    return acc
