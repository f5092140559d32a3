"""Metric functions usable without any runner: numpy/torch in, floats out."""
from .brisque import brisque
from .image_utils import matlab_round, rgb2y
from .lpips_model import build_lpips
from .matlab_imresize import imresize
from .niqe import niqe
from .psnr import psnr
from .ssim import ssim

__all__ = [
    'psnr', 'ssim', 'niqe', 'brisque', 'rgb2y', 'matlab_round', 'imresize',
    'build_lpips'
]
