"""Haze plugin: a second degradation for lowvis.

Registers the ``SyntheticHaze`` transform in ``TRANSFORMS``; its pure
functions ``synthesize_haze`` and ``haze_depth`` build the demo data
(``make_haze_data.py``). Listed in a config's ``custom_imports`` as
``'plugins.haze'``; see ``README.md`` here.
"""
from .synthetic_haze import SyntheticHaze, haze_depth, synthesize_haze

__all__ = ['SyntheticHaze', 'synthesize_haze', 'haze_depth']
