from .blur_sampling import BlurDownsample, BlurUpsample
from .norm import build_norm, init_weights
from .patch_discriminator import PatchDiscriminator
from .projection_head import ProjectionHead
from .resnet_generator import ResnetBlock, ResnetGenerator

__all__ = ['ResnetGenerator', 'ResnetBlock', 'PatchDiscriminator',
           'ProjectionHead', 'BlurDownsample', 'BlurUpsample', 'build_norm',
           'init_weights']
