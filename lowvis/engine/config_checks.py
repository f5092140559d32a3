"""Check a config's components and overrides against the code, before
anything is built (part of :mod:`lowvis.engine.startup_checks`).

* every ``type=`` in the model, datasets, pipelines, samplers, hooks,
  optimizers, optimizer wrappers, parameter schedulers, loops, evaluators
  and visualizer is looked up in its registry, and its arguments checked
  against the signature of its class (and of the bases its ``**kwargs``
  reach; for ``CheckpointHook`` of ``Runner.save_checkpoint``, which
  receives its extra arguments), values against simple annotations
  (``int``, ``float``, ``str``, sequences);
* ``--cfg-options`` values must be of the kind they replace (a number not
  by text, a list not by a number);
* a top-level key close to one the Runner reads (``train_cfgg``) is warned
  with the closest known key.
"""
import difflib
import inspect
import sys
import typing
from typing import Iterable, Optional, Tuple

from mmengine.hooks import CheckpointHook
from mmengine.runner import Runner

from lowvis import registry as R
from lowvis.engine.runner.run_length import is_fraction
from lowvis.utils.config_errors import (accepted_arguments,
                                        bad_argument_message,
                                        unknown_type_message)
from lowvis.utils.errors import ConfigError

__all__ = ['check_components', 'check_overrides']

# keys the Runner reads besides its __init__ arguments, and lowvis's own
_EXTRA_KEYS = {'model_wrapper_cfg', 'custom_imports', 'default_scope',
               '_base_', 'skip_data_check', 'compile', 'strategy'}
# kwargs a class passes on to another callable: validated against it
_FORWARDED = ((CheckpointHook, Runner.save_checkpoint),)
# which registry a nested component is built from, by its key
_NESTED = {'pipeline': 'TRANSFORMS', 'optimizer': 'OPTIMIZERS',
           'metrics': 'METRICS', 'vis_backends': 'VISBACKENDS',
           'sampler': 'DATA_SAMPLERS', 'batch_sampler': 'DATA_SAMPLERS',
           'collate_fn': 'FUNCTIONS', 'dataset': 'DATASETS',
           'datasets': 'DATASETS', 'data_preprocessor': 'MODELS'}
# arguments the Runner passes itself (not config keys)
_PASSED = {'runner', 'dataloader', 'evaluator', 'params', 'module'}
# keys the Runner or the registry take out of a component's config
_POPPED = {'_scope_', 'priority', 'convert_to_iter_based'}


def check_overrides(cfg, options: dict) -> None:
    """Before ``--cfg-options`` are merged: refuse a value of another kind
    than the one it replaces; warn about a new top-level key."""
    if not options:
        return
    _check_override_types(cfg, options)
    for key in options:  # a near miss is warned by check_components
        top = key.split('.')[0]
        if top not in cfg and top not in _known_keys() and \
                not _closest(top, 0.8):
            _warn(f"--cfg-options {key}: '{top}' is not a config key the "
                  f'runner reads, so it changes nothing{_closest(top)}')


def _known_keys():
    return set(inspect.signature(Runner.__init__).parameters) | _EXTRA_KEYS


def _closest(key, cutoff=0.6):
    close = difflib.get_close_matches(key, sorted(_known_keys()), n=1,
                                      cutoff=cutoff)
    return f"; did you mean '{close[0]}'?" if close else ''


