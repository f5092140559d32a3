"""U-Net generator plugin: ``UnetGenerator`` in ``MODELS``.

Listed in a config's ``custom_imports`` as ``'plugins.unet_generator'``;
see ``README.md`` here.
"""
from .unet_generator import UnetGenerator

__all__ = ['UnetGenerator']
