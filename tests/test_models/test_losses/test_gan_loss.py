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
    # G, the reference code's form (default): mean(relu(1 - x)) * weight =
    # 0.875 * 3
    assert loss(PRED, True).item() == pytest.approx(2.625)
    # G, the linear form: -mean(x) * weight = -0.375 * 3
    linear = GANLoss('hinge', loss_weight=3.0, hinge_g='linear')
    assert linear(PRED, True).item() == pytest.approx(-1.125)


def test_hinge_generator_gives_no_gradient_where_d_is_at_least_one():
    # the public DCLGAN / DCD-GAN code: mean(relu(1 - D(G(x)))) has zero
    # gradient where D >= 1; -mean(D) pushes every logit by -1/n
    pred = torch.tensor([2.0, 1.0, 0.5, -1.0], requires_grad=True)
    GANLoss('hinge')(pred, True).backward()
    assert pred.grad.tolist() == [0.0, 0.0, -0.25, -0.25]
    pred.grad = None
    GANLoss('hinge', hinge_g='linear')(pred, True).backward()
    assert pred.grad.tolist() == [-0.25] * 4


def test_hinge_g_is_checked():
    from lowvis.utils.errors import ConfigError
    with pytest.raises(ConfigError, match='hinge_g'):
        GANLoss('hinge', hinge_g='square')


def test_unknown_mode():
    with pytest.raises(ValueError, match='gan_mode'):
        GANLoss('wgan')


def test_l1_loss_weight():
    loss = L1Loss(loss_weight=10.0)
    a, b = torch.zeros(1, 1, 2, 2), torch.tensor([[[[1.0, 2.0], [0, -1]]]])
    assert loss(a, b).item() == pytest.approx(10.0)
