"""DCLGAN (Han et al., CVPRW 2021): two generators, two unshared heads.

``G_A2B`` derains, ``G_B2A`` adds rain; ``D_B`` judges clean images, ``D_A``
rainy ones. There is no cycle: each translation is tied to its input by
PatchNCE across the two encoders, as in the public code (heads keyed by the
generator whose encoder they embed: its ``F1`` is ``'A2B'``, ``F2``
``'B2A'``):

* side 1: queries = ``G_B2A``'s encoder features of ``fake_b`` (head
  ``B2A``), keys = ``G_A2B``'s features of ``a`` (head ``A2B``);
* side 2, the mirror: queries = ``G_A2B``'s encoder features of ``fake_a``,
  keys = ``G_B2A``'s features of ``b``;

with internal negatives from the whole minibatch (every other sampled patch
of every image, as the reference's PatchNCELoss, which flattens the batch),
plus an L1 identity term (``G_A2B(b)`` vs ``b`` and the mirror).

Generator calls per iteration: ``G_A2B([a; b])`` and ``G_B2A([b; a])`` give
the translations and the identity outputs, their tapped features of ``a`` and
``b`` are the keys (2 calls on 2N images; on N without the identity term);
the encoders of ``fake_b`` and ``fake_a`` give the queries (2 encoder-only
calls on N). The reference code runs 4 translations and 4 encoder passes.
Batching is exact with instance norm (per-image statistics).

Weights: the reference sums ``0.5 * (GAN_A + GAN_B) + 0.5 * lambda_NCE *
(NCE_1 + NCE_2) + 0.5 * lambda_IDT * (idt_A + idt_B)`` with lambdas 1, 2, 1.
Here every term carries its effective weight: adversarial 0.5, NCE 1.0 and
identity 0.5 per direction (the defaults and ``configs/_base_/models/
dclgan.py``).
"""
import torch

from lowvis.models.base_models import BaseUnpairedTranslationModel
from lowvis.models.contrastive import ContrastiveBranch
from lowvis.models.utils import build_optional, merge_defaults
from lowvis.registry import MODELS

__all__ = ['DCLGAN']

#: signature defaults (reference values), merged with what a config gives.
#: The branch's own defaults give the rest (256-d heads, 256 patches,
#: temperature 0.07, weight 1); the reference's PatchNCELoss flattens the
#: minibatch, so its negatives are every other patch of every image.
GAN_LOSS = dict(type='GANLoss', gan_mode='hinge', loss_weight=0.5)
CONTRASTIVE = dict(negative_sampler=dict(type='InternalNegativeSampler',
                                         include_batch=True))
LOSS_IDENTITY = dict(type='L1Loss', loss_weight=0.5)

#: (source domain, target domain) of the two translations
_DIRECTIONS = (('a', 'b'), ('b', 'a'))


def _name(src, dst):
    """Generator key of the translation ``src -> dst`` (``'A2B'``...)."""
    return f'{src.upper()}2{dst.upper()}'


