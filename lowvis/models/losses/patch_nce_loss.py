"""Patch-wise InfoNCE loss (CUT, DCLGAN, DCD-GAN's contrastive loss)."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['PatchNCELoss']

_REDUCTIONS = ('mean', 'sum', 'none')


@MODELS.register_module()
class PatchNCELoss(nn.Module):
    """InfoNCE over patches: each query must pick its positive among negatives.

    For query q (image n, patch p) with positive k+ and bank entries b_k:

        logits = [q . k+, q . b_1, ..., q . b_K] / temperature,

    where masked bank entries get -inf (they drop out of the softmax
    exactly; the reference code filled -10 before dividing by the
    temperature, nearly but not exactly the same), and the loss is the
    cross-entropy with class 0, i.e. ``-log softmax(logits)[0]``.

    Inputs are expected L2-normalised (as :class:`ProjectionHead` gives), so
    dot products are cosine similarities. The positive and the bank are
    detached here: keys carry no gradient, as in CUT and DCLGAN; only the
    query (and what produced it) is trained by this loss.

    Args:
        temperature (float): softmax temperature. Default 0.07.
        loss_weight (float): multiplies the reduced loss.
        reduction (str): 'mean' over all N*P queries (default), 'sum', or
            'none' for the per-query losses [N, P].
    """

    def __init__(self, temperature: float = 0.07, loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        if not temperature > 0:
            raise ConfigError('PatchNCELoss: temperature must be > 0, got '
                              f'{temperature!r}.')
        if reduction not in _REDUCTIONS:
            raise ConfigError(f'PatchNCELoss: reduction must be one of '
                              f'{_REDUCTIONS}, got {reduction!r}.')
        self.temperature = float(temperature)
        self.loss_weight = float(loss_weight)
        self.reduction = reduction

    def forward(self, query: torch.Tensor, positive: torch.Tensor,
                bank: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            query: [N, P, D] query embeddings (carry gradient).
            positive: [N, P, D] positive key of each query (detached here).
            bank: [N, K, D] negative candidates (detached here).
            mask: optional BoolTensor [N, P, K], True where bank entry k is
                not a negative of query p of image n.

        Returns:
            Scalar (or [N, P] with reduction 'none'), times ``loss_weight``.
        """
        self._check_shapes(query, positive, bank, mask)
        # fp32 even under autocast: at temperature 0.07 a bf16/fp16 dot
        # product's rounding (~0.004) moves the logits by ~0.06
        with torch.autocast(query.device.type, enabled=False):
            query = query.float()
            positive = positive.detach().float()
            bank = bank.detach().float()
            l_pos = (query * positive).sum(dim=-1, keepdim=True)  # [N,P,1]
            l_neg = torch.bmm(query, bank.transpose(1, 2))  # [N, P, K]
        if mask is not None:
            l_neg = l_neg.masked_fill(mask, float('-inf'))
        logits = torch.cat([l_pos, l_neg], dim=-1) / self.temperature
        n, p, _ = query.shape
        target = torch.zeros(n * p, dtype=torch.long, device=query.device)
        loss = F.cross_entropy(logits.flatten(0, 1).float(), target,
                               reduction='none').view(n, p)
        if self.reduction == 'mean':
            loss = loss.mean()
        elif self.reduction == 'sum':
            loss = loss.sum()
        return loss * self.loss_weight

    @staticmethod
    def _check_shapes(query, positive, bank, mask) -> None:
        if query.dim() != 3 or positive.shape != query.shape:
            raise ValueError('PatchNCELoss: query and positive must both be '
                             f'[N, P, D], got {tuple(query.shape)} and '
                             f'{tuple(positive.shape)}.')
        if (bank.dim() != 3 or bank.shape[0] != query.shape[0]
                or bank.shape[2] != query.shape[2]):
            raise ValueError(f'PatchNCELoss: bank must be [N, K, D] with N, '
                             f'D of the query {tuple(query.shape)}, got '
                             f'{tuple(bank.shape)}.')
        expected = (query.shape[0], query.shape[1], bank.shape[1])
        if mask is not None and (mask.dtype != torch.bool
                                 or tuple(mask.shape) != expected):
            raise ValueError(f'PatchNCELoss: mask must be a bool tensor '
                             f'{expected} [N, P, K], got {mask.dtype} '
                             f'{tuple(mask.shape)}.')
