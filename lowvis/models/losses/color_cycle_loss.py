"""DCD-GAN's colour cycle-consistency loss (paper eq. 3)."""
import torch
from torch import nn

from lowvis.registry import MODELS

__all__ = ['ColorCycleLoss']


@MODELS.register_module()
class ColorCycleLoss(nn.Module):
    """Sum over the colour channels of each channel's mean absolute error.

    ``loss = loss_weight * sum_c mean_{n,y,x} |recon - real|[n, c, y, x]``

    The paper computes the pixel loss of the R, G and B channels separately
    and sums the three. Since every channel has the same number of pixels,
    this equals 3x the plain L1 mean over all elements (``C`` times it for C
    channels): the value differs from CycleGAN's cycle loss by that factor
    only, which matters when comparing loss weights.

    Args:
        loss_weight (float): multiplies the loss.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = float(loss_weight)

    def forward(self, recon: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            recon: [N, 3, H, W] reconstructed image (RGB, any value range,
                typically [-1, 1]).
            real: [N, 3, H, W] the input it reconstructs, same range.

        Returns:
            Scalar tensor.
        """
        if recon.dim() != 4 or recon.shape != real.shape:
            raise ValueError('ColorCycleLoss: recon and real must both be '
                             f'[N, C, H, W], got {tuple(recon.shape)} and '
                             f'{tuple(real.shape)}.')
        per_channel = (recon - real).abs().mean(dim=(0, 2, 3))  # [C]
        return per_channel.sum() * self.loss_weight
