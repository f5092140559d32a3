"""Evaluation: metric functions and thin mmengine metric classes."""
from .functional import psnr, ssim
from .metrics import LPIPS, PSNR, SSIM, BaseImageMetric

__all__ = ['psnr', 'ssim', 'BaseImageMetric', 'PSNR', 'SSIM', 'LPIPS']
