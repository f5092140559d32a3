"""The contrastive machinery shared by CUT, DCLGAN and DCD-GAN.

A *side* of the contrast pairs two feature stacks of the same spatial sizes:
the **query** stack (features of a translated image, they carry gradient) and
the **key** stack (features of the image it came from). Patches at the same
locations of the two stacks are positives; the negatives come from a
negative sampler (other keys of the same stack, the other side's keys, or
both).

Computing a loss is split in two steps so that a side's negatives may include
the *other* side's keys of the same layer (DCD-GAN's external negatives):

1. :meth:`ContrastiveBranch.sample` draws the patch locations on the key
   stack, takes the query patches at the same locations and projects both
   through their heads -> :class:`SidePatches`;
2. :meth:`ContrastiveBranch.side_loss` builds each layer's negatives from
   this side's keys (and the other side's keys when given) and returns the
   mean over layers of the PatchNCE loss.

How methods use it (heads are keyed by the generator whose encoder produced
the features, as in DCLGAN / DCD-GAN's public code, where ``F1`` projects
``G_A``'s features and ``F2`` ``G_B``'s):

* CUT: one head ``'A2B'``, one side (queries ``G_A2B``'s features of the
  fake, keys its features of the input), internal negatives.
* DCLGAN: heads ``'A2B'`` and ``'B2A'``; two independent sides, internal
  negatives from the whole minibatch (as the reference).
* DCD-GAN: as DCLGAN, with dual negatives: sample both sides first, then
  ``side_loss(side1, other=side2)`` and ``side_loss(side2, other=side1)``.

:meth:`ContrastiveBranch.losses` does both steps for one or two sides.
"""
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import torch
from torch import nn

from lowvis.models.utils import merge_defaults
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from .base_negative_sampler import BaseNegativeSampler

__all__ = ['ContrastiveBranch', 'SidePatches']


class SidePatches(NamedTuple):
    """Projected patches of one side, one entry per NCE layer.

    Attributes:
        query: L tensors [N, P_l, D], unit-norm query embeddings (gradient
            flows back to the query features and the query head).
        key: L tensors [N, P_l, D], unit-norm key embeddings at the same
            locations (``key[l][n, p]`` is the positive of ``query[l][n, p]``).
        patch_ids: L LongTensors [P_l], flat locations ``y * W_l + x``.
    """
    query: List[torch.Tensor]
    key: List[torch.Tensor]
    patch_ids: List[torch.Tensor]


