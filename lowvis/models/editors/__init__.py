from .cyclegan import CycleGAN

__all__ = ['CycleGAN']
