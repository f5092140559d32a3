import math

import pytest
import torch

from lowvis.models.losses import GANLoss, L1Loss

PRED = torch.tensor([[0.5, -1.0], [2.0, 0.0]])


def test_lsgan_hand_values():
    loss = GANLoss('lsgan', loss_weight=2.0)
    # real: ((0.5-1)^2 + (-2)^2 + 1^2 + (-1)^2) / 4 = 6.25 / 4
    assert loss(PRED, True, is_disc=True).item() == pytest.approx(6.25 / 4)
    # fake: (0.25 + 1 + 4 + 0) / 4; generator side is weighted
    assert loss(PRED, False, is_disc=True).item() == pytest.approx(5.25 / 4)
    assert loss(PRED, True).item() == pytest.approx(2 * 6.25 / 4)


def test_vanilla_hand_values():
    loss = GANLoss('vanilla')
    expected = sum(math.log1p(math.exp(-v)) for v in PRED.flatten().tolist())
    assert loss(PRED, True).item() == pytest.approx(expected / 4, rel=1e-6)


def test_hinge_hand_values():
    loss = GANLoss('hinge', loss_weight=3.0)
    # D real: relu(1 - x) = [0.5, 2, 0, 1] -> 0.875
    assert loss(PRED, True, is_disc=True).item() == pytest.approx(0.875)
    # D fake: relu(1 + x) = [1.5, 0, 3, 1] -> 1.375
    assert loss(PRED, False, is_disc=True).item() == pytest.approx(1.375)
    # G: -mean(x) * weight = -0.375 * 3
    assert loss(PRED, True).item() == pytest.approx(-1.125)


def test_unknown_mode():
    with pytest.raises(ValueError, match='gan_mode'):
        GANLoss('wgan')


def test_l1_loss_weight():
    loss = L1Loss(loss_weight=10.0)
    a, b = torch.zeros(1, 1, 2, 2), torch.tensor([[[[1.0, 2.0], [0, -1]]]])
    assert loss(a, b).item() == pytest.approx(10.0)
