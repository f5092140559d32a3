from .blur_sampling import BlurDownsample, BlurUpsample
from .patch_discriminator import PatchDiscriminator
from .projection_head import ProjectionHead
from .resnet_generator import ResnetBlock, ResnetGenerator

__all__ = ['ResnetGenerator', 'ResnetBlock', 'PatchDiscriminator',
           'ProjectionHead', 'BlurDownsample', 'BlurUpsample']
