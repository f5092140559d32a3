from .checkpoint_finder import find_resumable_checkpoint
from .loops import (IsolatedRNGTestLoop, IsolatedRNGValLoop,
                    ResumableIterBasedTrainLoop)
from .run_length import resolve_run_length
from .runner import LowvisRunner, TrainingInterrupted

__all__ = ['LowvisRunner', 'TrainingInterrupted', 'ResumableIterBasedTrainLoop',
           'IsolatedRNGValLoop', 'IsolatedRNGTestLoop',
           'find_resumable_checkpoint', 'resolve_run_length']
