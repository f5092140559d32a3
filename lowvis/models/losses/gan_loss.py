"""Adversarial losses on discriminator logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

HINGE_G = ('relu', 'linear')


@MODELS.register_module()
class GANLoss(nn.Module):
    """Least-squares, vanilla (BCE with logits) or hinge GAN loss.

    Args:
        gan_mode (str): ``'lsgan'`` (mean of (x - t)^2 with t = 1 real,
            0 fake), ``'vanilla'`` (binary cross-entropy on logits) or
            ``'hinge'``.
        loss_weight (float): multiplies the generator-side loss only; the
            discriminator side (``is_disc=True``) is never weighted (models
            average its real and fake terms, as the reference code does).
        hinge_g (str): the generator side of the hinge loss. ``'relu'``:
            ``mean(relu(1 - x))``, the public DCLGAN / DCD-GAN code's (no
            gradient where D >= 1); ``'linear'``: ``-mean(x)``, the usual
            hinge generator loss (Lim & Ye 2017, SAGAN). Neither paper
            names one; the default is the reference code's.

    ``forward(pred, target_is_real, is_disc)``: ``pred`` are raw logits of
    any shape. For the hinge loss the discriminator side is
    ``mean(relu(1 - x))`` for real and ``mean(relu(1 + x))`` for fake.
    """

    def __init__(self, gan_mode='lsgan', loss_weight=1.0, hinge_g='relu'):
        super().__init__()
        if gan_mode not in ('lsgan', 'vanilla', 'hinge'):
            raise ConfigError("GANLoss: gan_mode must be 'lsgan', 'vanilla' "
                              f"or 'hinge', got {gan_mode!r}")
        if hinge_g not in HINGE_G:
            raise ConfigError(f'GANLoss: hinge_g must be one of {HINGE_G}, '
                              f'got {hinge_g!r}.')
        self.gan_mode = gan_mode
        self.loss_weight = loss_weight
        self.hinge_g = hinge_g

    def forward(self, pred, target_is_real, is_disc=False):
        if self.gan_mode == 'hinge':
            if is_disc:
                sign = -1.0 if target_is_real else 1.0
                loss = F.relu(1.0 + sign * pred).mean()
            elif self.hinge_g == 'relu':
                loss = F.relu(1.0 - pred).mean()
            else:
                loss = -pred.mean()
        else:
            target = torch.full_like(pred, 1.0 if target_is_real else 0.0)
            if self.gan_mode == 'lsgan':
                loss = F.mse_loss(pred, target)
            else:
                loss = F.binary_cross_entropy_with_logits(pred, target)
        return loss if is_disc else loss * self.loss_weight
