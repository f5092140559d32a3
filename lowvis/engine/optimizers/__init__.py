from .gan_optim_wrapper_dict import GANOptimWrapperDict
from .mixed_precision_optim_wrapper import (AMP_DTYPES,
                                            MixedPrecisionOptimWrapper,
                                            enable_mixed_precision)
from .multi_optim_wrapper_constructor import MultiOptimWrapperConstructor
from .optimizer_layout import (merge_optimizer_states, merge_scheduler_states,
                               upgrade_optimizer_layout)

__all__ = ['AMP_DTYPES', 'GANOptimWrapperDict', 'MixedPrecisionOptimWrapper',
           'enable_mixed_precision', 'MultiOptimWrapperConstructor',
           'merge_optimizer_states', 'merge_scheduler_states',
           'upgrade_optimizer_layout']
