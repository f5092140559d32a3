"""Test-only fault injection: exit like a killed process inside a save.

Importing this module (a config's ``custom_imports``, or ``import
fault_injection`` with ``tests/test_engine`` on ``PYTHONPATH``) makes
lowvis's atomic writer exit with code 17 between writing the temporary
file and renaming it, when :data:`FAULT_ENV` selects the write: ``N`` (an
integer) at the N-th atomic write of the process (``1``: the first); any
other value at the write of the file with that name (e.g. ``iter_4.pth``).
Nothing changes while the variable is unset.
"""
import os
import types

from lowvis.engine import checkpoint_io

FAULT_ENV = 'LOWVIS_FAULT_BEFORE_RENAME'
_writes = 0


def _replace_or_die(src, dst, *args, **kwargs):
    global _writes
    _writes += 1
    fault = os.environ.get(FAULT_ENV, '')
    if fault.isdigit() and int(fault) == _writes or \
            fault and not fault.isdigit() and os.path.basename(dst) == fault:
        os._exit(17)  # no cleanup, no flush: as abrupt as a kill
    return os.replace(src, dst, *args, **kwargs)


# only the checkpoint writer's view of ``os`` changes
checkpoint_io.os = types.SimpleNamespace(
    **{name: getattr(os, name) for name in dir(os)
       if not name.startswith('__') and name != 'replace'},
    replace=_replace_or_die)
