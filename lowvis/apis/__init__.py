"""Inference: load a trained model and restore images of any size."""
from .inference import init_model, load_weights, restore, restoring_generator
from .norm_stats import SharedInstanceNormStats
from .tiling import pad_to_multiple, tile_starts, tiled_forward

__all__ = [
    'init_model', 'load_weights', 'restore', 'restoring_generator',
    'SharedInstanceNormStats', 'pad_to_multiple', 'tile_starts',
    'tiled_forward'
]
