import pytest
import torch

from lowvis.models.losses.color_cycle_loss import ColorCycleLoss
from lowvis.registry import MODELS


def test_hand_computed():
    # N=1, 1x2 pixels. Channel differences |recon - real|:
    #   R: |1-0|, |3-0| -> mean 2.0
    #   G: |0-0|, |0-1| -> mean 0.5
    #   B: |0.5-0|, |0-0.5| -> mean 0.5
    # sum = 3.0
    recon = torch.tensor([[[[1.0, 3.0]], [[0.0, 0.0]], [[0.5, 0.0]]]])
    real = torch.tensor([[[[0.0, 0.0]], [[0.0, 1.0]], [[0.0, 0.5]]]])
    assert ColorCycleLoss()(recon, real).item() == pytest.approx(3.0)
    assert ColorCycleLoss(loss_weight=0.5)(recon, real).item() == \
        pytest.approx(1.5)


def test_equals_three_times_l1_mean():
    g = torch.Generator().manual_seed(1)
    recon = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1
    real = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1
    l1 = torch.nn.functional.l1_loss(recon, real)
    assert ColorCycleLoss()(recon, real).item() == pytest.approx(
        3 * l1.item(), rel=1e-6)


def test_gradient_and_registry():
    recon = torch.zeros(1, 3, 4, 4, requires_grad=True)
    real = torch.ones(1, 3, 4, 4)
    loss = MODELS.build(dict(type='ColorCycleLoss'))(recon, real)
    loss.backward()
    # d/dx of mean |x - 1| over 16 pixels at x=0 is -1/16 per channel
    assert torch.allclose(recon.grad, torch.full_like(recon, -1 / 16))


def test_shape_mismatch():
    with pytest.raises(ValueError, match='ColorCycleLoss'):
        ColorCycleLoss()(torch.zeros(1, 3, 4, 4), torch.zeros(1, 3, 4, 5))
