from .color_cycle_loss import ColorCycleLoss
from .frequency_loss import FrequencyLoss
from .gan_loss import GANLoss
from .patch_nce_loss import PatchNCELoss
from .pixelwise_loss import L1Loss

__all__ = ['GANLoss', 'L1Loss', 'PatchNCELoss', 'ColorCycleLoss',
           'FrequencyLoss']
