"""Build one optimizer wrapper per submodule (generators, discriminators, heads)."""
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from lowvis.registry import OPTIM_WRAPPER_CONSTRUCTORS
from lowvis.utils.errors import ConfigError


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MultiOptimWrapperConstructor:
    """Turn ``optim_wrapper=dict(constructor=..., generators=..., ...)`` into
    an :class:`~mmengine.optim.OptimWrapperDict` keyed by submodule name.

    Each entry is an ordinary mmengine optim-wrapper config (``type``,
    ``optimizer``, optional ``paramwise_cfg``) applied to the model's
    attribute of that name, e.g.::

        optim_wrapper = dict(
            constructor='MultiOptimWrapperConstructor',
            generators=dict(optimizer=dict(type='Adam', lr=2e-4,
                                           betas=(0.5, 0.999))),
            discriminators=dict(optimizer=dict(type='Adam', lr=2e-4,
                                               betas=(0.5, 0.999))))

    Every submodule with trainable parameters must have an entry (so that
    no part silently stays untrained); unknown keys are errors.
    """

    def __init__(self, optim_wrapper_cfg, paramwise_cfg=None):
        if not isinstance(optim_wrapper_cfg, dict):
            raise ConfigError('optim_wrapper must be a dict of per-submodule '
                              'optim-wrapper configs')
        self.optim_wrapper_cfg = optim_wrapper_cfg
        self.paramwise_cfg = paramwise_cfg

    def __call__(self, model):
        if is_model_wrapper(model):
            model = model.module
        trainable = {name for name, child in model.named_children()
                     if any(p.requires_grad for p in child.parameters())}
        unknown = set(self.optim_wrapper_cfg) - {
            name for name, _ in model.named_children()}
        if unknown:
            raise ConfigError(
                f'optim_wrapper has entries {sorted(unknown)} that are not '
                f'submodules of {type(model).__name__}; trainable submodules '
                f'are {sorted(trainable)}')
        missing = trainable - set(self.optim_wrapper_cfg)
        if missing:
            raise ConfigError(
                f'optim_wrapper has no entry for trainable submodule(s) '
                f'{sorted(missing)} of {type(model).__name__}')
        wrappers = {}
        for name, cfg in self.optim_wrapper_cfg.items():
            cfg = dict(cfg)
            cfg.setdefault('type', 'OptimWrapper')
            paramwise = cfg.pop('paramwise_cfg', self.paramwise_cfg)
            constructor = DefaultOptimWrapperConstructor(cfg, paramwise)
            wrappers[name] = constructor(getattr(model, name))
        return OptimWrapperDict(**wrappers)
