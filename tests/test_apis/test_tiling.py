"""Tile layout, blending windows, padding and the tiled forward pass."""
import numpy as np
import pytest
import torch

from lowvis.apis.tiling import (pad_to_multiple, ramp_weights, tile_starts,
                                tiled_forward)


@pytest.mark.parametrize('length,tile,overlap,expected', [
    (200, 64, 16, [0, 48, 96, 136]),
    (150, 64, 16, [0, 48, 86]),
    (64, 64, 16, [0]),
    (10, 64, 16, [0]),
    (128, 64, 0, [0, 64]),
    (129, 64, 0, [0, 64, 65]),
])
def test_tile_starts(length, tile, overlap, expected):
    assert tile_starts(length, tile, overlap) == expected


@pytest.mark.parametrize('length', [65, 100, 257, 1000])
def test_tiles_cover_the_axis_and_overlap_enough(length):
    starts = tile_starts(length, 64, 16)
    assert starts[0] == 0 and starts[-1] + 64 == length
    for prev, nxt in zip(starts, starts[1:]):
        assert 16 <= prev + 64 - nxt < 64  # overlap at least `overlap`


@pytest.mark.parametrize('tile,overlap', [(0, 0), (64, 64), (64, -1)])
def test_tile_starts_rejects_bad_arguments(tile, overlap):
    with pytest.raises(ValueError, match='overlap'):
        tile_starts(100, tile, overlap)


def test_ramp_weights_sum_to_one_across_an_overlap():
    rise = ramp_weights(40, 16, 0)[:16]
    fall = ramp_weights(40, 0, 16)[-16:]
    assert torch.allclose(rise + fall, torch.ones(16), atol=1e-6)
    # hand value of the first sample: 0.5 - 0.5 cos(pi * 0.5 / 16)
    assert rise[0].item() == pytest.approx(0.5 - 0.5 * np.cos(np.pi / 32),
                                           rel=1e-5)
    assert (rise > 0).all() and torch.all(rise[1:] > rise[:-1])


def test_ramp_weights_without_ramps_are_ones():
    assert torch.equal(ramp_weights(7, 0, 0), torch.ones(7))
    both = ramp_weights(40, 8, 8)
    assert torch.equal(both[8:32], torch.ones(24))
    assert torch.allclose(both, both.flip(0))


def test_pad_to_multiple_reflects_and_reports_the_size():
    x = torch.arange(30.).reshape(1, 1, 5, 6)
    padded, size = pad_to_multiple(x, 4)
    assert size == (5, 6) and padded.shape == (1, 1, 8, 8)
    assert torch.equal(padded[..., :5, :6], x)
    # reflection: row 5 mirrors row 3, column 6 mirrors column 4
    assert torch.equal(padded[..., 5, :6], x[..., 3, :])
    assert torch.equal(padded[..., :5, 6], x[..., :, 4])
    same, size = pad_to_multiple(torch.zeros(1, 3, 8, 4))
    assert same.shape == (1, 3, 8, 4) and size == (8, 4)


def test_pad_to_multiple_replicates_tiny_images():
    x = torch.tensor([[[[1., 2.]]]])  # 1x2: too small to reflect
    padded, _ = pad_to_multiple(x, 4)
    assert padded.shape == (1, 1, 4, 4)
    assert torch.equal(padded[0, 0, 3], torch.tensor([1., 2., 2., 2.]))


@pytest.mark.parametrize('height,width', [(150, 200), (64, 300), (37, 53)])
def test_tiled_pointwise_function_equals_untiled(height, width):
    x = torch.rand(1, 3, height, width, generator=torch.Generator()
                   .manual_seed(0))

    def fn(t):
        return torch.cat([t * 2 - 1, t.mean(1, keepdim=True)], dim=1)

    out = tiled_forward(fn, x, 64, 16, out_channels=4)
    assert out.shape == (1, 4, height, width)
    assert torch.allclose(out, fn(x), atol=1e-6)


def test_tiled_forward_visits_each_tile_once_with_its_size():
    sizes = []

    def fn(t):
        sizes.append(tuple(t.shape[-2:]))
        return t

    tiled_forward(fn, torch.zeros(1, 3, 150, 200), 64, 16)
    assert sizes == [(64, 64)] * 12  # 3 rows x 4 columns
    sizes.clear()
    tiled_forward(fn, torch.zeros(1, 3, 40, 200), 64, 16)
    assert sizes == [(40, 64)] * 4
    sizes.clear()
    tiled_forward(fn, torch.zeros(1, 3, 64, 64), 64, 16)
    tiled_forward(fn, torch.zeros(1, 3, 150, 200), 0, 16)
    assert sizes == [(64, 64), (150, 200)]


def test_pad_to_multiple_min_size():
    x = torch.rand(1, 3, 66, 3)
    padded, size = pad_to_multiple(x, 4, min_size=16)
    assert padded.shape == (1, 3, 68, 16) and size == (66, 3)
    assert torch.equal(padded[..., :66, :3], x)
