"""Metric functions usable without any runner: numpy/torch in, floats out."""
from .image_utils import matlab_round, rgb2y
from .lpips_model import build_lpips
from .psnr import psnr
from .ssim import ssim

__all__ = ['psnr', 'ssim', 'rgb2y', 'matlab_round', 'build_lpips']
