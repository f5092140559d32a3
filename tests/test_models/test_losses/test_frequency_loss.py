import math

import pytest
import torch

from lowvis.models.losses.frequency_loss import FrequencyLoss
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

# 2x2 image [[1, 2], [3, 4]] against zeros. Its unscaled 2-D DFT (rows then
# columns) is all real:
#   F[0,0] = 1+2+3+4 = 10   F[0,1] = 1-2+3-4 = -2
#   F[1,0] = 1+2-3-4 = -4   F[1,1] = 1-2-3+4 = 0
# rfft2 keeps W//2 + 1 = 2 columns, i.e. all four, plus four zero imaginary
# parts: 8 reals.
X = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
Y = torch.zeros(1, 1, 2, 2)


def test_l1_ortho_hand_computed():
    # ortho scales by 1/sqrt(4) = 1/2: |5| + |-1| + |-2| + |0| = 8 over the
    # 8 reals -> 1.0
    loss = FrequencyLoss()
    assert loss.fft_norm == 'ortho'
    assert loss(X, Y).item() == pytest.approx(1.0)
    assert FrequencyLoss(loss_weight=0.1)(X, Y).item() == pytest.approx(0.1)


def test_l2_sum_reproduces_reference_formula():
    # unscaled: 10^2 + 2^2 + 4^2 + 0^2 = 120, summed per image, batch mean
    loss = FrequencyLoss(norm='l2_sum')
    assert loss.fft_norm == 'backward'
    assert loss(X, Y).item() == pytest.approx(120.0)
    # a second image with zero difference halves the batch mean
    assert loss(torch.cat([X, Y]), torch.cat([Y, Y])).item() == \
        pytest.approx(60.0)


def test_l2_sum_imaginary_parts():
    # 1x3 image [1, 2, 3]: rfft keeps 2 bins,
    #   F0 = 6, F1 = 1 + 2 w + 3 w^2 with w = exp(-2 pi i / 3)
    #      = -1.5 + i sqrt(3)/2
    # squared parts: 36 + 2.25 + 0.75 = 39
    x = torch.tensor([[[[1.0, 2.0, 3.0]]]])
    spec = FrequencyLoss(norm='l2_sum').spectrum(x)
    assert spec.shape == (1, 1, 1, 2, 2)
    assert torch.allclose(spec[0, 0, 0, 1],
                          torch.tensor([-1.5, math.sqrt(3) / 2]), atol=1e-6)
    loss = FrequencyLoss(norm='l2_sum')(x, torch.zeros_like(x))
    assert loss.item() == pytest.approx(39.0, rel=1e-6)


def test_identical_images_zero_and_gradient():
    g = torch.Generator().manual_seed(2)
    x = torch.rand(2, 3, 8, 6, generator=g)
    assert FrequencyLoss()(x, x.clone()).item() == pytest.approx(0.0)
    pred = x.clone().requires_grad_(True)
    loss = MODELS.build(dict(type='FrequencyLoss'))(pred, x + 0.5)
    loss.backward()
    assert pred.grad is not None and torch.isfinite(pred.grad).all()
    assert pred.grad.abs().sum() > 0


def test_bad_arguments():
    with pytest.raises(ConfigError, match='norm'):
        FrequencyLoss(norm='l3')
    with pytest.raises(ConfigError, match='fft_norm'):
        FrequencyLoss(fft_norm='none')
    with pytest.raises(ValueError, match='FrequencyLoss'):
        FrequencyLoss()(torch.zeros(1, 3, 4, 4), torch.zeros(1, 1, 4, 4))
