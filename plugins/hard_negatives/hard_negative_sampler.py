"""Hard negatives: for each query, the k candidates most like its positive."""
from typing import Optional, Tuple

import torch

from lowvis.models.contrastive import (BaseNegativeSampler, check_keys,
                                       check_other_keys)
from lowvis.registry import MODELS
from lowvis.utils import ConfigError

__all__ = ['HardNegativeSampler']


def _check_int(name: str, value, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f'HardNegativeSampler: {name} must be an integer '
                          f'>= {low}, got {value!r}; fix it in the config.')


@MODELS.register_module()
class HardNegativeSampler(BaseNegativeSampler):
    """Keep, for every query, the ``num_negatives`` hardest candidates.

    The candidates of image n are its own key patches (the positive
    excluded) and, with ``include_external``, the other CGB side's keys of
    the same layer. *Hard* means close to the query's positive key in
    cosine similarity: the query is trained to match its positive, so those
    candidates are the ones it confuses most easily. (The ``(bank, mask)``
    interface never sees the queries; ranking against the positive keeps it
    and costs one ``[N, P, K]`` similarity product, without gradient.)

    The ``skip_nearest`` most similar candidates are dropped before the
    ``num_negatives`` are taken: in smooth regions, neighbouring patches are
    near copies of the positive (false negatives), and pushing a query away
    from them fights the positive term.

    Selection is deterministic (``generator`` is not used); ties go to the
    lower bank index.

    Args:
        num_negatives (int): negatives kept per query, >= 1.
        skip_nearest (int): most similar candidates ignored first, >= 0.
        include_external (bool): also rank the other side's keys (DCD-GAN's
            external negatives); ``other_keys`` is then required.
    """

    def __init__(self, num_negatives: int = 64, skip_nearest: int = 0,
                 include_external: bool = False) -> None:
        super().__init__()
        _check_int('num_negatives', num_negatives, 1)
        _check_int('skip_nearest', skip_nearest, 0)
        self.num_negatives = num_negatives
        self.skip_nearest = skip_nearest
        self.include_external = bool(include_external)

    @property
    def needs_other_keys(self) -> bool:
        """True when ``forward`` needs the other side's keys."""
        return self.include_external

    def check_patch_count(self, num_patches: int) -> None:
        """See :meth:`BaseNegativeSampler.check_patch_count`: a query has
        ``num_patches - 1`` candidates of its own side, plus the other
        side's ``num_patches`` with ``include_external`` (both sides sample
        the same count)."""
        available = num_patches - 1 + (num_patches
                                       if self.include_external else 0)
        self._check_candidates(available,
                               f'PatchSampler.num_patches={num_patches}')

    def _check_candidates(self, available: int, source: str) -> int:
        """Return ``skip_nearest + num_negatives``, refused (ConfigError)
        above ``available``."""
        wanted = self.skip_nearest + self.num_negatives
        if wanted > available:
            raise ConfigError(
                f'{type(self).__name__}: skip_nearest + num_negatives = '
                f'{wanted} but each query has only {available} candidates '
                f'({source}); lower them or sample more patches '
                '(PatchSampler.num_patches).')
        return wanted

    def forward(self, keys: torch.Tensor,
                other_keys: Optional[torch.Tensor] = None,
                generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """See :meth:`BaseNegativeSampler.forward`.

        Args:
            keys: [N, P, D] this side's key patches, unit norm.
            other_keys: [N, P', D] the other side's keys; used only with
                ``include_external`` (ignored otherwise).
            generator: unused (the selection is deterministic).

        Returns:
            bank [N, K, D] (this side's P keys, then the P' external ones
            when included; detached) and mask [N, P, K], False on exactly
            ``num_negatives`` entries per query: its hardest candidates
            after the ``skip_nearest`` nearest. The positive is always
            masked.

        Raises:
            ValueError: ``other_keys`` missing or mismatched while
                ``include_external``.
            ConfigError: fewer than ``skip_nearest + num_negatives``
                candidates per query (a layer smaller than the configured
                patch count).
        """
        name = type(self).__name__
        check_keys(name, 'keys', keys)
        keys = keys.detach()
        bank = keys
        if self.include_external:
            external = check_other_keys(
                name, keys, other_keys, hint='include_external=True needs '
                'them (backward_cycle=False leaves none); set '
                'include_external=False')
            bank = torch.cat([keys, external], dim=1)
        n, p, _ = keys.shape
        wanted = self._check_candidates(bank.shape[1] - 1,
                                        f'{p} patches per image')
        similarity = torch.bmm(keys, bank.transpose(1, 2))  # [N, P, K]
        positive = torch.arange(p, device=keys.device).view(1, p, 1)
        similarity = similarity.scatter(
            -1, positive.expand(n, p, 1), float('-inf'))
        order = _stable_descending(similarity)[..., :wanted]
        keep = order[..., self.skip_nearest:]
        mask = torch.ones_like(similarity, dtype=torch.bool)
        mask.scatter_(-1, keep, False)
        return bank, mask


def _stable_descending(values: torch.Tensor) -> torch.Tensor:
    """Indices sorting the last axis high to low; ties keep index order."""
    return torch.sort(values, dim=-1, descending=True, stable=True).indices
