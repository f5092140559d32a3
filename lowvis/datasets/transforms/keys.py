"""Shared argument check for transforms acting on several image keys."""
from typing import Sequence, Tuple, Union

from lowvis.utils.errors import ConfigError

__all__ = ['as_keys']


def as_keys(keys: Union[str, Sequence[str]]) -> Tuple[str, ...]:
    """``'img_A'`` or ``['img_A', 'img_B']`` -> a non-empty tuple of keys."""
    if isinstance(keys, str):
        keys = (keys, )
    keys = tuple(keys)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ConfigError(f'keys must be a str or a list of str, got {keys!r}')
    return keys
