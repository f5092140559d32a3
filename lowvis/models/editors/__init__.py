from .cut import CUT
from .cyclegan import CycleGAN
from .dclgan import DCLGAN

__all__ = ['CUT', 'CycleGAN', 'DCLGAN']
