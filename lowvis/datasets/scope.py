"""Build pipelines in the lowvis scope when no scope is set."""
from contextlib import contextmanager
from typing import Iterator

from mmengine.registry import DefaultScope

__all__ = ['lowvis_scope_if_unset']


@contextmanager
def lowvis_scope_if_unset() -> Iterator[None]:
    """Make ``'lowvis'`` the default scope unless one is already set.

    A dataset built directly in Python (no Runner, no
    ``init_default_scope``) would otherwise resolve ``'LoadImageFromFile'``
    in mmcv's registry instead of lowvis's.
    """
    scope = None if DefaultScope.get_current_instance() else 'lowvis'
    with DefaultScope.overwrite_default_scope(scope):
        yield
