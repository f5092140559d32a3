"""How much tiling changes a restored image, with and without global stats.

A 200x150 photo restored with 64 px tiles overlapping by 16 (4 x 3 tiles)
is compared with the untiled result:

* ``MAD``: mean absolute difference tiled vs untiled (0-255 units);
* ``seam``: mean absolute step between neighbouring pixels across the tile
  edges, divided by the mean step between all other neighbours (1 means the
  tile edges are invisible), measured on the output itself and on the
  difference tiled - untiled (which removes the photo's own edges, so a
  seam stands out there).

Run with ``pytest -s`` to see the numbers. Two networks: the micro CycleGAN
trained by the session fixture (near the identity: global residual) and an
untrained ResNet generator without a global residual, whose output depends
much more on instance-norm statistics.
"""
import cv2
import numpy as np
import pytest
import torch
from skimage import data

from lowvis.apis import init_model, restore, tile_starts
from lowvis.models.archs.resnet_generator import ResnetGenerator

TILE, OVERLAP = 64, 16


def edge_boundaries(length, tile, overlap):
    """Indices i whose step (i -> i+1) crosses the edge of some tile."""
    size = min(tile, length)
    found = set()
    for start in tile_starts(length, tile, overlap):
        if start > 0:
            found.add(start - 1)
        if start + size < length:
            found.add(start + size - 1)
    return sorted(found)


def seam_ratio(img, tile=TILE, overlap=OVERLAP):
    """Mean |step| across tile edges / mean |step| elsewhere (both axes)."""
    img = np.asarray(img, dtype=np.float64)
    at_edges, elsewhere = [], []
    for axis in (0, 1):
        steps = np.abs(np.diff(img, axis=axis)).mean(axis=(1 - axis, 2))
        mask = np.zeros(len(steps), dtype=bool)
        mask[edge_boundaries(img.shape[axis], tile, overlap)] = True
        at_edges.append(steps[mask])
        elsewhere.append(steps[~mask])
    return np.concatenate(at_edges).mean() / np.concatenate(elsewhere).mean()


def measure(net, img, norm_stats, overlap=OVERLAP, **kwargs):
    untiled = restore(net, img, tile=0).astype(np.float64)
    tiled = restore(net, img, tile=TILE, tile_overlap=overlap,
                    norm_stats=norm_stats, **kwargs).astype(np.float64)
    return dict(mad=float(np.abs(tiled - untiled).mean()),
                seam=float(seam_ratio(tiled, TILE, overlap)),
                seam_diff=float(seam_ratio(tiled - untiled, TILE, overlap)))


@pytest.fixture(scope='module')
def photo():
    img = cv2.resize(data.astronaut(), (200, 150),
                     interpolation=cv2.INTER_AREA)
    assert len(tile_starts(200, TILE, OVERLAP)) == 4
    assert len(tile_starts(150, TILE, OVERLAP)) == 3
    return img


@pytest.fixture(scope='module')
def networks(micro_checkpoint):
    micro = init_model(micro_checkpoint.config, micro_checkpoint.checkpoint)
    torch.manual_seed(0)
    untrained = ResnetGenerator(ngf=8, n_blocks=1).eval()
    return dict(micro=micro, untrained=untrained)


@pytest.mark.parametrize('name', ['micro', 'untrained'])
def test_tiling_changes_the_result_little_and_leaves_no_seams(
        photo, networks, name):
    net = networks[name]
    results = {ns: measure(net, photo, ns) for ns in ('tile', 'global')}
    results['global, stats at 64 px'] = measure(net, photo, 'global',
                                                stats_size=64)
    results['no overlap (reference)'] = measure(net, photo, 'tile',
                                                overlap=0)
    for label, r in results.items():
        print(f'\n[{name}] {label}: MAD {r["mad"]:.3f}, seam ratio output '
              f'{r["seam"]:.3f}, seam ratio difference {r["seam_diff"]:.3f}')
    limit = 3.0 if name == 'micro' else 40.0
    for ns in ('tile', 'global'):
        assert results[ns]['mad'] < limit
        assert results[ns]['seam'] < 1.3
        assert results[ns]['seam_diff'] < 1.3
    # one set of statistics for all tiles moves them closer to untiled
    assert results['global']['mad'] < results['tile']['mad']
