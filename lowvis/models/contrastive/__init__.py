"""The contrastive machinery of CUT, DCLGAN and DCD-GAN.

:class:`ContrastiveBranch` (projection heads + patch sampler + negative
sampler + PatchNCE loss), :class:`PatchSampler` and the negative samplers.
A plugin sampler subclasses :class:`BaseNegativeSampler` (declaring
``needs_other_keys``) and may use the exported checks and draws below.
"""
from .base_negative_sampler import (BaseNegativeSampler, check_count,
                                    check_keys, check_other_keys,
                                    keep_random_entries)
from .contrastive_branch import ContrastiveBranch, SidePatches
from .dual_negative_sampler import (CompositeNegativeSampler,
                                    DualNegativeSampler)
from .external_negative_sampler import ExternalNegativeSampler
from .internal_negative_sampler import InternalNegativeSampler
from .patch_sampler import PatchSampler
from .sampling_utils import draw_rand, draw_randperm

__all__ = [
    'BaseNegativeSampler', 'CompositeNegativeSampler', 'ContrastiveBranch',
    'DualNegativeSampler', 'ExternalNegativeSampler',
    'InternalNegativeSampler', 'PatchSampler', 'SidePatches', 'check_count',
    'check_keys', 'check_other_keys', 'draw_rand', 'draw_randperm',
    'keep_random_entries'
]
