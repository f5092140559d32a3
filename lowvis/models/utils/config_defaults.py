"""Component defaults and optional terms: the one rule for every model.

**Where defaults live.** A component's defaults are the keyword defaults of
its constructor (its signature), and nowhere else: the base configs under
``configs/_base_/models/`` state only the architecture and what a method's
reference recipe changes. A nested config argument (e.g. a model's
``contrastive=``, a branch's ``nce_loss=``) is *merged* into the signature's
default dict with :func:`merge_defaults`, key by key, as mmengine merges a
config into its base: ``contrastive=dict(nce_loss=dict(loss_weight=1.0))``
changes that one weight and keeps every other default.

**Is an optional term on?** :func:`loss_enabled` answers it for every model:
a loss config is off when it is ``None`` (or empty) or its ``loss_weight``
is 0; :func:`build_optional` builds it or returns ``None``.
"""
import copy
import inspect
from typing import Optional

from lowvis.registry import MODELS
from lowvis.utils.config_errors import accepted_arguments, check_kwargs

__all__ = ['merge_defaults', 'loss_enabled', 'build_optional']

DELETE_KEY = '_delete_'


def merge_defaults(defaults: Optional[dict],
                   given: Optional[dict]) -> Optional[dict]:
    """Merge the config ``given`` into the signature's ``defaults``.

    Dicts merge recursively; any other value in ``given`` replaces the
    default. A sub-dict of ``given`` replaces its default instead of merging
    when it carries ``_delete_=True`` (mmengine's spelling, dropped here) or
    names another ``type`` (another component has other arguments).
    ``given=None`` returns ``None`` (the caller turns the part off);
    ``defaults`` is never modified.

    Example::

        >>> merge_defaults(dict(type='L1Loss', loss_weight=1.0),
        ...                dict(loss_weight=0.5))
        {'type': 'L1Loss', 'loss_weight': 0.5}
    """
    if given is None:
        return None
    given = dict(given)
    if defaults is None or given.pop(DELETE_KEY, False) or (
            'type' in given and 'type' in defaults
            and given['type'] != defaults['type']):
        return {k: _strip_delete(v) for k, v in given.items()}
    merged = copy.deepcopy(dict(defaults))
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_defaults(merged[key], value)
        else:
            merged[key] = _strip_delete(value)
    _check_arguments(merged)
    return merged


def _check_arguments(cfg):
    """One-line :class:`ConfigError` when a merged component config has
    an argument its registered class does not take (a config typo merged
    into a default, e.g. ``model.loss_cycle.loss_wieght=10``)."""
    cls = MODELS.get(cfg['type']) if isinstance(cfg.get('type'), str) \
        else None
    if inspect.isclass(cls) and accepted_arguments(cls)[1]:  # no **kwargs
        check_kwargs(cls.__name__, {k: v for k, v in cfg.items()
                                    if k != 'type'}, cls)


def _strip_delete(value):
    if not isinstance(value, dict):
        return value
    return {k: _strip_delete(v) for k, v in value.items() if k != DELETE_KEY}


def loss_enabled(cfg: Optional[dict]) -> bool:
    """A loss config is on unless it is None/empty or has ``loss_weight`` 0.

    ``loss_weight`` left out counts as on (the loss's own default weight).
    """
    return bool(cfg) and cfg.get('loss_weight', 1.0) != 0


def build_optional(cfg: Optional[dict]):
    """``MODELS.build(cfg)`` when :func:`loss_enabled`, else ``None``."""
    return MODELS.build(cfg) if loss_enabled(cfg) else None
