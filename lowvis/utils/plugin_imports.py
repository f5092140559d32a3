"""Import the plugin modules a config lists, with one-line errors.

A config names the modules that register its own components::

    custom_imports = dict(imports=['plugins.hard_negatives'],
                          allow_failed_imports=False)

mmengine imports them while it reads the config; when that fails the user
sees a many-line ``ImportError`` that lists ``sys.path``, or the registry's
``KeyError: 'X is already registered in model at lowvis.models...'``, which
names only the first of the two classes. :func:`import_plugins` imports the
modules itself, before mmengine does, and turns each failure into a
:class:`~lowvis.utils.errors.ConfigError` with one line that names

* the plugin module and the import error with the file and line it came
  from (a plugin that is not found also says which folder to run from);
* for a name registered twice, both places: the class that holds the name
  and the one that tried to take it, each with its module, file and line.

lowvis's own components are imported first (:func:`import_builtins`), so a
plugin that reuses a built-in name is always the one reported as the
newcomer.

Tools call ``import_config_plugins(config_path, cfg_options)`` before they
read the config (the plugins are then already imported and mmengine's own
import of them is a no-op).
"""
import difflib
import importlib
import inspect
import os
import os.path as osp
import pkgutil
import re
import sys
import sysconfig
import traceback
import warnings
from typing import List, Optional, Sequence, Union

from .errors import ConfigError

__all__ = ['import_builtins', 'import_plugins', 'import_config_plugins',
           'explain_plugin_error', 'find_registered']

_DUPLICATE = re.compile(r'(\S+) is already registered in (.+) at (\S+)')
_LIBRARY_DIRS = tuple(
    osp.realpath(p) + os.sep for p in {
        sysconfig.get_paths()['stdlib'], sysconfig.get_paths()['purelib'],
        sysconfig.get_paths()['platlib']
    })


def _lowvis_registries():
    from mmengine.registry import Registry

    from lowvis import registry as reg
    return [r for r in vars(reg).values() if isinstance(r, Registry)]


def import_builtins() -> None:
    """Import every lowvis package that fills a lowvis registry."""
    for registry in _lowvis_registries():
        registry.import_from_location()


def find_registered(name: str):
    """``(registry, class)`` of a lowvis component called ``name``, or None.

    Looks in every lowvis registry (built-ins imported first), not in
    mmengine's.
    """
    import_builtins()
    for registry in _lowvis_registries():
        if name in registry.module_dict:
            return registry, registry.module_dict[name]
    return None