@MODELS.register_module()
class ContrastiveBranch(nn.Module):
    """Projection heads + patch sampler + negative sampler + PatchNCE loss.

    Its only parameters are the projection heads (``self.projectors``), so a
    model that stores the branch as its ``heads`` submodule gives the heads
    their own optimizer entry.

    Args:
        nce_layers (Sequence[int]): generator layer indices the features are
            tapped from (see ``ResnetGenerator``); kept for the model, which
            passes them to the generator as ``layers=``.
        feature_channels (dict[str, Sequence[int]]): for each head name
            (e.g. ``'A2B'``, ``'B2A'``), the channels of the tapped features,
            one per NCE layer (``generator.feature_channels(nce_layers)``).
            One unshared :class:`ProjectionHead` is built per name.
        head (dict): ProjectionHead config without ``in_channels``.
        patch_sampler (dict): PatchSampler config (``num_patches``).
        negative_sampler (dict): config of a :class:`BaseNegativeSampler`
            (Internal/External/Dual/CompositeNegativeSampler or a plugin's).
        nce_loss (dict): PatchNCELoss config (``temperature``,
            ``loss_weight``).

    Each config is merged into its default (``merge_defaults``): the
    defaults are the components' own signatures (a 256-d head, 256
    patches, internal negatives, temperature 0.07, weight 1), so
    ``nce_loss=dict(loss_weight=2.0)`` changes only the weight.
    """

    def __init__(self, nce_layers: Sequence[int],
                 feature_channels: Dict[str, Sequence[int]],
                 head: Optional[dict] = None,
                 patch_sampler: Optional[dict] = None,
                 negative_sampler: Optional[dict] = None,
                 nce_loss: Optional[dict] = None) -> None:
        super().__init__()
        head = merge_defaults(dict(type='ProjectionHead'), head or {})
        patch_sampler = merge_defaults(dict(type='PatchSampler'),
                                       patch_sampler or {})
        negative_sampler = merge_defaults(
            dict(type='InternalNegativeSampler'), negative_sampler or {})
        nce_loss = merge_defaults(dict(type='PatchNCELoss'), nce_loss or {})
        self.nce_layers = [int(i) for i in nce_layers]
        if not self.nce_layers:
            raise ConfigError('ContrastiveBranch: nce_layers is empty; give '
                              'the generator layers to contrast, e.g. '
                              '(4, 8, 12, 16).')
        if not isinstance(feature_channels, dict) or not feature_channels:
            raise ConfigError('ContrastiveBranch: feature_channels must be a '
                              'non-empty dict {head name: channels per NCE '
                              f'layer}}, got {feature_channels!r}.')
        self.projectors = nn.ModuleDict()
        for name, channels in feature_channels.items():
            if len(channels) != len(self.nce_layers):
                raise ConfigError(
                    f'ContrastiveBranch: head {name!r} has {len(channels)} '
                    f'feature channel counts for {len(self.nce_layers)} '
                    f'nce_layers {self.nce_layers}.')
            self.projectors[name] = MODELS.build(
                dict(head, in_channels=list(channels)))
        self.patch_sampler = MODELS.build(patch_sampler)
        self.negative_sampler = MODELS.build(negative_sampler)
        if not isinstance(self.negative_sampler, BaseNegativeSampler):
            raise ConfigError(
                f'ContrastiveBranch: negative_sampler '
                f'{type(self.negative_sampler).__name__} must subclass '
                'lowvis.models.contrastive.BaseNegativeSampler.')
        if self.patch_sampler.num_patches:  # 0: every location, size-bound
            self.negative_sampler.check_patch_count(
                self.patch_sampler.num_patches)
        self.nce_loss = MODELS.build(nce_loss)

    @property
    def needs_other_side(self) -> bool:
        """True when the negatives include the other side's keys, as the
        sampler declares (:attr:`BaseNegativeSampler.needs_other_keys`)."""
        return bool(self.negative_sampler.needs_other_keys)

    def sample(self, query_feats: Sequence[torch.Tensor],
               key_feats: Sequence[torch.Tensor], query_head: str,
               key_head: str,
               generator: Optional[torch.Generator] = None) -> SidePatches:
        """Sample and project the patches of one side.

        Args:
            query_feats: L tensors [N, C_l, H_l, W_l] (features of the
                translated image, with gradient).
            key_feats: L tensors of the same shapes (features of the image
                it was translated from).
            query_head / key_head: names of the heads projecting them.
            generator: ``torch.Generator`` for the patch locations (the
                model's ``rng``); the locations are drawn on the key stack
                and reused for the query stack.

        Returns:
            :class:`SidePatches` with L entries of [N, P_l, D].
        """
        if len(query_feats) != len(key_feats) or \
                len(key_feats) != len(self.nce_layers):
            raise ValueError(
                f'ContrastiveBranch: got {len(query_feats)} query and '
                f'{len(key_feats)} key feature layers for nce_layers '
                f'{self.nce_layers}.')
        for q, k in zip(query_feats, key_feats):
            if q.shape != k.shape:
                raise ValueError('ContrastiveBranch: query and key features '
                                 f'differ in shape: {tuple(q.shape)} vs '
                                 f'{tuple(k.shape)}.')
        key_patches, ids = self.patch_sampler(key_feats, None, generator)
        query_patches, _ = self.patch_sampler(query_feats, ids)
        return SidePatches(query=self.projectors[query_head](query_patches),
                           key=self.projectors[key_head](key_patches),
                           patch_ids=ids)

    def side_loss(self, side: SidePatches,
                  other: Optional[SidePatches] = None,
                  generator: Optional[torch.Generator] = None
                  ) -> torch.Tensor:
        """Mean over layers of the PatchNCE loss of one side.

        Args:
            side: this side's patches (from :meth:`sample`).
            other: the other side's patches; its keys of layer l are passed
                to the negative sampler as ``other_keys`` (detached there).
                Required when :attr:`needs_other_side`.
            generator: ``torch.Generator`` for random negative subsets.

        Returns:
            Scalar: ``loss_weight * mean_l PatchNCE_l`` (each layer's loss
            is the mean over its N*P_l queries).
        """
        if other is None and self.needs_other_side:
            raise ConfigError(
                f'ContrastiveBranch: {type(self.negative_sampler).__name__} '
                "needs the other side's keys (external negatives) but there "
                'is no other side; use InternalNegativeSampler.')
        total = 0.0
        for layer, (query, key) in enumerate(zip(side.query, side.key)):
            other_keys = other.key[layer] if other is not None else None
            bank, mask = self.negative_sampler(key, other_keys, generator)
            total = total + self.nce_loss(query, key, bank, mask)
        return total / len(side.query)

    def losses(self, sides: Sequence[Tuple[Sequence[torch.Tensor],
                                           Sequence[torch.Tensor], str, str]],
               generator: Optional[torch.Generator] = None
               ) -> List[torch.Tensor]:
        """Sample every side, then compute each side's loss.

        Args:
            sides: one or two ``(query_feats, key_feats, query_head,
                key_head)`` tuples, the arguments of :meth:`sample`.
            generator: the model's ``torch.Generator`` (patch locations and
                random negative subsets).

        Returns:
            One scalar loss per side (see :meth:`side_loss`). With two
            sides, each side's negative sampler is given the other side's
            keys, so external and dual negatives work; internal negatives
            ignore them.
        """
        if len(sides) not in (1, 2):
            raise ValueError('ContrastiveBranch.losses takes one or two '
                             f'sides, got {len(sides)}.')
        sampled = [self.sample(*side, generator=generator) for side in sides]
        others = sampled[::-1] if len(sampled) == 2 else [None]
        return [self.side_loss(side, other, generator)
                for side, other in zip(sampled, others)]

    def forward(self, sides, generator=None):
        """:meth:`losses`, through ``__call__``: models call the branch
        itself so that it still works when wrapped for distributed
        training."""
        return self.losses(sides, generator=generator)
