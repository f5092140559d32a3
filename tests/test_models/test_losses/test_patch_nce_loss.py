import math

import pytest
import torch

from lowvis.models.losses.patch_nce_loss import PatchNCELoss
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError


def _tiny():
    """N=1, P=2, D=2 unit vectors."""
    query = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    positive = torch.tensor([[[0.6, 0.8], [0.0, 1.0]]])
    return query, positive


def test_registered():
    assert MODELS.get('PatchNCELoss') is PatchNCELoss
    loss = MODELS.build(dict(type='PatchNCELoss', temperature=0.5))
    assert loss.temperature == 0.5


def test_hand_computed_internal_bank():
    # bank = the positives themselves, each query's own positive masked.
    # query 0: q.k+ = 0.6; negatives: entry 1 -> q.[0, 1] = 0
    #   loss0 = -0.6 + log(e^0.6 + e^0) = log(1 + e^-0.6) = 0.4374879...
    # query 1: q.k+ = 1.0; negatives: entry 0 -> q.[0.6, 0.8] = 0.8
    #   loss1 = -1 + log(e^1 + e^0.8) = log(1 + e^-0.2) = 0.5981389...
    # mean = 0.5178134...
    query, positive = _tiny()
    mask = torch.eye(2, dtype=torch.bool)[None]
    loss = PatchNCELoss(temperature=1.0)(query, positive, positive, mask)
    assert loss.item() == pytest.approx(0.5178134, abs=1e-6)
    expected = (math.log(1 + math.exp(-0.6)) +
                math.log(1 + math.exp(-0.2))) / 2
    assert loss.item() == pytest.approx(expected, abs=1e-6)


def test_hand_computed_temperature_weight_and_reductions():
    # T = 0.5: logits double. query 0: log(1 + e^{-1.2}), query 1:
    # log(1 + e^{-0.4}); loss_weight 2 scales the result.
    query, positive = _tiny()
    mask = torch.eye(2, dtype=torch.bool)[None]
    l0 = math.log(1 + math.exp(-1.2))  # 0.2633204...
    l1 = math.log(1 + math.exp(-0.4))  # 0.5130153...
    crit = PatchNCELoss(temperature=0.5, loss_weight=2.0)
    assert crit(query, positive, positive, mask).item() == pytest.approx(
        2 * (l0 + l1) / 2, abs=1e-6)
    per_query = PatchNCELoss(temperature=0.5, reduction='none')(
        query, positive, positive, mask)
    assert per_query.shape == (1, 2)
    assert torch.allclose(per_query, torch.tensor([[l0, l1]]), atol=1e-6)
    total = PatchNCELoss(temperature=0.5, reduction='sum')(
        query, positive, positive, mask)
    assert total.item() == pytest.approx(l0 + l1, abs=1e-6)


def test_no_mask_keeps_every_bank_entry():
    # without a mask the positive also sits in the bank: query 0 logits
    # [0.6, 0.6, 0] -> loss0 = log(2 + e^-0.6); query 1 logits [1, 0.8, 1]
    # -> loss1 = log(2 + e^-0.2)
    query, positive = _tiny()
    loss = PatchNCELoss(temperature=1.0)(query, positive, positive)
    expected = (math.log(2 + math.exp(-0.6)) +
                math.log(2 + math.exp(-0.2))) / 2
    assert loss.item() == pytest.approx(expected, abs=1e-6)


def test_masked_entries_equal_removed_entries():
    g = torch.Generator().manual_seed(0)
    query = torch.nn.functional.normalize(torch.randn(2, 3, 4, generator=g),
                                          dim=-1)
    positive = torch.nn.functional.normalize(
        torch.randn(2, 3, 4, generator=g), dim=-1)
    bank = torch.nn.functional.normalize(torch.randn(2, 5, 4, generator=g),
                                         dim=-1)
    mask = torch.zeros(2, 3, 5, dtype=torch.bool)
    mask[:, :, 1] = True
    mask[:, :, 3] = True
    crit = PatchNCELoss(reduction='none')
    masked = crit(query, positive, bank, mask)
    removed = crit(query, positive, bank[:, [0, 2, 4]])
    assert torch.allclose(masked, removed, atol=1e-5)


def test_gradient_reaches_query_only():
    query, positive = _tiny()
    query.requires_grad_(True)
    positive.requires_grad_(True)
    bank = positive.clone().detach().requires_grad_(True)
    mask = torch.eye(2, dtype=torch.bool)[None]
    PatchNCELoss()(query, positive, bank, mask).backward()
    assert query.grad is not None and query.grad.abs().sum() > 0
    assert torch.isfinite(query.grad).all()
    assert positive.grad is None
    assert bank.grad is None


def test_empty_bank_gives_zero_loss():
    query, positive = _tiny()
    loss = PatchNCELoss()(query, positive, torch.zeros(1, 0, 2))
    assert loss.item() == pytest.approx(0.0, abs=1e-7)


def test_bad_arguments():
    query, positive = _tiny()
    with pytest.raises(ValueError, match='mask must be a bool tensor'):
        PatchNCELoss()(query, positive, positive,
                       torch.zeros(1, 2, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match='bank must be'):
        PatchNCELoss()(query, positive, torch.zeros(1, 2, 3))
    with pytest.raises(ConfigError, match='temperature'):
        PatchNCELoss(temperature=0)
    with pytest.raises(ConfigError, match='reduction'):
        PatchNCELoss(reduction='avg')
