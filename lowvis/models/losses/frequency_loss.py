"""Frequency loss: distance between the one-sided 2-D spectra of images."""
from typing import Optional

import torch
from torch import nn

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

__all__ = ['FrequencyLoss']

_NORMS = ('l1', 'l2_sum')
_FFT_NORMS = ('ortho', 'backward', 'forward')


@MODELS.register_module()
class FrequencyLoss(nn.Module):
    """Compare ``torch.fft.rfft2`` spectra as stacked real/imaginary parts.

    Each image [N, C, H, W] becomes its one-sided spectrum over (H, W):
    [N, C, H, W//2 + 1] complex, viewed as [N, C, H, W//2 + 1, 2] reals.

    ``norm='l1'`` (default): mean absolute difference over all those reals.

    ``norm='l2_sum'``: the DCD-GAN reference code's formula. It called
    ``torch.rfft(x, signal_ndim=2, normalized=False, onesided=True)`` (the
    API removed in PyTorch 1.8) on the images reshaped to [N*C, H, W],
    squared the difference of the real and imaginary parts, summed over
    channels, frequencies and the real/imaginary axis, and averaged over the
    batch. With ``fft_norm='backward'`` this reproduces it exactly.

    FFT normalisation: ``fft_norm=None`` picks 'ortho' (scale 1/sqrt(H*W))
    for 'l1' and 'backward' (unscaled, as ``normalized=False``) for
    'l2_sum'. 'ortho' preserves energy (Parseval), so spectral differences
    stay on the scale of pixel differences whatever the crop size; the
    unscaled spectrum grows with the image (its DC term is the pixel sum),
    which would tie the loss weight to the crop size.

    The transform runs in float32 (half-precision FFTs are limited to
    power-of-two sizes on CUDA).

    Args:
        loss_weight (float): multiplies the loss.
        norm (str): 'l1' or 'l2_sum'.
        fft_norm (str, optional): 'ortho', 'backward' or 'forward' as in
            ``torch.fft``; None for the default of ``norm`` described above.
    """

    def __init__(self, loss_weight: float = 1.0, norm: str = 'l1',
                 fft_norm: Optional[str] = None) -> None:
        super().__init__()
        if norm not in _NORMS:
            raise ConfigError(f'FrequencyLoss: norm must be one of {_NORMS}, '
                              f'got {norm!r}.')
        if fft_norm is None:
            fft_norm = 'ortho' if norm == 'l1' else 'backward'
        if fft_norm not in _FFT_NORMS:
            raise ConfigError('FrequencyLoss: fft_norm must be one of '
                              f'{_FFT_NORMS} or None, got {fft_norm!r}.')
        self.loss_weight = float(loss_weight)
        self.norm = norm
        self.fft_norm = fft_norm

    def spectrum(self, x: torch.Tensor) -> torch.Tensor:
        """[N, C, H, W] -> [N, C, H, W//2 + 1, 2] real/imaginary parts."""
        # fp32 even under autocast (no bf16 FFT; fp16 only for 2^k sizes)
        with torch.autocast(x.device.type, enabled=False):
            return torch.view_as_real(torch.fft.rfft2(x.float(),
                                                      norm=self.fft_norm))

    def forward(self, pred: torch.Tensor, target: torch.Tensor
                ) -> torch.Tensor:
        """Compute the loss.

        Args:
            pred: [N, C, H, W] image (RGB, any value range, typically
                [-1, 1]).
            target: [N, C, H, W] image to compare with, same range.

        Returns:
            Scalar tensor.
        """
        if pred.dim() != 4 or pred.shape != target.shape:
            raise ValueError('FrequencyLoss: pred and target must both be '
                             f'[N, C, H, W], got {tuple(pred.shape)} and '
                             f'{tuple(target.shape)}.')
        diff = self.spectrum(pred) - self.spectrum(target)
        if self.norm == 'l1':
            loss = diff.abs().mean()
        else:
            loss = diff.pow(2).sum(dim=(1, 2, 3, 4)).mean()
        return loss * self.loss_weight
