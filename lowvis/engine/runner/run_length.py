"""A run's length is one number: resolve fractions of ``max_iters``.

Configs state iteration counts that scale with the run as fractions of
``train_cfg.max_iters``, written as strings: a percentage (``'50%'``) or a
ratio of whole numbers (``'1/6'``, ``'10/600'``: every 10 of 600 epochs)::

    train_cfg = dict(max_iters=1200, val_interval='1/6')  # every 200
    param_scheduler = [dict(type='LinearLR', ..., begin='50%', end='100%')]
    default_hooks = dict(checkpoint=dict(interval='50%'))

:func:`resolve_run_length` turns every such value in ``train_cfg``,
``param_scheduler``, ``default_hooks`` and ``custom_hooks`` into iterations
(``round(fraction * max_iters)``; intervals at least 1) before the runner
builds anything, so ``--cfg-options train_cfg.max_iters=N`` (or
``tools/train.py --iters N``) alone gives a consistent run: the lr decays
over the same part of it, and it is checkpointed, validated and visualised
as often relative to its length. A plain integer (in the config or given
with ``--cfg-options``) is taken as it is, so explicit overrides win.
"""
import re

from lowvis.utils.errors import ConfigError

__all__ = ['resolve_run_length', 'check_max_iters', 'is_fraction']

_PERCENT = re.compile(r'^\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$')
_RATIO = re.compile(r'^\s*(\d+)\s*/\s*(\d+)\s*$')
_SECTIONS = ('train_cfg', 'param_scheduler', 'default_hooks', 'custom_hooks')


def is_fraction(value):
    """Whether ``value`` is a fraction of the run (``'50%'``, ``'1/6'``)."""
    return isinstance(value, str) and (_PERCENT.match(value) is not None or
                                       _RATIO.match(value) is not None)


def _fraction(value, key):
    ratio = _RATIO.match(value)
    if ratio:
        num, den = int(ratio.group(1)), int(ratio.group(2))
        if den == 0:
            raise ConfigError(f'{key}={value!r}: division by zero')
        fraction = num / den
    else:
        fraction = float(_PERCENT.match(value).group(1)) / 100
    if fraction > 1:
        raise ConfigError(f'{key}={value!r}: a fraction of the run must be '
                          'at most 100%')
    return fraction


def _iterations(value, key, max_iters):
    iters = int(_fraction(value, key) * max_iters + 0.5)
    if key.rsplit('.', 1)[-1].endswith('interval'):
        iters = max(iters, 1)
    return iters


def _resolve(node, key, max_iters):
    """Replace the fractions in ``node`` (a dict or list) in place."""
    items = node.items() if hasattr(node, 'items') else enumerate(node)
    for name, value in list(items):
        where = f'{key}.{name}'
        if is_fraction(value):
            node[name] = _iterations(value, where, max_iters)
        elif isinstance(value, (dict, list)) or hasattr(value, 'items'):
            _resolve(value, where, max_iters)
    return node


def _keep_schedules_valid(schedulers, original):
    """A scheduler whose fractions round to ``end <= begin`` keeps one step."""
    for now, before in zip(schedulers, original):
        if (isinstance(now, dict) and is_fraction(before.get('begin'))
                and isinstance(now.get('end'), int)
                and now['begin'] >= now['end']):
            now['begin'] = max(now['end'] - 1, 0)


def check_max_iters(cfg):
    """Return ``cfg.train_cfg.max_iters``; refuse a missing or non-positive
    value with one :class:`ConfigError` line."""
    train_cfg = cfg.get('train_cfg') or {}
    max_iters = train_cfg.get('max_iters')
    if isinstance(max_iters, bool) or not isinstance(max_iters, int):
        raise ConfigError(f'train_cfg.max_iters must be a whole number of '
                          f'iterations, got {max_iters!r}')
    if max_iters <= 0:
        raise ConfigError(f'train_cfg.max_iters must be at least 1, got '
                          f'{max_iters}: nothing would be trained')
    return max_iters


def resolve_run_length(cfg):
    """Turn the percentages of the run in ``cfg`` into iterations, in place.

    Args:
        cfg (mmengine.Config): a training config (``train_cfg.max_iters``
            set); a config without ``train_cfg`` is returned unchanged.

    Returns:
        mmengine.Config: ``cfg``.

    Raises:
        ConfigError: ``max_iters`` is not a positive integer, or a
            percentage is over 100.
    """
    if not cfg.get('train_cfg'):
        return cfg
    max_iters = check_max_iters(cfg)
    for section in _SECTIONS:
        node = cfg.get(section)
        if isinstance(node, (dict, list)) or hasattr(node, 'items'):
            original = [dict(s) if isinstance(s, dict) else s
                        for s in node] if isinstance(node, list) else None
            _resolve(node, section, max_iters)
            if section == 'param_scheduler' and original is not None:
                _keep_schedules_valid(node, original)
    return cfg
