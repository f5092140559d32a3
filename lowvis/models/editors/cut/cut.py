"""CUT and FastCUT (Park et al., ECCV 2020): one-sided PatchNCE translation.

One generator ``G_A2B`` (derains) and one discriminator ``D_B`` (judges clean
images). The contrast pairs the generator's own encoder features of the
translated image (queries) with its features of the input (keys) at the same
locations; the negatives are the other sampled locations of the same image
(internal negatives). One projection head, ``'A2B'`` (CUT's ``netF``),
embeds both queries and keys.

* CUT adds the NCE identity term: the same contrast between ``G_A2B(b)`` and
  ``b``.
* FastCUT is CUT with ``nce_idt=False``, NCE weight 10 and
  ``flip_equivariance=True`` (``configs/_base_/models/fastcut.py``): on a
  random half of the iterations the input is flipped left-right before
  translation and the query features are flipped back, so the encoder of
  the translated image must agree with the encoder of the unflipped input.

Generator calls per iteration (features come from the passes that run
anyway, ``layers=``):

1. the translation of ``[a; b]`` (``a`` alone without the identity term),
   whose tapped features are the keys;
2. the encoder of the outputs ``[fake_b; idt_b]``: the queries;
3. FastCUT, on flipped iterations only: the encoder of the unflipped input
   (the keys must not be flipped).

So CUT runs 2 calls on 2N images, FastCUT 2 or 3 on N, against 1
translation and 4 (CUT) or 2 (FastCUT) encoder passes in the reference
code. Batching ``a`` with ``b`` is exact with instance norm (per-image
statistics); with batch norm the statistics are shared, as in the reference.
"""
import torch

from lowvis.models.base_models import BaseUnpairedTranslationModel
from lowvis.models.contrastive import ContrastiveBranch
from lowvis.models.utils import merge_defaults
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['CUT']

#: signature default of ``contrastive``: what CUT changes in the branch's
#: defaults (256-d head, 256 patches, internal negatives, temperature 0.07)
CONTRASTIVE = dict(nce_loss=dict(loss_weight=0.5))


@MODELS.register_module()
class CUT(BaseUnpairedTranslationModel):
    """CUT / FastCUT: GAN + patch-wise contrast inside one generator.

    Images are ``[N, 3, H, W]`` RGB in [-1, 1]; H, W multiples of 4.

    Generator objective: ``loss_gan_A2B`` (weight from
    ``gan_loss.loss_weight``) + ``loss_nce`` (+ ``loss_nce_idt``), each NCE
    term the mean over ``nce_layers`` times ``nce_loss.loss_weight``. The
    reference averages the two NCE terms, ``lambda_NCE * (NCE + NCE_idt) /
    2``, so CUT's config gives each the weight 0.5 (lambda_NCE 1).

    Args:
        generators (dict): ``{'A2B': cfg}``, a generator with
            ``forward(x, layers=..., encode_only=...)`` and
            ``feature_channels(layers)``.
        discriminators (dict): ``{'B': cfg}``.
        nce_layers (Sequence[int]): generator layers contrasted (CUT:
            0, 4, 8, 12, 16: the padded input, both down-sampling convs and
            residual blocks 1 and 5).
        contrastive (dict): ``head``, ``patch_sampler``,
            ``negative_sampler`` and ``nce_loss`` configs of the
            :class:`ContrastiveBranch`, merged into :data:`CONTRASTIVE`
            (NCE weight 0.5) and then into the branch's defaults (256-d
            head, 256 patches, internal negatives, temperature 0.07): what
            is left out keeps CUT's value.
        nce_idt (bool): add the NCE identity term (translates ``b`` too).
        flip_equivariance (bool): FastCUT's random flip (see the module
            docstring); drawn from the model's ``rng``.
        **kwargs: see :class:`BaseUnpairedTranslationModel`.
    """

    def __init__(self, generators, discriminators, *args,
                 nce_layers=(0, 4, 8, 12, 16),
                 contrastive=CONTRASTIVE,
                 nce_idt=True, flip_equivariance=False, **kwargs):
        if set(generators) != {'A2B'} or set(discriminators) != {'B'}:
            raise ConfigError(
                "CUT is one-sided: model.generators must be {'A2B': ...} and "
                "model.discriminators {'B': ...}, got generators "
                f'{sorted(generators)} and discriminators '
                f'{sorted(discriminators)}.')
        super().__init__(generators, discriminators, *args, **kwargs)
        self.nce_layers = list(nce_layers)
        self.nce_idt = bool(nce_idt)
        self.flip_equivariance = bool(flip_equivariance)
        channels = self.generators['A2B'].feature_channels(self.nce_layers)
        self.heads = ContrastiveBranch(
            self.nce_layers, {'A2B': channels},
            **merge_defaults(CONTRASTIVE, contrastive or {}))

    def _draw_flip(self):
        if not self.flip_equivariance:
            return False
        return bool(torch.rand((), generator=self.rng) < 0.5)

    def forward_train(self, real_a, real_b):
        """The generator calls of one iteration (see the module docstring).

        Returns a dict with the images ``real_a``, ``real_b``, ``fake_b``
        (and ``idt_b``), [N, 3, H, W] in [-1, 1] (``fake_b`` is the
        translation of the flipped input on flipped FastCUT iterations), and
        the feature lists ``feat_a``, ``feat_fake_b`` (and ``feat_b``,
        ``feat_idt_b``), each ``[N, C_l, H_l, W_l]`` per NCE layer, aligned
        with the unflipped input.
        """
        n = real_a.shape[0]
        real = torch.cat([real_a, real_b]) if self.nce_idt else real_a
        flipped = self._draw_flip()
        layers = self.nce_layers
        fake, keys = self.generate('A2B', real.flip(3) if flipped else real,
                                   layers=layers)
        if flipped:
            keys = self.generate('A2B', real, layers=layers,
                                 encode_only=True)
        queries = self.generate('A2B', fake, layers=layers, encode_only=True)
        if flipped:
            queries = [q.flip(3) for q in queries]
        out = dict(real_a=real_a, real_b=real_b, fake_b=fake[:n],
                   feat_a=[k[:n] for k in keys],
                   feat_fake_b=[q[:n] for q in queries])
        if self.nce_idt:
            out.update(idt_b=fake[n:], feat_b=[k[n:] for k in keys],
                       feat_idt_b=[q[n:] for q in queries])
        return out

    def discriminator_losses(self, out):
        """``loss_disc_B``: D_B on real clean images and on ``fake_b``."""
        return dict(loss_disc_B=self.gan_d_loss('B', out['real_b'],
                                                out['fake_b']))

    def generator_losses(self, out):
        """``loss_gan_A2B``, ``loss_nce`` (and ``loss_nce_idt``)."""
        sides = [(out['feat_fake_b'], out['feat_a'], 'A2B', 'A2B')]
        if self.nce_idt:
            sides.append((out['feat_idt_b'], out['feat_b'], 'A2B', 'A2B'))
        nce = self.heads(sides, generator=self.rng)
        losses = dict(loss_gan_A2B=self.gan_g_loss('B', out['fake_b']),
                      loss_nce=nce[0])
        if self.nce_idt:
            losses['loss_nce_idt'] = nce[1]
        return losses
