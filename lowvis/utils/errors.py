"""Exceptions whose message is a complete, one-line explanation for users.

The command-line tools catch :class:`LowvisError` and print its message alone
(no traceback), so every message must say *what* went wrong and *where*
(a path, a config key, a component name) and, where useful, how to fix it.
"""


class LowvisError(Exception):
    """Base class: a user-facing error with a one-line message."""


class DataError(LowvisError):
    """A dataset folder is missing, empty, or its files do not pair up."""


class ImageReadError(LowvisError):
    """An image file cannot be read or decoded."""


class ConfigError(LowvisError, ValueError):
    """A config names an unknown component or passes a bad argument.

    Every constructor-argument check raises it (a ``ValueError`` too, so
    callers that catch ``ValueError`` keep working).
    """


class CheckpointError(LowvisError):
    """A checkpoint is missing, corrupt, unsafe, or of another model."""


class MissingWeightsError(LowvisError):
    """Pretrained weights that cannot be downloaded here are not on disk."""


class NonFiniteLossError(LowvisError):
    """A loss term became NaN or infinite during training."""
