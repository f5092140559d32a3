from .hooks import (InterruptHook, PlainCheckpointHook, RunHeaderHook,
                    TranslationVisualizationHook, ValidationImagesHook)
from .optimizers import MultiOptimWrapperConstructor
from .runner import (IsolatedRNGTestLoop, IsolatedRNGValLoop, LowvisRunner,
                     ResumableIterBasedTrainLoop, TrainingInterrupted,
                     find_resumable_checkpoint)

__all__ = ['PlainCheckpointHook', 'TranslationVisualizationHook',
           'InterruptHook', 'RunHeaderHook', 'ValidationImagesHook',
           'MultiOptimWrapperConstructor', 'ResumableIterBasedTrainLoop',
           'IsolatedRNGValLoop', 'IsolatedRNGTestLoop', 'LowvisRunner',
           'TrainingInterrupted', 'find_resumable_checkpoint']
