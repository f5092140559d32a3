"""Pixel-wise reconstruction losses."""
import torch.nn as nn
import torch.nn.functional as F

from lowvis.registry import MODELS


@MODELS.register_module()
class L1Loss(nn.Module):
    """Mean absolute error times ``loss_weight``.

    ``forward(pred, target)``: tensors of the same shape, any range.
    """

    def __init__(self, loss_weight=1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred, target):
        return F.l1_loss(pred, target) * self.loss_weight