def check_components(cfg) -> None:
    """Look up every component of ``cfg`` and check its arguments."""
    for key in cfg:
        if key not in _known_keys() and _closest(key, 0.8):
            _warn(f"config key '{key}' is not read by the runner"
                  f'{_closest(key, 0.8)}')
    _check(cfg.get('model'), 'MODELS', 'model')
    _check(cfg.get('model_wrapper_cfg'), 'MODEL_WRAPPERS',
           'model_wrapper_cfg')
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if isinstance(loader, dict):
            for key, value in loader.items():
                _check(value, _NESTED.get(key), f'{split}_dataloader.{key}')
        _check_loop(cfg.get(f'{split}_cfg'), split)
    for key in ('val_evaluator', 'test_evaluator'):
        for i, metric in _items(cfg.get(key)):
            registry = 'EVALUATOR' if isinstance(metric, dict) and \
                R.EVALUATOR.get(metric.get('type')) else 'METRICS'
            _check(metric, registry, key + i)
    for name, hook in (cfg.get('default_hooks') or {}).items():
        _check(hook, 'HOOKS', f'default_hooks.{name}')
    for i, hook in _items(cfg.get('custom_hooks')):
        _check(hook, 'HOOKS', 'custom_hooks' + i)
    _check_optim_wrapper(cfg.get('optim_wrapper'))
    schedulers = cfg.get('param_scheduler')
    if isinstance(schedulers, dict) and 'type' not in schedulers:
        schedulers = [s for group in schedulers.values()
                      for _, s in _items(group)]
    for i, scheduler in _items(schedulers):
        _check(scheduler, 'PARAM_SCHEDULERS', 'param_scheduler' + i)
    _check(cfg.get('visualizer'), 'VISUALIZERS', 'visualizer')
    _check(cfg.get('log_processor'), 'LOG_PROCESSORS', 'log_processor')


def _items(value) -> Iterable[Tuple[str, object]]:
    """``('.i', item)`` of a list, ``('', value)`` of one item."""
    if isinstance(value, (list, tuple)):
        return [(f'.{i}', v) for i, v in enumerate(value)]
    return [] if value is None else [('', value)]


def _check_loop(loop, split):
    if not isinstance(loop, dict) or not loop:
        return
    if 'type' in loop:
        _check(loop, 'LOOPS', f'{split}_cfg')
        return
    from mmengine.runner import (EpochBasedTrainLoop, IterBasedTrainLoop,
                                 TestLoop, ValLoop)
    args = {k: v for k, v in loop.items() if k != 'by_epoch'}
    cls = {'val': ValLoop, 'test': TestLoop}.get(split) or (
        EpochBasedTrainLoop if loop.get('by_epoch') else IterBasedTrainLoop)
    _check_args(cls, args, f'{split}_cfg')


def _check_optim_wrapper(cfg):
    if not isinstance(cfg, dict):
        return
    if 'constructor' in cfg and isinstance(cfg['constructor'], str) and \
            R.OPTIM_WRAPPER_CONSTRUCTORS.get(cfg['constructor']) is None:
        raise ConfigError(unknown_type_message(
            cfg['constructor'], R.OPTIM_WRAPPER_CONSTRUCTORS,
            'optim_wrapper.constructor'))
    wrappers = [('optim_wrapper', cfg)] if 'optimizer' in cfg else [
        (f'optim_wrapper.{k}', v) for k, v in cfg.items()
        if isinstance(v, dict) and 'optimizer' in v]
    for where, wrapper in wrappers:
        args = {k: v for k, v in wrapper.items()
                if k not in ('type', 'paramwise_cfg', 'constructor')}
        _check(dict(args, type=wrapper.get('type', 'OptimWrapper')),
               'OPTIM_WRAPPERS', where)


def _registry(name):
    return getattr(R, name)


def _resolve(cfg, registry_name, where):
    """The class of ``cfg['type']``: in ``registry_name`` or, for a nested
    component without a known home, in any lowvis registry."""
    obj_type = cfg['type']
    if not isinstance(obj_type, str):
        return obj_type if callable(obj_type) else None
    registry = _registry(registry_name)
    cls = registry.get(obj_type)
    if cls is None and registry_name == 'MODELS':
        for other in vars(R).values():
            if isinstance(other, type(registry)) and other.get(obj_type):
                return other.get(obj_type)
    if cls is None:
        raise ConfigError(unknown_type_message(obj_type, registry, where))
    return cls


