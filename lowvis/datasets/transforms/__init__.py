"""Data transforms: loading, resizing, cropping, flipping, packing, and
synthetic rain with the base class of synthetic degradations."""
from .flip import Flip
from .load_image_from_file import LoadImageFromFile
from .pack_unpaired_inputs import PackUnpairedInputs
from .random_crop import RandomCrop
from .resize import Resize
from .synthetic_degradation import SyntheticDegradation
from .synthetic_rain import SyntheticRain

__all__ = [
    'LoadImageFromFile', 'Resize', 'RandomCrop', 'Flip', 'PackUnpairedInputs',
    'SyntheticDegradation', 'SyntheticRain'
]
