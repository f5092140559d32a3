"""Inference without PyTorch: a restoring generator exported to ONNX
(``tools/export.py``) run by ONNX Runtime, with the same tiling, padding and
image handling as :func:`lowvis.apis.restore`.

Nothing in this package imports torch; :mod:`lowvis.apis` builds on
:mod:`.tile_grid` and :mod:`.image_layout` so that both back-ends share one
definition of the tile grid, the blending window and the image layouts.
"""
from .image_layout import load_image, save_image
from .onnx_restorer import OnnxRestorer
from .tile_grid import tiled_forward

__all__ = ['OnnxRestorer', 'load_image', 'save_image', 'tiled_forward']
