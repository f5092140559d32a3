import math

import pytest
import torch
import torch.nn.functional as F

from lowvis.models.contrastive import ContrastiveBranch, SidePatches
from lowvis.utils.errors import ConfigError

LAYERS = (4, 8)
CHANNELS = [3, 5]


def _feats(seed, n=2, size=(4, 2)):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, c, s, s, generator=g)
            for c, s in zip(CHANNELS, size)]


def _branch(negatives=dict(type='InternalNegativeSampler'), use_mlp=False,
            num_patches=4, weight=1.0):
    return ContrastiveBranch(
        LAYERS, dict(A2B=CHANNELS, B2A=CHANNELS),
        head=dict(type='ProjectionHead', out_channels=6, use_mlp=use_mlp),
        patch_sampler=dict(type='PatchSampler', num_patches=num_patches),
        negative_sampler=negatives,
        nce_loss=dict(type='PatchNCELoss', temperature=0.5,
                      loss_weight=weight))


def _vector(feat, n, flat_id):
    w = feat.shape[-1]
    return feat[n, :, flat_id // w, flat_id % w]


def test_heads_unshared_and_only_parameters():
    branch = _branch(use_mlp=True)
    assert set(branch.projectors) == {'A2B', 'B2A'}
    assert branch.projectors['A2B'].in_channels == CHANNELS
    names = {n.split('.')[0] for n, _ in branch.named_parameters()}
    assert names == {'projectors'}
    a2b = branch.projectors['A2B'].mlps[0][0].weight
    b2a = branch.projectors['B2A'].mlps[0][0].weight
    assert a2b.data_ptr() != b2a.data_ptr()


def test_query_and_key_patches_share_locations():
    branch = _branch()
    q_feats, k_feats = _feats(0), _feats(1)
    side = branch.sample(q_feats, k_feats, 'B2A', 'A2B',
                         torch.Generator().manual_seed(3))
    assert isinstance(side, SidePatches)
    # 4 of 16 locations in layer 0, all 4 of layer 1
    assert [tuple(q.shape) for q in side.query] == [(2, 4, 3), (2, 4, 5)]
    for layer in range(2):
        for n in range(2):
            for p, flat_id in enumerate(side.patch_ids[layer].tolist()):
                expect_q = F.normalize(_vector(q_feats[layer], n, flat_id),
                                       dim=0)
                expect_k = F.normalize(_vector(k_feats[layer], n, flat_id),
                                       dim=0)
                assert torch.allclose(side.query[layer][n, p], expect_q)
                assert torch.allclose(side.key[layer][n, p], expect_k)


def test_locations_follow_the_generator():
    branch = _branch()
    feats = _feats(0)

    def ids(seed):
        gen = torch.Generator().manual_seed(seed)
        return branch.sample(feats, feats, 'A2B', 'A2B', gen).patch_ids[0]

    assert torch.equal(ids(7), ids(7))
    gen = torch.Generator().manual_seed(7)
    first = branch.sample(feats, feats, 'A2B', 'A2B', gen).patch_ids[0]
    second = branch.sample(feats, feats, 'A2B', 'A2B', gen).patch_ids[0]
    assert not torch.equal(first, second)


def _nce_by_hand(query, key, negatives, temperature):
    """Mean over queries of -log softmax; negatives[n][p] a list of vectors."""
    losses = []
    for n in range(query.shape[0]):
        for p in range(query.shape[1]):
            pos = float(query[n, p] @ key[n, p]) / temperature
            neg = [float(query[n, p] @ v) / temperature
                   for v in negatives[n][p]]
            logsum = math.log(sum(math.exp(x) for x in [pos] + neg))
            losses.append(logsum - pos)
    return sum(losses) / len(losses)


def test_internal_loss_matches_hand_computation():
    branch = _branch(weight=2.0)
    gen = torch.Generator().manual_seed(0)
    side = branch.sample(_feats(0), _feats(1), 'B2A', 'A2B', gen)
    expected = 0.0
    for q, k in zip(side.query, side.key):
        negs = [[[k[n, j] for j in range(k.shape[1]) if j != p]
                 for p in range(k.shape[1])] for n in range(k.shape[0])]
        expected += _nce_by_hand(q, k, negs, 0.5)
    loss = branch.side_loss(side)
    assert loss.item() == pytest.approx(2.0 * expected / 2, rel=1e-5)


def test_dual_negatives_use_the_other_sides_keys():
    branch = _branch(dict(type='DualNegativeSampler'))
    assert branch.needs_other_side
    gen = torch.Generator().manual_seed(0)
    side1 = branch.sample(_feats(0), _feats(1), 'B2A', 'A2B', gen)
    side2 = branch.sample(_feats(2), _feats(3), 'A2B', 'B2A', gen)
    expected = 0.0
    for q, k, other in zip(side1.query, side1.key, side2.key):
        negs = [[[k[n, j] for j in range(k.shape[1]) if j != p]
                 + list(other[n]) for p in range(k.shape[1])]
                for n in range(k.shape[0])]
        expected += _nce_by_hand(q, k, negs, 0.5)
    loss = branch.side_loss(side1, other=side2)
    assert loss.item() == pytest.approx(expected / 2, rel=1e-5)
    with pytest.raises(ConfigError, match='other side'):
        branch.side_loss(side1)


def test_gradient_reaches_queries_and_query_head_only():
    branch = _branch(dict(type='DualNegativeSampler'), use_mlp=True)
    q_feats = [f.requires_grad_() for f in _feats(0)]
    k_feats = [f.requires_grad_() for f in _feats(1)]
    other_k = [f.requires_grad_() for f in _feats(3)]
    gen = torch.Generator().manual_seed(0)
    side1 = branch.sample(q_feats, k_feats, 'B2A', 'A2B', gen)
    side2 = branch.sample(_feats(2), other_k, 'A2B', 'B2A', gen)
    branch.side_loss(side1, side2).backward()
    assert all(f.grad is not None and f.grad.abs().sum() > 0
               for f in q_feats)
    # keys (own and external) are detached inside the loss
    assert all(f.grad is None for f in k_feats + other_k)
    head_grads = {name: any(p.grad is not None and p.grad.abs().sum() > 0
                            for p in head.parameters())
                  for name, head in branch.projectors.items()}
    assert head_grads == {'B2A': True, 'A2B': False}


def test_bad_configuration_messages():
    with pytest.raises(ConfigError, match="head 'A2B' has 1 feature"):
        ContrastiveBranch(LAYERS, dict(A2B=[3]))
    with pytest.raises(ConfigError, match='nce_layers is empty'):
        ContrastiveBranch([], dict(A2B=[3]))
    # 4 patches per layer leave 3 internal negatives: refused when built
    with pytest.raises(ConfigError, match='num_negatives=4 but PatchSampler'):
        _branch(dict(type='InternalNegativeSampler', num_negatives=4))
    _branch(dict(type='InternalNegativeSampler', num_negatives=3))
    branch = _branch()
    with pytest.raises(ValueError, match='differ in shape'):
        branch.sample(_feats(0), _feats(1, size=(2, 2)), 'A2B', 'A2B')
