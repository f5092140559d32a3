from .dcdgan import DCDGAN

__all__ = ['DCDGAN']
