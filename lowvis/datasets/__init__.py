"""Datasets, samplers, image reading, transforms and layout converters.

Importing this package registers the datasets, the sampler and all
transforms in the lowvis registries.
"""
from . import converters
from .image_io import IMAGE_EXTENSIONS, list_images, read_image, write_image
from .paired_image_dataset import PairedImageDataset
from .samplers import UnpairedInfiniteSampler
from .transforms import (Flip, LoadImageFromFile, PackUnpairedInputs,
                         RandomCrop, Resize, SyntheticRain)
from .two_domain_dataset import TwoDomainDataset
from .unpaired_image_dataset import UnpairedImageDataset, draw_b_index

__all__ = [
    'IMAGE_EXTENSIONS', 'list_images', 'read_image', 'write_image',
    'TwoDomainDataset', 'UnpairedImageDataset', 'PairedImageDataset',
    'draw_b_index',
    'UnpairedInfiniteSampler', 'LoadImageFromFile', 'Resize', 'RandomCrop',
    'Flip', 'PackUnpairedInputs', 'SyntheticRain', 'converters'
]
