"""One-line messages for config mistakes, found by reading signatures.

Nothing here parses mmengine's error text: a component's accepted
arguments come from ``inspect.signature`` of its class and of the bases its
``**kwargs`` are forwarded to, and an unknown type is looked up in the
registry it should be in.
"""
import difflib
import inspect

import torch.nn as nn

from .errors import ConfigError

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD,
          inspect.Parameter.KEYWORD_ONLY)


def accepted_arguments(obj):
    """``(params, closed)``: the keyword arguments ``obj`` accepts, as a
    dict ``{name: inspect.Parameter}``.

    For a class, its ``__init__`` and, while an ``__init__`` takes
    ``**kwargs``, the bases' along the MRO. ``closed`` is False when the
    chain ends in ``**kwargs`` that no base names (the class consumes them
    itself), so unknown names cannot be told from valid ones.
    """
    names = {}
    inits = [vars(k)['__init__'] for k in obj.__mro__
             if '__init__' in vars(k) and k not in (object, nn.Module)] \
        if inspect.isclass(obj) else [obj]
    for init in inits:
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):  # builtins without a signature
            return names, False
        for p in params:
            if p.kind in _NAMED and p.name != 'self':
                names.setdefault(p.name, p)
        if all(p.kind != p.VAR_KEYWORD for p in params):
            return names, True
    return names, False


def bad_argument_message(component, arg, accepted, where=''):
    lower = {a.lower(): a for a in accepted}
    close = difflib.get_close_matches(arg.lower(), list(lower), n=1)
    hint = f" (did you mean '{lower[close[0]]}'?)" if close else ''
    at = f' (in {where})' if where else ''
    return (f"config error: {component} does not accept '{arg}'{hint}; "
            f"it accepts: {', '.join(accepted)}{at}")


def unknown_type_message(name, registry, where=''):
    registry.import_from_location()
    known, parent = set(registry.module_dict), registry.parent
    while parent is not None:
        known |= set(parent.module_dict)
        parent = parent.parent
    close = difflib.get_close_matches(str(name), sorted(known), n=3,
                                      cutoff=0.5)
    hint = (f'; did you mean {", ".join(close)}? (a plugin\'s module must '
            'be listed in custom_imports)') if close else \
        '; is the module that registers it in custom_imports?'
    at = f' (in {where})' if where else ''
    return (f"config error: type='{name}' is not registered in lowvis's "
            f'{registry.name} registry{hint}{at}')


def check_kwargs(component, kwargs, *functions):
    """Raise :class:`ConfigError` if ``kwargs`` has a key that none of
    ``functions`` (e.g. a class's and its base's ``__init__``) accepts.

    For components that forward ``**kwargs`` to a base class, so that a typo
    is reported under the component's own name with every accepted argument.
    """
    accepted = []
    for func in functions:
        accepted += [a for a in accepted_arguments(func)[0]
                     if a not in accepted]
    for arg in kwargs:
        if arg not in accepted:
            raise ConfigError(bad_argument_message(component, arg, accepted))
