"""Plugins: components that live outside ``lowvis`` and register into its
registries when a config lists them in ``custom_imports``.

Each sub-package is one plugin, imported on demand as ``plugins.<name>``
(nothing is imported here): ``hard_negatives`` (a negative sampler),
``unet_generator`` (a generator) and ``haze`` (a second degradation with
its demo data). ``python tools/new_plugin.py NAME --kind KIND`` starts a
new one; see ``docs/plugins.md``.
"""
__all__ = []
