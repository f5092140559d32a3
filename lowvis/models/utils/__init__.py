"""Helpers shared by the models: defaults, optional terms, image pool."""
from .config_defaults import build_optional, loss_enabled, merge_defaults
from .image_pool import ImagePool

__all__ = ['ImagePool', 'build_optional', 'loss_enabled', 'merge_defaults']
