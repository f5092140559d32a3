import pytest
import torch

from lowvis.models.contrastive import PatchSampler
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError


def _feats(seed, n=2):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, 4, 8, 8, generator=g),
            torch.randn(n, 6, 4, 4, generator=g)]


def test_shapes_and_counts():
    sampler = PatchSampler(num_patches=32)
    patches, ids = sampler(_feats(0))
    # layer 0 has 64 locations -> 32; layer 1 has only 16 -> all 16
    assert [tuple(p.shape) for p in patches] == [(2, 32, 4), (2, 16, 6)]
    assert [tuple(i.shape) for i in ids] == [(32, ), (16, )]
    assert all(i.dtype == torch.long for i in ids)
    assert len(set(ids[0].tolist())) == 32  # without replacement
    assert sorted(ids[1].tolist()) == list(range(16))


@pytest.mark.parametrize('num_patches', [0, None])
def test_all_locations(num_patches):
    feats = _feats(0)
    patches, ids = PatchSampler(num_patches)(feats)
    assert torch.equal(ids[0], torch.arange(64))
    # raster order: patch y*W + x is feat[:, :, y, x]
    assert torch.equal(patches[0], feats[0].permute(0, 2, 3, 1).reshape(
        2, 64, 4))


def test_patches_are_feature_vectors_at_ids():
    feats = _feats(1)
    patches, ids = PatchSampler(8)(feats)
    for feat, patch, idx in zip(feats, patches, ids):
        w = feat.shape[-1]
        for j, flat in enumerate(idx.tolist()):
            y, x = divmod(flat, w)
            assert torch.equal(patch[:, j], feat[:, :, y, x])


def test_reused_ids_sample_same_locations_of_another_stack():
    sampler = PatchSampler(num_patches=16)
    feats_a, feats_b = _feats(2), _feats(3)
    patches_a, ids = sampler(feats_a)
    patches_b, ids_b = sampler(feats_b, patch_ids=ids)
    assert all(torch.equal(i, j) for i, j in zip(ids, ids_b))
    # a marker placed at every sampled location of stack A shows up in B
    marked_b = [f.clone() for f in feats_b]
    for f, idx in zip(marked_b, ids):
        f.flatten(2)[:, :, idx] = 100.0
    patches_m, _ = sampler(marked_b, patch_ids=ids)
    assert all((p == 100.0).all() for p in patches_m)
    assert not any(torch.equal(a, b) for a, b in zip(patches_a, patches_b))


def test_seeded_generator_is_deterministic():
    sampler = PatchSampler(num_patches=16)
    feats = _feats(4)
    _, ids1 = sampler(feats, generator=torch.Generator().manual_seed(7))
    _, ids2 = sampler(feats, generator=torch.Generator().manual_seed(7))
    _, ids3 = sampler(feats, generator=torch.Generator().manual_seed(8))
    assert all(torch.equal(a, b) for a, b in zip(ids1, ids2))
    assert not torch.equal(ids1[0], ids3[0])
    torch.manual_seed(5)
    _, ids4 = sampler(feats)
    torch.manual_seed(5)
    _, ids5 = sampler(feats)
    assert torch.equal(ids4[0], ids5[0])


def test_gradient_flows_to_features_and_no_parameters():
    feats = [f.requires_grad_(True) for f in _feats(5)]
    sampler = MODELS.build(dict(type='PatchSampler', num_patches=4))
    assert list(sampler.parameters()) == []
    patches, _ = sampler(feats)
    sum(p.sum() for p in patches).backward()
    assert feats[0].grad.sum().item() == pytest.approx(2 * 4 * 4)


def test_bad_arguments():
    with pytest.raises(ConfigError, match='num_patches'):
        PatchSampler(-1)
    with pytest.raises(ValueError, match='patch_ids'):
        PatchSampler(4)(_feats(0), patch_ids=[torch.arange(4)])
    with pytest.raises(ValueError, match=r'\[N, C, H, W\]'):
        PatchSampler(4)([torch.zeros(2, 4, 8)])
