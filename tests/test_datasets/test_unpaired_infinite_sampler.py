import itertools

import pytest
import torch

from lowvis.datasets import UnpairedInfiniteSampler
from lowvis.registry import DATA_SAMPLERS


def _take(sampler, count):
    return list(itertools.islice(iter(sampler), count))


def _with_rank(sampler, rank, world_size):
    sampler.rank, sampler.world_size = rank, world_size
    return sampler


def test_each_epoch_is_an_offset_permutation():
    n = 7
    stream = _take(UnpairedInfiniteSampler(range(n), seed=5), 4 * n)
    for epoch in range(4):
        chunk = stream[epoch * n:(epoch + 1) * n]
        assert sorted(chunk) == list(range(epoch * n, (epoch + 1) * n))
    first = torch.randperm(n, generator=torch.Generator().manual_seed(5))
    assert stream[:n] == first.tolist()
    second = torch.randperm(n, generator=torch.Generator().manual_seed(6))
    assert stream[n:2 * n] == (second + n).tolist()


def test_stream_is_deterministic_and_restartable():
    a = _take(UnpairedInfiniteSampler(range(5), seed=1), 23)
    b = _take(UnpairedInfiniteSampler(range(5), seed=1), 23)
    assert a == b
    sampler = UnpairedInfiniteSampler(range(5), seed=1)
    _take(sampler, 3)
    sampler.set_epoch(4)  # a no-op
    assert _take(sampler, 23) == a
    assert _take(UnpairedInfiniteSampler(range(5), seed=2), 23) != a


@pytest.mark.parametrize('world_size', [1, 2, 3])
@pytest.mark.parametrize('start', [0, 1, 4, 5, 13])
def test_set_start_skips_what_was_consumed(world_size, start):
    n = 5
    for rank in range(world_size):
        plain = _with_rank(UnpairedInfiniteSampler(range(n), seed=4), rank,
                           world_size)
        jumped = _with_rank(UnpairedInfiniteSampler(range(n), seed=4), rank,
                            world_size)
        jumped.set_start(start)
        assert _take(jumped, 12) == _take(plain, start + 12)[start:]


def test_set_start_rejects_negative():
    with pytest.raises(ValueError, match='start'):
        UnpairedInfiniteSampler(range(3), seed=0).set_start(-1)


def test_no_shuffle_is_in_order():
    assert _take(UnpairedInfiniteSampler(range(3), shuffle=False, seed=0),
                 7) == [0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize('world_size', [2, 3])
def test_rank_shards_are_disjoint_and_cover(world_size):
    n, count = 6, 30
    full = _take(UnpairedInfiniteSampler(range(n), seed=9), count)
    shards = [
        _take(_with_rank(UnpairedInfiniteSampler(range(n), seed=9), r,
                         world_size), count // world_size)
        for r in range(world_size)
    ]
    for rank, shard in enumerate(shards):
        assert shard == full[rank::world_size]
    merged = sorted(itertools.chain.from_iterable(shards))
    assert merged == sorted(full)
    assert len(set(merged)) == count  # indices never repeat across epochs


def test_len_and_registry():
    sampler = DATA_SAMPLERS.build(
        dict(type='UnpairedInfiniteSampler', dataset=list(range(4)), seed=0))
    assert isinstance(sampler, UnpairedInfiniteSampler)
    assert len(sampler) == 4
    assert isinstance(UnpairedInfiniteSampler(range(2)).seed, int)


def test_empty_dataset_is_refused():
    with pytest.raises(ValueError, match='empty'):
        UnpairedInfiniteSampler([], seed=0)
