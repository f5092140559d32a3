"""lowvis: a plugin-based low-level vision toolbox on PyTorch and mmengine."""
from .version import __version__

__all__ = ['__version__']
