import pytest
import torch
import torch.nn.functional as F

from lowvis.models.losses.patch_nce_loss import PatchNCELoss
from lowvis.models.contrastive import (DualNegativeSampler,
                                       ExternalNegativeSampler,
                                       InternalNegativeSampler)
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError


def _keys(seed, n=1, p=256, d=8):
    g = torch.Generator().manual_seed(seed)
    return F.normalize(torch.randn(n, p, d, generator=g), dim=-1)


def _effective(bank, mask, n, p):
    """Negatives per query: [N, P] counts of unmasked bank entries."""
    if mask is None:
        return torch.full((n, p), bank.shape[1])
    assert mask.shape == (n, p, bank.shape[1]) and mask.dtype == torch.bool
    return (~mask).sum(-1)


def _positive_in_negatives(keys, bank, mask):
    """How many (query, entry) pairs use the query's own positive."""
    same = (keys[:, :, None, :] == bank[:, None, :, :]).all(-1)  # [N, P, K]
    if mask is not None:
        same = same & ~mask
    return int(same.sum())


def test_internal_default_255_and_positive_masked():
    keys = _keys(0)
    bank, mask = InternalNegativeSampler()(keys)
    assert bank.shape == (1, 256, 8)
    assert (_effective(bank, mask, 1, 256) == 255).all()
    assert mask[0].diagonal().all()
    assert _positive_in_negatives(keys, bank, mask) == 0


def test_internal_include_batch():
    keys = _keys(1, n=2, p=16)
    bank, mask = InternalNegativeSampler(include_batch=True)(keys)
    assert bank.shape == (2, 32, 8)
    assert torch.equal(bank[0], keys.reshape(32, 8))
    assert torch.equal(bank[1], keys.reshape(32, 8))
    assert (_effective(bank, mask, 2, 16) == 2 * 16 - 1).all()
    assert mask[1, 3, 16 + 3] and not mask[1, 3, 3]
    assert _positive_in_negatives(keys, bank, mask) == 0


@pytest.mark.parametrize('include_batch', [False, True])
def test_internal_custom_count_is_exact_and_random(include_batch):
    keys = _keys(2, n=2, p=64)
    sampler = InternalNegativeSampler(10, include_batch=include_batch)
    bank, mask = sampler(keys, generator=torch.Generator().manual_seed(0))
    assert (_effective(bank, mask, 2, 64) == 10).all()
    assert _positive_in_negatives(keys, bank, mask) == 0
    # each query draws its own subset
    assert not torch.equal(mask[0, 0], mask[0, 1])
    _, again = sampler(keys, generator=torch.Generator().manual_seed(0))
    assert torch.equal(mask, again)


def test_external_default_256_nothing_masked():
    keys, other = _keys(3), _keys(4)
    bank, mask = ExternalNegativeSampler()(keys, other)
    assert mask is None
    assert torch.equal(bank, other)
    assert (_effective(bank, mask, 1, 256) == 256).all()
    assert _positive_in_negatives(keys, bank, mask) == 0


def test_external_custom_count_subset():
    keys, other = _keys(3, n=2, p=32), _keys(4, n=2, p=32)
    sampler = ExternalNegativeSampler(num_negatives=5)
    bank, mask = sampler(keys, other, torch.Generator().manual_seed(1))
    assert mask is None and bank.shape == (2, 5, 8)
    # the same 5 distinct locations of the other side, for both images
    hits = (bank[:, :, None, :] == other[:, None, :, :]).all(-1)  # [2, 5, 32]
    idx = hits.float().argmax(-1)
    assert hits.sum(-1).eq(1).all()
    assert torch.equal(idx[0], idx[1]) and len(set(idx[0].tolist())) == 5


def test_external_needs_other_keys():
    with pytest.raises(ValueError, match='other_keys'):
        ExternalNegativeSampler()(_keys(0))
    with pytest.raises(ValueError, match='other_keys'):
        ExternalNegativeSampler()(_keys(0), _keys(1, d=4))


def test_dual_default_511():
    keys, other = _keys(5), _keys(6)
    bank, mask = MODELS.build(dict(type='DualNegativeSampler'))(keys, other)
    # 256 internal entries (one masked per query) + 256 external
    assert bank.shape == (1, 512, 8) and mask.shape == (1, 256, 512)
    assert (_effective(bank, mask, 1, 256) == 511).all()
    assert torch.equal(bank[:, :256], keys) and torch.equal(bank[:, 256:],
                                                            other)
    assert not mask[:, :, 256:].any()
    assert _positive_in_negatives(keys, bank, mask) == 0


def test_dual_custom_counts_and_include_batch():
    keys, other = _keys(7, n=2, p=16), _keys(8, n=2, p=16)
    sampler = DualNegativeSampler(num_internal=6, num_external=4)
    bank, mask = sampler(keys, other, torch.Generator().manual_seed(2))
    assert (_effective(bank, mask, 2, 16) == 10).all()
    assert _positive_in_negatives(keys, bank, mask) == 0
    bank, mask = DualNegativeSampler(include_batch=True)(keys, other)
    assert (_effective(bank, mask, 2, 16) == 2 * 16 - 1 + 16).all()
    with pytest.raises(ValueError, match='other_keys'):
        DualNegativeSampler()(keys)


