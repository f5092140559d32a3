from .errors import (CheckpointError, ConfigError, DataError, ImageReadError,
                     LowvisError, MissingWeightsError, NonFiniteLossError)

__all__ = [
    'LowvisError', 'DataError', 'ImageReadError', 'ConfigError',
    'CheckpointError', 'MissingWeightsError', 'NonFiniteLossError'
]
