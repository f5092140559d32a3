"""Evaluation: metric functions and thin mmengine metric classes."""
from .functional import brisque, niqe, psnr, ssim
from .metrics import BRISQUE, LPIPS, NIQE, PSNR, SSIM, BaseImageMetric

__all__ = [
    'psnr', 'ssim', 'niqe', 'brisque', 'BaseImageMetric', 'PSNR', 'SSIM',
    'LPIPS', 'NIQE', 'BRISQUE'
]
