"""DCD-GAN (Chen et al., CVPR 2022): unpaired deraining with dual contrast.

Bidirectional Translation Branch (BTB): ``G_A2B`` derains, ``G_B2A`` adds
rain, ``D_B`` judges clean images and ``D_A`` rainy ones; forward cycle
``a -> fake_b -> rec_a``, backward cycle ``b -> fake_a -> rec_b``.

Contrastive Guidance Branch (CGB), our reading of the paper (see
``docs/dcdgan.md``):

* side 1: queries = ``G_B2A``'s encoder features of ``fake_b``, taken during
  the reconstruction pass ``G_B2A(fake_b)``; keys = ``G_A2B``'s encoder
  features of ``a``, taken during ``G_A2B(a)``;
* side 2, the mirror: queries from the pass ``G_A2B(fake_a)``, keys from
  ``G_B2A(b)``;
* internal negatives of a side = its other keys; external negatives = the
  other side's keys of the same layer (detached).

Every feature comes from the translation passes themselves (``layers=``), so
an iteration runs the generators 4 times (6 with the identity loss), against
8 full and 4 encoder-only passes in the public code.
"""
import torch.nn as nn

from lowvis.models.base_models import BaseUnpairedTranslationModel
from lowvis.models.contrastive import ContrastiveBranch
from lowvis.models.utils import (ImagePool, build_optional, loss_enabled,
                                 merge_defaults)
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['DCDGAN']

_FREQ_PAIRS = ('cycle', 'translated_vs_real')

#: signature defaults (the paper's), merged with what a config gives. The
#: contrastive branch's own defaults give the rest: 256-d heads, 256
#: patches, temperature 0.07; dual negatives take all 255 internal and 256
#: external ones.
CONTRASTIVE = dict(negative_sampler=dict(type='DualNegativeSampler'),
                   nce_loss=dict(loss_weight=2.0))
LOSS_CYCLE = dict(type='ColorCycleLoss', loss_weight=1.0)
LOSS_FREQ = dict(type='FrequencyLoss', loss_weight=0.1)
LOSS_IDENTITY = dict(type='L1Loss', loss_weight=1.0)


