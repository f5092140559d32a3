from .loops import (IsolatedRNGTestLoop, IsolatedRNGValLoop,
                    ResumableIterBasedTrainLoop)

__all__ = ['ResumableIterBasedTrainLoop', 'IsolatedRNGValLoop',
           'IsolatedRNGTestLoop']