def _check(cfg, registry_name: Optional[str], where: str) -> None:
    """Check one component and, recursively, the components it holds."""
    if isinstance(cfg, (list, tuple)):
        for i, item in _items(cfg):
            _check(item, registry_name, where + i)
        return
    if not isinstance(cfg, dict):
        return
    if 'type' not in cfg or registry_name is None:
        for key, value in cfg.items():  # e.g. model.generators.A2B
            if key != 'init_cfg':
                _check(value, _NESTED.get(key, registry_name),
                       f'{where}.{key}')
        return
    cls = _resolve(cfg, registry_name, where)
    if cls is None:
        return
    _check_args(cls, {k: v for k, v in cfg.items()
                      if k != 'type' and k not in _POPPED}, where)
    # models hold models and datasets datasets; elsewhere only known keys
    inner = registry_name if registry_name in ('MODELS', 'DATASETS') \
        else None
    for key, value in cfg.items():
        if key not in ('type', 'init_cfg'):
            _check(value, _NESTED.get(key, inner), f'{where}.{key}')


def _check_args(cls, args: dict, where: str) -> None:
    params, closed = accepted_arguments(cls)
    for base, target in _FORWARDED:
        if inspect.isclass(cls) and issubclass(cls, base):
            extra, closed = accepted_arguments(target)
            params = {**params, **extra}
    params = {k: p for k, p in params.items() if k not in _PASSED}
    name = getattr(cls, '__name__', str(cls))
    for key, value in args.items():
        if key not in params:
            if closed:
                raise ConfigError(bad_argument_message(name, key, params,
                                                       where))
            continue
        _check_value_type(name, key, value, params[key].annotation,
                          f'{where}.{key}')


_SIMPLE = {int: (int,), float: (int, float), bool: (bool, int), str: (str,)}


def _allowed_types(annotation):
    """Python types a value of ``annotation`` may have, or None when the
    annotation is not one we check (Any, Callable, classes, strings...)."""
    if annotation in _SIMPLE:
        return _SIMPLE[annotation]
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Sequence) or \
            annotation in (list, tuple, typing.Sequence):
        return (list, tuple)
    if origin is typing.Union:
        allowed = [_allowed_types(a) for a in typing.get_args(annotation)
                   if a is not type(None)]
        if any(a is None for a in allowed):
            return None
        return tuple(t for a in allowed for t in a)
    return None


def _check_value_type(component, key, value, annotation, where=''):
    """Raise :class:`ConfigError` when ``value`` cannot be ``annotation``
    (only int, float, bool, str, sequences and their unions are checked;
    None is always let through)."""
    allowed = _allowed_types(annotation)
    if value is None or allowed is None or isinstance(value, allowed):
        return
    if int in allowed and is_fraction(value):
        return  # a fraction of the run ('50%'): the lowvis runner resolves it
    name = getattr(annotation, '__name__', None) or \
        str(annotation).replace('typing.', '')
    raise ConfigError(
        f'config error: {where or key}={value!r}: {component} expects '
        f'{key} to be {name}, got {type(value).__name__}')


def _kind(value):
    if isinstance(value, bool):
        return 'a bool'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, (list, tuple)):
        return 'a list'
    if isinstance(value, dict):
        return 'a dict'
    return None


def _check_override_types(cfg, options):
    """Refuse ``--cfg-options`` values whose kind differs from the value
    they replace (a number by text, a list by a number, ...).

    Args:
        cfg: the config before the overrides are merged.
        options (dict): ``{'a.b.0.c': value}`` as mmengine's ``DictAction``
            parses them (``abc``, ``1e-4x`` stay strings).
    """
    root = cfg.to_dict() if hasattr(cfg, 'to_dict') else cfg
    for key, new in options.items():
        old = root
        for part in key.split('.'):
            if isinstance(old, (list, tuple)) and part.isdigit() \
                    and int(part) < len(old):
                old = old[int(part)]
            elif isinstance(old, dict) and part in old:
                old = old[part]
            else:
                old = None
                break
        expected = _kind(old)
        if new is None or expected is None or _kind(new) == expected or \
                (expected == 'a number' and _kind(new) == 'a bool'):
            continue
        raise ConfigError(
            f'--cfg-options {key}={new!r}: expected {expected} (the config '
            f'has {old!r}), got {type(new).__name__}')


def _warn(message: str) -> None:
    from mmengine.dist import get_rank
    if get_rank() == 0:
        print(f'warning: {message}', file=sys.stderr)
