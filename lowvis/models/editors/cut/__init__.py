from .cut import CUT

__all__ = ['CUT']