@MODELS.register_module()
class DCDGAN(BaseUnpairedTranslationModel):
    """DCD-GAN: CycleGAN-style BTB plus a dual-negative contrastive branch.

    Images are ``[N, 3, H, W]`` RGB in [-1, 1]; H, W multiples of 4 (the
    generator's downsampling).

    Total generator objective (paper eq. 6), each term weighted by its own
    config's ``loss_weight`` (0 or None removes the term and everything only
    it needs: passes, heads):

    * ``loss_nce_side1`` + ``loss_nce_side2``: PatchNCE (eq. 2), each the
      mean over ``nce_layers`` (weight 2 each);
    * ``loss_color_cycle_A`` + ``_B``: ColorCycleLoss (eq. 3) of both
      cycles (``loss_cycle_A/B`` when ``loss_cycle`` is an ``L1Loss``);
    * ``loss_gan_A2B`` + ``loss_gan_B2A``: adversarial (eq. 4), weight from
      ``gan_loss.loss_weight``;
    * ``loss_freq_A`` + ``loss_freq_B``: FrequencyLoss (eq. 5), weight 0.1;
    * ``loss_idt_A`` + ``loss_idt_B``: optional identity L1 (public code).

    Args:
        generators (dict): ``{'A2B': cfg, 'B2A': cfg}``, generators with
            ``forward(x, layers=...)`` and ``feature_channels(layers)``.
        discriminators (dict): ``{'B': cfg, 'A': cfg}``.
        nce_layers (Sequence[int]): generator layers the CGB contrasts.
        contrastive (dict | None): ``head``, ``patch_sampler``,
            ``negative_sampler`` and ``nce_loss`` configs of the
            :class:`ContrastiveBranch` (the negative sampler selects
            internal / external / dual negatives), merged into
            :data:`CONTRASTIVE`; None turns the CGB off.
        loss_cycle (dict | None): ``ColorCycleLoss`` (paper) or ``L1Loss``
            (the "plain cycle" ablation), merged into :data:`LOSS_CYCLE`.
        loss_freq (dict | None): ``FrequencyLoss`` config (its ``norm``),
            merged into :data:`LOSS_FREQ`.
        freq_pairs (str): ``'cycle'`` compares each reconstruction with its
            input; ``'translated_vs_real'`` compares each translated image
            with the (unpaired) real image of its target domain, as the
            public code does.
        loss_identity (dict | None): L1 between ``G_A2B(b)`` and ``b`` and
            the mirror (+2 generator passes); off by default (the paper), a
            given config is merged into :data:`LOSS_IDENTITY`.
        backward_cycle (bool): False drops ``b -> fake_a -> rec_b``, its
            adversarial, cycle and frequency terms and CGB side 2.
        pool_size (int): image pool per discriminator (0: none, as the
            public code).
        **kwargs: see :class:`BaseUnpairedTranslationModel` (``gan_loss``
            holds ``gan_mode`` and the adversarial weight).
    """

    def __init__(self, generators, discriminators, *args,
                 nce_layers=(4, 8, 12, 16),
                 contrastive=CONTRASTIVE, loss_cycle=LOSS_CYCLE,
                 loss_freq=LOSS_FREQ, freq_pairs='cycle', loss_identity=None,
                 backward_cycle=True, pool_size=0, **kwargs):
        super().__init__(generators, discriminators, *args, **kwargs)
        if freq_pairs not in _FREQ_PAIRS:
            raise ConfigError(f'DCDGAN: model.freq_pairs must be one of '
                              f'{_FREQ_PAIRS}, got {freq_pairs!r}.')
        self.backward_cycle = bool(backward_cycle)
        self.freq_pairs = freq_pairs
        self.use_gan = self.gan_loss.loss_weight != 0
        self.loss_cycle = build_optional(merge_defaults(LOSS_CYCLE,
                                                        loss_cycle))
        self.loss_freq = build_optional(merge_defaults(LOSS_FREQ, loss_freq))
        self.loss_identity = build_optional(
            merge_defaults(LOSS_IDENTITY, loss_identity))
        self.nce_layers = list(nce_layers)
        self.heads = self._build_branch(merge_defaults(CONTRASTIVE,
                                                       contrastive))
        self.pools = nn.ModuleDict(
            {'A': ImagePool(pool_size), 'B': ImagePool(pool_size)})

    def _build_branch(self, cfg):
        nce_loss = merge_defaults(dict(type='PatchNCELoss'),
                                  cfg.get('nce_loss') or {}) if cfg else None
        if not loss_enabled(nce_loss):
            return None
        channels = {name: self.generators[name].feature_channels(
            self.nce_layers) for name in ('A2B', 'B2A')}
        branch = ContrastiveBranch(self.nce_layers, channels, **cfg)
        if branch.needs_other_side and not self.backward_cycle:
            raise ConfigError(
                'DCDGAN: backward_cycle=False leaves no second CGB side, '
                'but model.contrastive.negative_sampler '
                f'({type(branch.negative_sampler).__name__}) needs its keys '
                "(external negatives); use dict(type='InternalNegativeSampler"
                "') or keep the backward cycle.")
        return branch

    @property
    def _cycle_name(self):
        return 'color_cycle' if type(self.loss_cycle).__name__ == \
            'ColorCycleLoss' else 'cycle'

    # ------------------------------------------------------------ passes
    def _uses_reconstruction(self):
        """True when a loss reads ``rec_a`` / ``rec_b`` themselves."""
        return self.loss_cycle is not None or (
            self.loss_freq is not None and self.freq_pairs == 'cycle')

    def _translate(self, direction, image):
        """One generator pass; returns ``(output, features or None)``."""
        if self.heads is None:
            return self.generate(direction, image), None
        return self.generate(direction, image, layers=self.nce_layers)

    def forward_train(self, real_a, real_b):
        """All generator passes of one iteration (4, or 6 with identity).

        A reconstruction that no loss reads (cycle weight 0 and no
        frequency loss on the cycle pairs, as in the public code's
        objective) runs only the encoder, for the contrastive queries.

        Returns a dict of images ``real_a``, ``fake_b``, ``rec_a`` (and
        ``fake_a``, ``rec_b`` with the backward cycle, ``idt_a``, ``idt_b``
        with the identity loss), each [N, 3, H, W] in [-1, 1], and the
        tapped features ``feat_<image>`` (lists of [N, C_l, H_l, W_l]) when
        the contrastive term is on.
        """
        out = dict(real_a=real_a, real_b=real_b)
        for src, dst, direction in self._cycles():
            fake, out[f'feat_{src}'] = self._translate(direction,
                                                       out[f'real_{src}'])
            out[f'fake_{dst}'] = fake
            back = dst.upper() + '2' + src.upper()
            if self._uses_reconstruction():
                out[f'rec_{src}'], out[f'feat_fake_{dst}'] = \
                    self._translate(back, fake)
            elif self.heads is not None:  # the queries only: encoder pass
                out[f'feat_fake_{dst}'] = self.generate(
                    back, fake, layers=self.nce_layers, encode_only=True)
        if self.loss_identity is not None:
            out.update(self.identity_outputs(real_a, real_b))
        return out

    # ------------------------------------------------------------- losses
    def discriminator_losses(self, out):
        """``loss_disc_B`` (and ``loss_disc_A`` with the backward cycle)."""
        fake_b = self.pools['B'].query(out['fake_b'].detach(), self.rng)
        losses = dict(loss_disc_B=self.gan_d_loss('B', out['real_b'], fake_b))
        if self.backward_cycle:
            fake_a = self.pools['A'].query(out['fake_a'].detach(), self.rng)
            losses['loss_disc_A'] = self.gan_d_loss('A', out['real_a'],
                                                    fake_a)
        return losses

    def _cycles(self):
        """``(source, target, direction)`` of each cycle that runs."""
        cycles = [('a', 'b', 'A2B')]
        if self.backward_cycle:
            cycles.append(('b', 'a', 'B2A'))
        return cycles

    def generator_losses(self, out):
        losses = {}
        if self.heads is not None:
            losses.update(self.contrastive_losses(out))
        for src, dst, direction in self._cycles():
            real_src, fake_dst = out[f'real_{src}'], out[f'fake_{dst}']
            if self.use_gan:
                losses[f'loss_gan_{direction}'] = self.gan_g_loss(
                    dst.upper(), fake_dst)
            if self.loss_cycle is not None:
                losses[f'loss_{self._cycle_name}_{src.upper()}'] = \
                    self.loss_cycle(out[f'rec_{src}'], real_src)
            if self.loss_freq is None:
                continue
            if self.freq_pairs == 'cycle':
                losses[f'loss_freq_{src.upper()}'] = self.loss_freq(
                    out[f'rec_{src}'], real_src)
            else:  # the translated image vs an unpaired real one
                losses[f'loss_freq_{dst.upper()}'] = self.loss_freq(
                    fake_dst, out[f'real_{dst}'])
        if self.loss_identity is not None:
            losses.update(self.identity_losses(self.loss_identity, out))
        return losses

    def contrastive_losses(self, out):
        """``loss_nce_side1`` (and ``loss_nce_side2``).

        The branch samples both sides first, so each side can take the
        other's keys as (external) negatives; it is called through
        ``__call__`` so that it still works when wrapped for DDP.
        """
        sides = [(out['feat_fake_b'], out['feat_a'], 'B2A', 'A2B')]
        if self.backward_cycle:
            sides.append((out['feat_fake_a'], out['feat_b'], 'A2B', 'B2A'))
        nce = self.heads(sides, generator=self.rng)
        return {f'loss_nce_side{k + 1}': loss for k, loss in enumerate(nce)}