def _short(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it."""
    path = osp.realpath(path)
    cwd = osp.realpath(os.getcwd())
    return osp.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


def _where(cls) -> str:
    """``module.Class (file:line)`` of a registered class or function."""
    label = f'{getattr(cls, "__module__", "?")}.' \
            f'{getattr(cls, "__qualname__", cls)}'
    try:
        path = inspect.getsourcefile(cls)
        line = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return label
    return f'{label} ({_short(path)}:{line})'


def _frames(exc: BaseException) -> list:
    frames, tb = [], exc.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    return frames


def _duplicate_message(exc: KeyError, module_name: str) -> Optional[str]:
    """Both places of a name registered twice, or None if ``exc`` is not
    the registry's "already registered" error."""
    text = str(exc.args[0]) if exc.args else ''
    match = _DUPLICATE.search(text)
    if not match:
        return None
    name, registry_name, _ = match.groups()
    frames = _frames(exc)
    hits = [i for i, tb in enumerate(frames)
            if tb.tb_frame.f_code.co_name == '_register_module']
    if not hits:  # raised by other code with the same wording
        return (f"plugin '{module_name}': {text}; rename the new class or "
                "register it under another name (register_module(name=...))")
    frame = frames[hits[-1]].tb_frame
    existing = frame.f_locals.get('existed_module')
    new = frame.f_locals.get('module')
    registry = frame.f_locals.get('self')
    registry_name = getattr(registry, 'name', registry_name)
    site = ''
    registry_file = frame.f_code.co_filename
    for tb in reversed(frames[:hits[-1]]):
        if tb.tb_frame.f_code.co_filename != registry_file:
            site = f' ({_short(tb.tb_frame.f_code.co_filename)}:' \
                   f'{tb.tb_lineno})'
            break
    new_label = (f'{getattr(new, "__module__", module_name)}.'
                 f'{getattr(new, "__qualname__", name)}{site}')
    return (f"plugin '{module_name}' registers '{name}' in lowvis's "
            f"{registry_name} registry, but {_where(existing)} already holds "
            f"that name; the new one is {new_label}: rename one of them or "
            "register it under another name (register_module(name=...))")


def _origin(exc: BaseException) -> str:
    """File and line where an import error was raised, library files
    skipped when the traceback passes through user code."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f'{_short(exc.filename)}:{exc.lineno}'
    entries = [e for e in traceback.extract_tb(exc.__traceback__)
               if not e.filename.startswith('<')]
    user = [e for e in entries
            if not osp.realpath(e.filename).startswith(_LIBRARY_DIRS)]
    chosen = (user or entries or [None])[-1]
    return '' if chosen is None else f'{_short(chosen.filename)}:' \
                                     f'{chosen.lineno}'


def _not_found(exc: BaseException, module_name: str) -> bool:
    """True when the plugin module itself (or a parent package) is missing,
    as opposed to a module the plugin imports."""
    missing = getattr(exc, 'name', None)
    return (isinstance(exc, ModuleNotFoundError) and missing is not None
            and (module_name == missing
                 or module_name.startswith(missing + '.')))


def _missing_submodule(missing: str) -> Optional[str]:
    """For ``pkg.sub`` missing from an importable package ``pkg``: which
    package lacks it and the closest names it has; else None."""
    parent, _, leaf = missing.rpartition('.')
    package = sys.modules.get(parent) if parent else None
    if package is None or not hasattr(package, '__path__'):
        return None
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    close = difflib.get_close_matches(leaf, names, n=3)
    hint = (f"; did you mean {', '.join(f'{parent}.{c}' for c in close)}?"
            if close else f"; it has: {', '.join(names) or 'nothing'}")
    where = _short(list(package.__path__)[0])
    return f"package '{parent}' ({where}) has no module '{leaf}'{hint}"


def explain_plugin_error(exc: BaseException, module_name: str,
                         source: Optional[str] = None) -> str:
    """One line describing why importing plugin ``module_name`` failed.

    Args:
        exc: the exception the import raised.
        module_name: the dotted name listed in ``custom_imports``.
        source: the config file that lists it, named in the message.
    """
    prefix = f'custom_imports in {source}: ' if source else ''
    if isinstance(exc, KeyError):
        message = _duplicate_message(exc, module_name)
        if message:
            return prefix + message
    if _not_found(exc, module_name):
        missing_in_package = _missing_submodule(exc.name)
        if missing_in_package:
            return (f"{prefix}cannot import plugin '{module_name}': "
                    f'{missing_in_package}')
        top = module_name.split('.')[0]
        return (f"{prefix}cannot import plugin '{module_name}': {exc}; run "
                f"the tool from the folder that contains '{top}/' (now "
                f"{os.getcwd()}) or add that folder to PYTHONPATH")
    detail = str(exc).splitlines()[0] if str(exc) else ''
    origin = _origin(exc)
    at = f' (at {origin})' if origin else ''
    return (f"{prefix}plugin '{module_name}' failed to import: "
            f'{type(exc).__name__}: {detail}{at}')


def _module_names(custom_imports) -> List[str]:
    if custom_imports is None:
        return []
    if isinstance(custom_imports, str):
        return [custom_imports]
    if isinstance(custom_imports, dict):
        names = custom_imports.get('imports', [])
        return [names] if isinstance(names, str) else list(names)
    return list(custom_imports)


def import_plugins(custom_imports: Union[None, str, Sequence[str], dict],
                   source: Optional[str] = None) -> List[object]:
    """Import plugin modules; raise a one-line :class:`ConfigError` on error.

    Args:
        custom_imports: a config's ``custom_imports`` dict (``imports``,
            ``allow_failed_imports``), or module names.
        source: the config file, named in messages.

    Returns:
        The imported modules (failed ones left out when
        ``allow_failed_imports`` is true: they are reported as warnings).
    """
    allow_failed = isinstance(custom_imports, dict) and bool(
        custom_imports.get('allow_failed_imports', False))
    names = _module_names(custom_imports)
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
    """Import the ``custom_imports`` of config ``path`` (see module doc).

    The current folder is put on ``sys.path`` first, as the tools do. A
    config that cannot be read is left to the tool's own config loading,
    which reports it; this returns ``[]`` then.

    Args:
        path: config file.
        cfg_options: ``--cfg-options`` overrides, applied before
            ``custom_imports`` is read.
    """
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
