from .cut import CUT
from .cyclegan import CycleGAN
from .dcdgan import DCDGAN
from .dclgan import DCLGAN

__all__ = ['CUT', 'CycleGAN', 'DCDGAN', 'DCLGAN']
