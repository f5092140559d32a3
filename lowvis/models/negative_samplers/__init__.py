"""Patch sampling and the sources of contrastive negatives."""
from .base_negative_sampler import BaseNegativeSampler
from .dual_negative_sampler import DualNegativeSampler
from .external_negative_sampler import ExternalNegativeSampler
from .internal_negative_sampler import InternalNegativeSampler
from .patch_sampler import PatchSampler

__all__ = [
    'BaseNegativeSampler', 'InternalNegativeSampler',
    'ExternalNegativeSampler', 'DualNegativeSampler', 'PatchSampler'
]
