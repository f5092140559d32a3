"""mmengine metrics registered in ``lowvis.registry.METRICS``."""
from .base_image_metric import BaseImageMetric
from .brisque import BRISQUE
from .lpips import LPIPS
from .niqe import NIQE
from .psnr import PSNR
from .ssim import SSIM

__all__ = ['BaseImageMetric', 'PSNR', 'SSIM', 'LPIPS', 'NIQE', 'BRISQUE']
