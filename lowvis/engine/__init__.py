from . import checkpoint_io  # noqa: F401  (registers the safe loader)
from .hooks import PlainCheckpointHook, TranslationVisualizationHook
from .optimizers import MultiOptimWrapperConstructor
from .runner import (IsolatedRNGTestLoop, IsolatedRNGValLoop,
                     ResumableIterBasedTrainLoop)

__all__ = ['PlainCheckpointHook', 'TranslationVisualizationHook',
           'MultiOptimWrapperConstructor', 'ResumableIterBasedTrainLoop',
           'IsolatedRNGValLoop', 'IsolatedRNGTestLoop']
