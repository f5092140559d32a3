"""Checkpoints of the old optimizer layout: one optimizer per submodule.

Before the generator side was updated through one wrapper, checkpoints held
``optimizer = {'generators': sd, 'heads': sd, 'discriminators': sd}`` (and
the same keys in ``param_schedulers``). The new layout keeps ONE state under
``'generators'`` whose param groups are the old optimizers' groups in
generator-side order. Adam keeps per-parameter
state only, so the merge is exact: resuming continues as the old code would.
"""
import torch

from lowvis.utils.errors import CheckpointError

__all__ = ['merge_optimizer_states', 'merge_scheduler_states',
           'upgrade_optimizer_layout']

#: scheduler state entries holding one value per param group
_PER_GROUP = ('base_values', '_last_value')


def merge_optimizer_states(states, side):
    """One optimizer state dict from per-submodule ones.

    Args:
        states (dict): ``{name: optimizer state dict}`` (an optimizer
            wrapper's: torch's ``state`` and ``param_groups``, maybe
            ``loss_scaler``) for every name of ``side``.
        side (Sequence[str]): submodule names in the merged group order.

    Each old optimizer must have had one param group (no
    ``paramwise_cfg``), as every lowvis config had.

    Returns:
        dict: ``state`` renumbered, ``param_groups`` concatenated,
        mmengine's ``base_param_settings`` (group 0's);
        ``side[0]``'s other entries (its loss scaler) kept.
    """
    merged = {k: v for k, v in states[side[0]].items()
              if k not in ('state', 'param_groups')}
    merged.update(state={}, param_groups=[])
    offset = 0
    for name in side:
        old_to_new = {}
        for group in states[name]['param_groups']:
            ids = list(range(offset, offset + len(group['params'])))
            old_to_new.update(zip(group['params'], ids))
            offset += len(ids)
            merged['param_groups'].append(dict(group, params=ids))
        for old_id, value in states[name]['state'].items():
            merged['state'][old_to_new[old_id]] = value
    # mmengine's wrapper of a multi-group optimizer tracks a base setting
    # (logged as base_lr) that follows the first group
    base = {k: v for k, v in merged['param_groups'][0].items()
            if k != 'params'}
    merged['base_param_settings'] = dict(base, params=torch.zeros(1))
    return merged


def merge_scheduler_states(states, side):
    """Merge ``{name: [scheduler state, ...]}`` into one list: each
    scheduler's per-group values (``base_values``...) concatenated."""
    counts = {len(states[name]) for name in side}
    if len(counts) != 1:
        raise CheckpointError(
            f'cannot merge the param schedulers of {list(side)}: they have '
            f'{sorted(counts)} schedulers')
    merged = []
    for parts in zip(*(states[name] for name in side)):
        state = dict(parts[0])
        for key in _PER_GROUP:
            if isinstance(state.get(key), list):
                values = [v for part in parts for v in part[key]]
                # + the wrapper's base setting, which follows group 0
                state[key] = values + values[:1]
        merged.append(state)
    return merged


def upgrade_optimizer_layout(checkpoint, sides):
    """Rewrite an old-layout checkpoint in place; True if it was one.

    Args:
        checkpoint (dict): with ``optimizer`` (and ``param_schedulers``).
        sides (dict): ``{wrapper name: submodule names}`` of the wrappers
            shared by several submodules (e.g. ``{'generators':
            ('generators', 'heads')}``).
    """
    optimizer = checkpoint.get('optimizer')
    if not isinstance(optimizer, dict):
        return False
    changed = False
    for key, side in sides.items():
        old = [name for name in side[1:] if name in optimizer]
        if not old:
            continue
        absent = [name for name in side if name not in optimizer]
        if absent:
            raise CheckpointError(
                f'checkpoint has optimizer states {sorted(optimizer)}, '
                f'missing {absent} of the generator side {list(side)}')
        states = {name: optimizer.pop(name) for name in side}
        optimizer[key] = merge_optimizer_states(states, side)
        schedulers = checkpoint.get('param_schedulers')
        if isinstance(schedulers, dict) and all(n in schedulers
                                                for n in side):
            states = {name: schedulers.pop(name) for name in side}
            schedulers[key] = merge_scheduler_states(states, side)
        changed = True
    return changed