@MODELS.register_module()
class DCLGAN(BaseUnpairedTranslationModel):
    """DCLGAN: dual contrastive learning between two generators' encoders.

    Images are ``[N, 3, H, W]`` RGB in [-1, 1]; H, W multiples of 4.

    Generator objective: ``loss_gan_A2B`` + ``loss_gan_B2A`` (weight from
    ``gan_loss.loss_weight``), ``loss_nce_side1`` + ``loss_nce_side2``
    (each the mean over ``nce_layers`` times ``nce_loss.loss_weight``) and
    ``loss_idt_A`` + ``loss_idt_B``.

    Args:
        generators (dict): ``{'A2B': cfg, 'B2A': cfg}``, generators with
            ``forward(x, layers=..., encode_only=...)`` and
            ``feature_channels(layers)``.
        discriminators (dict): ``{'B': cfg, 'A': cfg}``.
        nce_layers (Sequence[int]): generator layers contrasted.
        contrastive (dict | None): ``head``, ``patch_sampler``,
            ``negative_sampler`` and ``nce_loss`` configs of the
            :class:`ContrastiveBranch` (one unshared head per generator),
            merged into :data:`CONTRASTIVE` (negatives from the whole
            minibatch) and the branch's defaults (256-d heads, 256 patches,
            temperature 0.07, weight 1.0).
        loss_identity (dict | None): L1 identity config, merged into
            :data:`LOSS_IDENTITY`; None or weight 0 drops it and the
            identity half of the translation batches.
        **kwargs: see :class:`BaseUnpairedTranslationModel`; the default
            ``gan_loss`` is the reference's hinge loss at weight 0.5.
    """

    def __init__(self, generators, discriminators, *args,
                 gan_loss=GAN_LOSS,
                 nce_layers=(4, 8, 12, 16),
                 contrastive=CONTRASTIVE,
                 loss_identity=LOSS_IDENTITY,
                 **kwargs):
        super().__init__(generators, discriminators, *args,
                         gan_loss=merge_defaults(GAN_LOSS, gan_loss),
                         **kwargs)
        self.nce_layers = list(nce_layers)
        self.loss_identity = build_optional(
            merge_defaults(LOSS_IDENTITY, loss_identity))
        channels = {name: self.generators[name].feature_channels(
            self.nce_layers) for name in ('A2B', 'B2A')}
        self.heads = ContrastiveBranch(
            self.nce_layers, channels,
            **merge_defaults(CONTRASTIVE, contrastive or {}))

    def forward_train(self, real_a, real_b):
        """The generator calls of one iteration (see the module docstring).

        Returns a dict with the images ``real_a``, ``real_b``, ``fake_b``,
        ``fake_a`` (and ``idt_b = G_A2B(b)``, ``idt_a = G_B2A(a)``),
        [N, 3, H, W] in [-1, 1], and the feature lists ``feat_a``,
        ``feat_b`` (keys) and ``feat_fake_b``, ``feat_fake_a`` (queries),
        each ``[N, C_l, H_l, W_l]`` per NCE layer.
        """
        out = dict(real_a=real_a, real_b=real_b)
        n = real_a.shape[0]
        for src, dst in _DIRECTIONS:
            batch = out[f'real_{src}']
            if self.loss_identity is not None:
                batch = torch.cat([batch, out[f'real_{dst}']])
            translated, keys = self.generate(_name(src, dst), batch,
                                             layers=self.nce_layers)
            fake = translated[:n]
            out[f'fake_{dst}'] = fake
            out[f'feat_{src}'] = [k[:n] for k in keys]
            if self.loss_identity is not None:
                out[f'idt_{dst}'] = translated[n:]
            out[f'feat_fake_{dst}'] = self.generate(
                _name(dst, src), fake, layers=self.nce_layers,
                encode_only=True)
        return out

    def discriminator_losses(self, out):
        """``loss_disc_B`` and ``loss_disc_A`` (no image pool, as the
        reference)."""
        return {f'loss_disc_{dst.upper()}': self.gan_d_loss(
            dst.upper(), out[f'real_{dst}'], out[f'fake_{dst}'])
            for _, dst in _DIRECTIONS}

    def generator_losses(self, out):
        """Adversarial, both NCE sides and (optionally) identity terms."""
        losses = {f'loss_gan_{_name(src, dst)}': self.gan_g_loss(
            dst.upper(), out[f'fake_{dst}']) for src, dst in _DIRECTIONS}
        sides = [(out[f'feat_fake_{dst}'], out[f'feat_{src}'],
                  _name(dst, src), _name(src, dst))
                 for src, dst in _DIRECTIONS]
        nce = self.heads(sides, generator=self.rng)
        losses.update(loss_nce_side1=nce[0], loss_nce_side2=nce[1])
        if self.loss_identity is not None:
            for _, dst in _DIRECTIONS:
                losses[f'loss_idt_{dst.upper()}'] = self.loss_identity(
                    out[f'idt_{dst}'], out[f'real_{dst}'])
        return losses
