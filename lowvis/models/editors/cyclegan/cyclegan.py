"""CycleGAN (Zhu et al., ICCV 2017) on the base unpaired translation model."""
import torch.nn as nn

from lowvis.models.base_models import BaseUnpairedTranslationModel
from lowvis.models.utils import ImagePool, build_optional, merge_defaults
from lowvis.registry import MODELS

#: signature defaults (reference values), merged with what a config gives
LOSS_CYCLE = dict(type='L1Loss', loss_weight=10.0)
LOSS_IDENTITY = dict(type='L1Loss', loss_weight=5.0)


@MODELS.register_module()
class CycleGAN(BaseUnpairedTranslationModel):
    """Two generators, two discriminators, cycle and identity L1 losses.

    Reference settings: lsgan, cycle weight 10 per direction, identity
    weight 0.5 x 10 = 5, image pool of 50, normal init 0.02.

    Args:
        loss_cycle (dict): L1 between an image and its reconstruction
            (weight 10); merged into the default.
        loss_identity (dict | None): L1 between ``G_A2B(b)`` and ``b`` (and
            the mirror), merged into the default; ``None`` or weight 0 skips
            those two generator passes.
        pool_size (int): image pool per discriminator.
        **kwargs: see :class:`BaseUnpairedTranslationModel`.
    """

    def __init__(self, *args, loss_cycle=LOSS_CYCLE,
                 loss_identity=LOSS_IDENTITY, pool_size=50, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_cycle = MODELS.build(merge_defaults(LOSS_CYCLE, loss_cycle))
        self.loss_identity = build_optional(
            merge_defaults(LOSS_IDENTITY, loss_identity))
        self.pools = DomainPools(pool_size)

    def forward_train(self, real_a, real_b):
        out = dict(real_a=real_a, real_b=real_b)
        out['fake_b'] = self.generate('A2B', real_a)
        out['rec_a'] = self.generate('B2A', out['fake_b'])
        out['fake_a'] = self.generate('B2A', real_b)
        out['rec_b'] = self.generate('A2B', out['fake_a'])
        if self.loss_identity is not None:
            out.update(self.identity_outputs(real_a, real_b))
        return out

    def discriminator_losses(self, out):
        fake_b = self.pools.B.query(out['fake_b'].detach(), self.rng)
        fake_a = self.pools.A.query(out['fake_a'].detach(), self.rng)
        return dict(loss_disc_B=self.gan_d_loss('B', out['real_b'], fake_b),
                    loss_disc_A=self.gan_d_loss('A', out['real_a'], fake_a))

    def generator_losses(self, out):
        losses = dict(
            loss_gan_A2B=self.gan_g_loss('B', out['fake_b']),
            loss_gan_B2A=self.gan_g_loss('A', out['fake_a']),
            loss_cycle_A=self.loss_cycle(out['rec_a'], out['real_a']),
            loss_cycle_B=self.loss_cycle(out['rec_b'], out['real_b']))
        if self.loss_identity is not None:
            losses.update(self.identity_losses(self.loss_identity, out))
        return losses


class DomainPools(nn.Module):
    """One :class:`ImagePool` per judged domain (``A`` and ``B``)."""

    def __init__(self, pool_size):
        super().__init__()
        self.A = ImagePool(pool_size)
        self.B = ImagePool(pool_size)
