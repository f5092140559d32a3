"""Turn mmengine's build errors into one-line, actionable messages."""
import difflib
import inspect
import re

from mmengine.registry import Registry

from .errors import ConfigError

_UNKNOWN_TYPE = re.compile(r'(\S+) is not in the (?:(\w+)::)?([\w ]+) registry')
_BAD_KWARG = re.compile(
    r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'")


def _lowvis_registries():
    from lowvis import registry as reg
    return {r.name: r for r in vars(reg).values() if isinstance(r, Registry)}


def _all_names(registry):
    """Names registered in ``registry`` (after its lazy imports) and parents."""
    registry.import_from_location()
    names = set(registry.module_dict)
    parent = registry.parent
    while parent is not None:
        names |= set(parent.module_dict)
        parent = parent.parent
    return names


def _find_class(name):
    for registry in _lowvis_registries().values():
        registry.import_from_location()
        cls = registry.get(name)
        if cls is not None:
            return cls
    return None


def explain_build_error(exc):
    """Return a one-line explanation of ``exc`` or ``None`` if unknown."""
    text = str(exc.args[0]) if exc.args else str(exc)
    match = _UNKNOWN_TYPE.search(text)
    if isinstance(exc, KeyError) and match:
        obj_type, _, reg_name = match.groups()
        registry = _lowvis_registries().get(reg_name.strip())
        names = sorted(_all_names(registry)) if registry else []
        close = difflib.get_close_matches(obj_type, names, n=3, cutoff=0.5)
        hint = '; is the module that registers it in custom_imports?'
        if close:
            hint = f'; did you mean {", ".join(close)}? (a plugin\'s ' \
                'module must be listed in custom_imports)'
        return (f"config error: type='{obj_type}' is not registered in "
                f"lowvis's {reg_name.strip()} registry{hint}")
    match = _BAD_KWARG.search(text)
    if isinstance(exc, TypeError) and match:
        cls_name, arg = match.groups()
        cls = _find_class(cls_name)
        accepted = []
        if cls is not None:
            params = inspect.signature(cls.__init__).parameters
            accepted = [p for p in params if p not in ('self', 'args',
                                                       'kwargs')]
        return _bad_argument_message(cls_name, arg, accepted)
    return None


def _bad_argument_message(component, arg, accepted):
    lower = {a.lower(): a for a in accepted}
    close = difflib.get_close_matches(arg.lower(), list(lower), n=1)
    hint = f" (did you mean '{lower[close[0]]}'?)" if close else ''
    return (f"config error: {component} does not accept '{arg}'{hint}; "
            f"it accepts: {', '.join(accepted)}")


def check_kwargs(component, kwargs, *functions):
    """Raise :class:`ConfigError` if ``kwargs`` has a key that none of
    ``functions`` (e.g. a class's and its base's ``__init__``) accepts.

    For components that forward ``**kwargs`` to a base class, so that a typo
    is reported under the component's own name with every accepted argument.
    """
    accepted = []
    for func in functions:
        accepted += [p for p in inspect.signature(func).parameters
                     if p not in ('self', 'args', 'kwargs')
                     and p not in accepted]
    for arg in kwargs:
        if arg not in accepted:
            raise ConfigError(_bad_argument_message(component, arg,
                                                    accepted))
