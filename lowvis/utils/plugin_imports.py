"""Import the plugin modules a config lists, with one-line errors.

A config names the modules that register its components in
``custom_imports = dict(imports=['plugins.x'])``. :func:`import_plugins`
imports them before mmengine does and turns each failure into a one-line
:class:`~lowvis.utils.errors.ConfigError`: a module not found (with the
closest name, or the folder to run from), an import error with the file
and line it came from, or a name registered twice, with both classes' file
and line (:class:`LowvisRegistry` checks before registering). lowvis's own
components are imported first, so a plugin is always the newcomer.
"""
import difflib
import importlib
import inspect
import os
import os.path as osp
import pkgutil
import sys
import sysconfig
import traceback
import warnings
from typing import List, Optional

from mmengine.registry import Registry

from .errors import ConfigError

__all__ = ['LowvisRegistry', 'DuplicateNameError', 'import_builtins',
           'import_plugins', 'import_config_plugins', 'explain_plugin_error',
           'find_registered']

_LIBRARY_DIRS = tuple(osp.realpath(sysconfig.get_paths()[k]) + os.sep
                      for k in ('stdlib', 'purelib', 'platlib'))


def _short(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it."""
    path, cwd = osp.realpath(path), osp.realpath(os.getcwd())
    return osp.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


def _where(cls) -> str:
    """``module.Class (file:line)`` of a class or function."""
    label = f'{cls.__module__}.{cls.__qualname__}'
    try:
        path, line = inspect.getsourcefile(cls), inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return label
    return f'{label} ({_short(path)}:{line})'


class DuplicateNameError(ConfigError):
    """A class registered under a name its registry already holds;
    ``detail`` is the message without the newcomer's name in front."""

    def __init__(self, message: str, detail: str = ''):
        super().__init__(message)
        self.detail = detail or message


class LowvisRegistry(Registry):
    """mmengine's Registry, refusing a taken name with both classes named
    (:class:`DuplicateNameError`) before mmengine would raise."""

    def register_module(self, name=None, force=False, module=None):
        def check(cls):
            for key in ([name] if isinstance(name, str) else name) or \
                    [cls.__name__]:
                held = self.module_dict.get(key)
                if held is not None and not force:
                    detail = (
                        f"registers '{key}' in lowvis's {self.name} "
                        f'registry, but {_where(held)} already holds that '
                        f'name; the new one is {_where(cls)}: rename one of '
                        'them or register it under another name '
                        '(register_module(name=...))')
                    raise DuplicateNameError(f'{_where(cls)} {detail}',
                                             detail)
            return cls

        if module is not None:
            return super().register_module(name, force, check(module))
        register = super().register_module(name, force)
        return lambda cls: register(check(cls))


def _lowvis_registries():
    from lowvis import registry
    return [r for r in vars(registry).values() if isinstance(r, Registry)]


def import_builtins() -> None:
    """Import every lowvis package that fills a lowvis registry."""
    for registry in _lowvis_registries():
        registry.import_from_location()


def find_registered(name: str):
    """``(registry, class)`` of a lowvis component called ``name``, or None
    (lowvis's registries only, built-ins imported first)."""
    import_builtins()
    for registry in _lowvis_registries():
        if name in registry.module_dict:
            return registry, registry.module_dict[name]
    return None


def _origin(exc: BaseException) -> str:
    """``file:line`` where an import error was raised, in user code when
    the traceback passes through it."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f'{_short(exc.filename)}:{exc.lineno}'
    entries = [e for e in traceback.extract_tb(exc.__traceback__)
               if not e.filename.startswith('<')]
    user = [e for e in entries
            if not osp.realpath(e.filename).startswith(_LIBRARY_DIRS)]
    chosen = (user or entries or [None])[-1]
    return f'{_short(chosen.filename)}:{chosen.lineno}' if chosen else ''


def _not_found(exc: BaseException, module_name: str) -> Optional[str]:
    """Why the plugin module itself (or its package) is missing, or None
    when ``exc`` is about something else."""
    missing = getattr(exc, 'name', None)
    if not isinstance(exc, ModuleNotFoundError) or missing is None or not (
            module_name == missing or module_name.startswith(missing + '.')):
        return None
    parent, _, leaf = missing.rpartition('.')
    package = sys.modules.get(parent) if parent else None
    if package is None or not hasattr(package, '__path__'):
        return (f"{exc}; run the tool from the folder that contains "
                f"'{module_name.split('.')[0]}/' (now {os.getcwd()}) or add "
                'that folder to PYTHONPATH')
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    close = difflib.get_close_matches(leaf, names, n=3)
    hint = (f"; did you mean {', '.join(f'{parent}.{c}' for c in close)}?"
            if close else f"; it has: {', '.join(names) or 'nothing'}")
    return (f"package '{parent}' ({_short(list(package.__path__)[0])}) has "
            f"no module '{leaf}'{hint}")


def explain_plugin_error(exc: BaseException, module_name: str,
                         source: Optional[str] = None) -> str:
    """One line saying why importing plugin ``module_name`` (listed in
    config ``source``) failed with ``exc``."""
    prefix = f'custom_imports in {source}: ' if source else ''
    if isinstance(exc, DuplicateNameError):
        return f"{prefix}plugin '{module_name}' {exc.detail}"
    missing = _not_found(exc, module_name)
    if missing:
        return f"{prefix}cannot import plugin '{module_name}': {missing}"
    detail = str(exc).splitlines()[0] if str(exc) else ''
    origin = _origin(exc)
    at = f' (at {origin})' if origin else ''
    return (f"{prefix}plugin '{module_name}' failed to import: "
            f'{type(exc).__name__}: {detail}{at}')


def import_plugins(custom_imports, source: Optional[str] = None) -> list:
    """Import plugin modules; raise a one-line :class:`ConfigError` on error.

    Args:
        custom_imports: a config's ``custom_imports`` (dict with
            ``imports`` and ``allow_failed_imports``), or module name(s).
        source: the config file, named in messages.

    Returns:
        The imported modules (with ``allow_failed_imports=True`` failed ones
        are left out and warned about).
    """
    names, allow_failed = custom_imports or [], False
    if isinstance(names, dict):
        allow_failed = bool(names.get('allow_failed_imports', False))
        names = names.get('imports', [])
    names = [names] if isinstance(names, str) else list(names)
    if names:
        import_builtins()
    modules = []
    for name in names:
        if not isinstance(name, str) or not name:
            raise ConfigError(f'custom_imports in {source}: module names '
                              f'must be non-empty strings, got {name!r}')
        try:
            modules.append(importlib.import_module(name))
        except Exception as exc:  # any failure of the plugin's own code
            message = explain_plugin_error(exc, name, source)
            if not allow_failed:
                raise ConfigError(message) from exc
            warnings.warn(message + ' (skipped: allow_failed_imports=True)')
    return modules


def import_config_plugins(path: str,
                          cfg_options: Optional[dict] = None) -> List[object]:
    """Import the ``custom_imports`` of config ``path`` (``cfg_options``
    applied first), with the current folder on ``sys.path``. A config that
    cannot be read is left to the tool's loader; this returns ``[]``."""
    from mmengine.config import Config
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        cfg = Config.fromfile(path, import_custom_modules=False)
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
    except Exception:  # reported by the tool's load_config
        return []
    custom_imports = cfg.get('custom_imports')
    if hasattr(custom_imports, 'to_dict'):
        custom_imports = custom_imports.to_dict()
    return import_plugins(custom_imports, source=path)
