"""Hard-negative sampler plugin: ``HardNegativeSampler`` in ``MODELS``.

Listed in a config's ``custom_imports`` as ``'plugins.hard_negatives'``;
see ``README.md`` here.
"""
from .hard_negative_sampler import HardNegativeSampler

__all__ = ['HardNegativeSampler']