def test_banks_are_detached_and_loss_trains_query_only():
    query = _keys(9, p=16).requires_grad_(True)
    keys = _keys(10, p=16).requires_grad_(True)
    other = _keys(11, p=16).requires_grad_(True)
    bank, mask = DualNegativeSampler()(keys, other)
    assert not bank.requires_grad
    PatchNCELoss()(query, keys, bank, mask).backward()
    assert query.grad is not None and torch.isfinite(query.grad).all()
    assert keys.grad is None and other.grad is None


def test_counts_above_available_or_invalid():
    with pytest.raises(ValueError, match='num_negatives=16'):
        InternalNegativeSampler(16)(_keys(0, p=16))
    with pytest.raises(ValueError, match='num_negatives=17'):
        ExternalNegativeSampler(17)(_keys(0, p=16), _keys(1, p=16))
    with pytest.raises(ConfigError, match='num_negatives'):
        InternalNegativeSampler(-3)
    with pytest.raises(ConfigError, match='num_negatives'):
        ExternalNegativeSampler(2.5)


def test_patch_count_checked_at_construction():
    # 16 patches: at most 15 internal and 16 external negatives per query
    InternalNegativeSampler(15).check_patch_count(16)
    ExternalNegativeSampler(16).check_patch_count(16)
    DualNegativeSampler(15, 16).check_patch_count(16)
    with pytest.raises(ConfigError, match='num_negatives=16 but PatchSampler'
                       r'.num_patches=16 gives at most 15 internal'):
        InternalNegativeSampler(16).check_patch_count(16)
    with pytest.raises(ConfigError, match='num_negatives=17 .* only 16'):
        ExternalNegativeSampler(17).check_patch_count(16)
    with pytest.raises(ConfigError, match='InternalNegativeSampler'):
        DualNegativeSampler(num_internal=16).check_patch_count(16)
    with pytest.raises(ConfigError, match='ExternalNegativeSampler'):
        DualNegativeSampler(num_external=17).check_patch_count(16)
    # with the minibatch's keys the batch size decides: 2 x 16 - 1 = 31
    sampler = InternalNegativeSampler(20, include_batch=True)
    sampler.check_patch_count(16)
    bank, mask = sampler(_keys(0, n=2, p=16))
    assert (_effective(bank, mask, 2, 16) == 20).all()


def test_pipeline_trains_query_side_and_heads_only():
    # keys: stack A sampled at random; queries: stack B at the same places
    from lowvis.models.archs.projection_head import ProjectionHead
    from lowvis.models.contrastive import PatchSampler
    g = torch.Generator().manual_seed(12)
    feat_k = [torch.randn(1, 4, 8, 8, generator=g, requires_grad=True)]
    feat_q = [torch.randn(1, 4, 8, 8, generator=g, requires_grad=True)]
    feat_o = [torch.randn(1, 4, 8, 8, generator=g)]
    sampler, head = PatchSampler(16), ProjectionHead([4], out_channels=8)
    k_patches, ids = sampler(feat_k, generator=g)
    q_patches, _ = sampler(feat_q, patch_ids=ids)
    o_patches, _ = sampler(feat_o, generator=g)
    keys, queries, other = head(k_patches), head(q_patches), head(o_patches)
    bank, mask = DualNegativeSampler()(keys[0], other[0])
    assert (_effective(bank, mask, 1, 16) == 15 + 16).all()
    loss = PatchNCELoss()(queries[0], keys[0], bank, mask)
    loss.backward()
    assert feat_q[0].grad is not None and feat_q[0].grad.abs().sum() > 0
    assert feat_k[0].grad is None
    assert head.mlps[0][0].weight.grad.abs().sum() > 0


def test_samplers_declare_whether_they_need_the_other_sides_keys():
    from lowvis.models.contrastive import (BaseNegativeSampler,
                                           CompositeNegativeSampler)
    assert BaseNegativeSampler.needs_other_keys is False
    assert not InternalNegativeSampler().needs_other_keys
    assert ExternalNegativeSampler().needs_other_keys
    assert DualNegativeSampler().needs_other_keys
    internal_only = CompositeNegativeSampler(
        [dict(type='InternalNegativeSampler'),
         dict(type='InternalNegativeSampler', num_negatives=2)])
    assert not internal_only.needs_other_keys


def test_composite_builds_its_parts_from_the_registry_and_concatenates():
    from lowvis.models.contrastive import CompositeNegativeSampler
    keys = torch.nn.functional.normalize(torch.randn(2, 4, 3), dim=-1)
    other = torch.nn.functional.normalize(torch.randn(2, 5, 3), dim=-1)
    sampler = CompositeNegativeSampler(
        [dict(type='ExternalNegativeSampler'),
         dict(type='InternalNegativeSampler')])
    bank, mask = sampler(keys, other)
    # external first (5, nothing masked), then internal (4, positive masked)
    assert bank.shape == (2, 9, 3)
    assert torch.equal(bank[:, :5], other) and torch.equal(bank[:, 5:], keys)
    assert not mask[..., :5].any()
    assert torch.equal(mask[..., 5:], torch.eye(4, dtype=torch.bool)
                       .expand(2, 4, 4))
    with pytest.raises(ConfigError, match='at least one'):
        CompositeNegativeSampler([])
    with pytest.raises(ConfigError, match='not a BaseNegativeSampler'):
        CompositeNegativeSampler([dict(type='PatchNCELoss')])
