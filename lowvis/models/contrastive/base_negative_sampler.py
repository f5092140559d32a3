"""Interface shared by the contrastive negative samplers.

A negative sampler turns the key patches of one feature layer into a bank of
negative candidates and a mask of the entries each query must ignore. The
contrastive loss (:class:`~lowvis.models.losses.PatchNCELoss`) reads both.
"""
from typing import Optional, Tuple

import torch
from torch import nn

from lowvis.utils.errors import ConfigError
from .sampling_utils import draw_rand

__all__ = ['BaseNegativeSampler', 'check_count', 'check_keys',
           'check_other_keys', 'keep_random_entries']


def check_count(owner: str, name: str, value: Optional[int]) -> None:
    """Raise :class:`ConfigError` unless ``value`` is None or an int >= 0."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f'{owner}: {name} must be None (use all) or an '
                          f'integer >= 0, got {value!r}; fix it in the '
                          'config.')


def check_keys(owner: str, name: str, keys: torch.Tensor) -> None:
    """Raise ValueError unless ``keys`` is a 3-D tensor [N, P, D]."""
    if not isinstance(keys, torch.Tensor) or keys.dim() != 3:
        shape = tuple(keys.shape) if isinstance(keys, torch.Tensor) else \
            type(keys).__name__
        raise ValueError(f'{owner}: {name} must be a tensor [N, P, D] of '
                         f'key patches of one layer, got {shape}.')


def check_other_keys(owner: str, keys: torch.Tensor,
                     other_keys: Optional[torch.Tensor],
                     hint: str = 'pass them or use InternalNegativeSampler'
                     ) -> torch.Tensor:
    """Check the other side's keys against ``keys``; return them detached.

    Raises ValueError when ``other_keys`` is None, not [N, P', D], or
    differs from ``keys`` [N, P, D] in N or D. ``hint`` ends the message for
    the missing case (what the user should change).
    """
    if other_keys is None:
        raise ValueError(
            f"{owner}: external negatives need other_keys, the other CGB "
            "side's key patches [N, P', D] of the same layer, and there are "
            f'none; {hint}.')
    check_keys(owner, 'other_keys', other_keys)
    if (other_keys.shape[0] != keys.shape[0]
            or other_keys.shape[2] != keys.shape[2]):
        raise ValueError(
            f'{owner}: other_keys {tuple(other_keys.shape)} must match '
            f'keys {tuple(keys.shape)} in batch size N and embedding '
            'size D.')
    return other_keys.detach()


def keep_random_entries(allowed: torch.Tensor, num_keep: int,
                        generator: Optional[torch.Generator] = None
                        ) -> torch.Tensor:
    """Choose ``num_keep`` allowed entries at random in every row.

    Args:
        allowed: BoolTensor [..., K], True where an entry may be kept. Every
            row must hold at least ``num_keep`` True entries.
        num_keep: how many entries each row keeps.
        generator: optional ``torch.Generator`` for the draw.

    Returns:
        BoolTensor of the same shape, True where an entry is masked (not
        kept): every row then has exactly ``num_keep`` False entries, all of
        them allowed.
    """
    scores = draw_rand(allowed.shape, allowed.device, generator)
    # uniform scores lie in [0, 1): entries scored 2 are never among the
    # num_keep smallest while a row has enough allowed entries
    scores = scores.masked_fill(~allowed, 2.0)
    keep_idx = scores.topk(num_keep, dim=-1, largest=False).indices
    keep = torch.zeros_like(allowed)
    keep.scatter_(-1, keep_idx, True)
    return ~keep


class BaseNegativeSampler(nn.Module):
    """Base class: ``(keys, other_keys, generator) -> (bank, mask)``.

    Subclasses implement :meth:`forward` and register in ``MODELS``. They
    hold no parameters; they are modules only so that models can list them
    and move them with ``.to()``.

    The contract with :class:`ContrastiveBranch` (and so with every model):

    * :attr:`needs_other_keys` declares whether :meth:`forward` needs the
      other CGB side's keys (external negatives). The branch passes them
      whenever a model has two sides; a model with one side refuses, at
      construction, a sampler that declares it needs them. A subclass sets
      the class attribute, or a property when it depends on its arguments.
    * :meth:`check_patch_count` refuses, at construction, counts that the
      configured number of patches can never satisfy.
    * Composite negatives (several banks side by side) are built from
      sampler configs through the registry
      (:class:`CompositeNegativeSampler`), so a plugin sampler can be one
      part of them.
    """

    #: True when :meth:`forward` needs ``other_keys`` (the other side's keys)
    needs_other_keys: bool = False

    def check_patch_count(self, num_patches: int) -> None:
        """Refuse, at construction, settings that ``num_patches`` patches
        per image and side can never satisfy.

        :class:`ContrastiveBranch` calls this once with its
        ``PatchSampler.num_patches``, so a count that could only fail inside
        :meth:`forward` (at the first iteration) is reported before
        training. A layer may still yield fewer patches than that (a
        feature map smaller than ``num_patches``); :meth:`forward` checks
        the real count. The default accepts everything.

        Raises:
            ConfigError: naming the setting and ``num_patches``.
        """

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Build the negatives of one layer.

        Args:
            keys: [N, P, D] this side's key patches (L2-normalised
                embeddings); query p of image n has ``keys[n, p]`` as its
                positive.
            other_keys: [N, P', D] the other side's key patches of the same
                layer, for samplers that use external negatives.
            generator: optional ``torch.Generator`` for random subsets.

        Returns:
            ``(bank, mask)``: bank [N, K, D] of detached negative candidates
            and mask, a BoolTensor [N, P, K] that is True where bank entry k
            must not be a negative of query p of image n, or None when every
            entry is a negative of every query.
        """
        raise NotImplementedError
