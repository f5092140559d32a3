from .dclgan import DCLGAN

__all__ = ['DCLGAN']
