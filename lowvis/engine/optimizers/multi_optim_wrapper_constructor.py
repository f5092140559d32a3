"""Build the optimizer wrappers of a GAN: one per update step, not per part.

The generator step updates every generator-side submodule (generators and,
for the contrastive methods, projection heads) through ONE wrapper whose
optimizer holds one param group per submodule, so that gradient
accumulation, loss scaling and clipping act on all of them together.
"""
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor

from lowvis.registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS
from lowvis.utils.errors import ConfigError

from .gan_optim_wrapper_dict import GANOptimWrapperDict

#: wrapper-config keys that are per param group (the rest must agree)
_GROUP_KEYS = ('optimizer', 'paramwise_cfg')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MultiOptimWrapperConstructor:
    """Turn ``optim_wrapper=dict(constructor=..., generators=..., ...)`` into
    a :class:`GANOptimWrapperDict` with one wrapper per update step.

    Each entry is an ordinary mmengine optim-wrapper config (``type``,
    ``optimizer``, optional ``paramwise_cfg``, ``accumulative_counts``,
    ``clip_grad``) for the model's submodule of that name, e.g.::

        optim_wrapper = dict(
            constructor='MultiOptimWrapperConstructor',
            generators=dict(optimizer=dict(type='Adam', lr=2e-4,
                                           betas=(0.5, 0.999))),
            heads=dict(optimizer=dict(type='Adam', lr=1e-3)),
            discriminators=dict(optimizer=dict(type='Adam', lr=2e-4,
                                               betas=(0.5, 0.999))))

    When the model declares its generator side (``model.generator_side()``,
    e.g. ``('generators', 'heads')``), those submodules share ONE wrapper,
    keyed by the first of them (``'generators'``): its optimizer has one
    param group per submodule, in that order, with that entry's ``lr``,
    ``betas``... (one optimizer class for all of them); the dict's
    ``group_owners`` names the submodule of each group.
    A generator-side submodule without an entry uses the first one's
    (heads at the generators' lr); the wrapper settings (``type``,
    ``accumulative_counts``, ``clip_grad``, ``dtype``...) must then agree
    across the entries. Every other entry gets a wrapper of its own.

    Every submodule with trainable parameters must be covered (so that no
    part silently stays untrained); unknown keys are errors.
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
        side = tuple(model.generator_side()) \
            if hasattr(model, 'generator_side') else ()
        self._check_entries(model, side)
        wrappers, owners = {}, {}
        if side:
            wrappers[side[0]], owners[side[0]] = self._build_shared(model,
                                                                    side)
        for name, cfg in self.optim_wrapper_cfg.items():
            if name not in side:
                wrappers[name] = self._build_one(getattr(model, name), cfg)
                owners[name] = [name] * len(
                    wrappers[name].optimizer.param_groups)
        return GANOptimWrapperDict(group_owners=owners, **wrappers)

    def _check_entries(self, model, side):
        children = {name for name, _ in model.named_children()}
        trainable = {name for name, child in model.named_children()
                     if any(p.requires_grad for p in child.parameters())}
        unknown = set(self.optim_wrapper_cfg) - children
        if unknown:
            raise ConfigError(
                f'optim_wrapper has entries {sorted(unknown)} that are not '
                f'submodules of {type(model).__name__}; trainable submodules '
                f'are {sorted(trainable)}')
        if side and side[0] not in self.optim_wrapper_cfg:
            raise ConfigError(
                f'optim_wrapper has no entry {side[0]!r} for the generator '
                f'side {list(side)} of {type(model).__name__}')
        missing = trainable - set(self.optim_wrapper_cfg) - set(side)
        if missing:
            raise ConfigError(
                f'optim_wrapper has no entry for trainable submodule(s) '
                f'{sorted(missing)} of {type(model).__name__}')

    def _build_optimizer(self, module, cfg):
        """The optimizer of one entry (mmengine's constructor, so that
        ``paramwise_cfg`` works)."""
        cfg = dict(cfg)
        paramwise = cfg.pop('paramwise_cfg', self.paramwise_cfg)
        plain = dict(type='OptimWrapper', optimizer=cfg['optimizer'])
        return DefaultOptimWrapperConstructor(plain, paramwise)(
            module).optimizer

    def _build_one(self, module, cfg):
        """One wrapper for ``module``, of the entry's type (looked up in
        lowvis's registry, which also holds mmengine's wrappers)."""
        optimizer = self._build_optimizer(module, cfg)
        return OPTIM_WRAPPERS.build(
            dict(_wrapper_settings(cfg), optimizer=optimizer))

    def _build_shared(self, model, side):
        """ONE wrapper over ``side``: a param group (or the groups of its
        ``paramwise_cfg``) per submodule, in ``side``'s order; and the
        submodule of each group."""
        first = self.optim_wrapper_cfg[side[0]]
        entries = {name: self.optim_wrapper_cfg.get(name, first)
                   for name in side}
        settings = {name: _wrapper_settings(cfg)
                    for name, cfg in entries.items()}
        optim_types = {name: cfg['optimizer'].get('type')
                       for name, cfg in entries.items()}
        for name in side[1:]:
            if settings[name] != settings[side[0]]:
                raise ConfigError(
                    f'optim_wrapper.{name} and optim_wrapper.{side[0]} are '
                    f'updated in one step and need the same wrapper settings '
                    f'(all keys but optimizer/paramwise_cfg): '
                    f'{settings[name]} vs {settings[side[0]]}')
            if optim_types[name] != optim_types[side[0]]:
                raise ConfigError(
                    f'optim_wrapper.{name}.optimizer.type must be '
                    f'{optim_types[side[0]]!r} like optim_wrapper.{side[0]} '
                    f'(one optimizer for the generator side), got '
                    f'{optim_types[name]!r}')
        parts = [self._build_optimizer(getattr(model, name), entries[name])
                 for name in side]
        owners = [name for name, part in zip(side, parts)
                  for _ in part.param_groups]
        # the groups carry every setting of their entry (lr, betas, eps...);
        # the defaults (mmengine's logged base_lr) are the first entry's
        optimizer = type(parts[0])(
            [g for part in parts for g in part.param_groups],
            **parts[0].defaults)
        cfg = dict(settings[side[0]], optimizer=optimizer)
        return OPTIM_WRAPPERS.build(cfg), owners


def _wrapper_settings(cfg):
    """The keys of a wrapper config that are not per param group."""
    settings = {k: v for k, v in dict(cfg).items() if k not in _GROUP_KEYS}
    settings.setdefault('type', 'OptimWrapper')
    return settings
