"""Restore images with an exported generator on ONNX Runtime (no torch).

The model file written by ``tools/export.py`` maps ``image`` (``float32
[N, 3, H, W]``, RGB in [-1, 1]) to ``restored`` (same shape and range), with
``H`` and ``W`` dynamic. The generators need ``H`` and ``W`` to be multiples
of 4 and at least 16; :class:`OnnxRestorer` pads every image (or tile) at the
bottom and right by reflection (replication for a side too short to reflect)
and crops the output back, exactly as :func:`lowvis.apis.restore` does. This
contract is also stored in the model's metadata (:data:`CONTRACT`).
"""
import os
import os.path as osp

import numpy as np

from lowvis.utils.errors import CheckpointError
from .image_layout import from_network, split_layout, to_network
from .tile_grid import pad_to_multiple, tiled_forward

__all__ = ['CONTRACT', 'INPUT_NAME', 'OUTPUT_NAME', 'OnnxRestorer']

INPUT_NAME = 'image'
OUTPUT_NAME = 'restored'
#: metadata every exported model carries (values are strings, as ONNX wants)
CONTRACT = {
    'lowvis.format': 'restoring-generator-v1',
    'input': f'{INPUT_NAME}: float32 [N, 3, H, W], NCHW, N, H and W dynamic',
    'output': f'{OUTPUT_NAME}: float32 [N, 3, H, W], same size as the input',
    'color_order': 'RGB',
    'value_range': '[-1, 1]: uint8 x -> x / 127.5 - 1, uint16 x -> '
                   'x / 32767.5 - 1; the output maps back the same way',
    'size_multiple': '4',
    'min_size': '16',
    'padding': 'the caller pads H and W at the bottom/right up to a multiple '
               'of size_multiple and at least min_size, by reflection '
               '(replication for a side shorter than its padding + 1), and '
               'crops the output back to the original size',
}


def _session(path, threads):
    try:
        import onnxruntime as ort
    except ImportError:
        raise CheckpointError(
            'the onnxruntime backend needs the onnxruntime package: pip '
            "install 'lowvis[onnx]'") from None
    if not osp.isfile(path):
        raise CheckpointError(f'ONNX model file not found: {path}')
    options = ort.SessionOptions()
    threads = threads or int(os.environ.get('OMP_NUM_THREADS', '0') or 0)
    if threads > 0:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(path, options,
                                    providers=['CPUExecutionProvider'])
    except Exception as err:  # onnxruntime raises its own classes
        first = str(err).strip().splitlines()[0] if str(err).strip() else ''
        raise CheckpointError(f'cannot load ONNX model {path}: '
                              f'{type(err).__name__}: {first}') from None


class OnnxRestorer:
    """An exported restoring generator on the ONNX Runtime CPU provider.

    Args:
        path (str): ``.onnx`` file written by ``tools/export.py``.
        threads (int | None): intra-op threads; default ``OMP_NUM_THREADS``
            when set, else ONNX Runtime's choice.

    Raises:
        CheckpointError: onnxruntime missing, the file missing or not a
            model, or a model without lowvis's metadata.
    """

    def __init__(self, path, threads=None):
        self.path = path
        self.session = _session(path, threads)
        self.metadata = dict(
            self.session.get_modelmeta().custom_metadata_map)
        if self.metadata.get('lowvis.format') != CONTRACT['lowvis.format']:
            raise CheckpointError(
                f'{path} is not a lowvis restoring generator (no '
                f"'lowvis.format' = {CONTRACT['lowvis.format']!r} in its "
                'metadata); export it with tools/export.py')
        self.multiple = int(self.metadata['size_multiple'])
        self.min_size = int(self.metadata['min_size'])

    def run(self, x):
        """Pad, run and crop one ``float32 [1, 3, h, w]`` array in [-1, 1]."""
        padded, (height, width) = pad_to_multiple(x, self.multiple,
                                                  self.min_size)
        feed = {INPUT_NAME: np.ascontiguousarray(padded, dtype=np.float32)}
        out = self.session.run([OUTPUT_NAME], feed)[0]
        return out[:, :, :height, :width]

    def restore(self, image, tile=256, tile_overlap=32):
        """Restore one image, as :func:`lowvis.apis.restore` with
        ``norm_stats='tile'`` does.

        Args:
            image (np.ndarray): ``HxWx3`` RGB, ``HxWx4`` RGBA or ``HxW``
                gray, ``uint8`` or ``uint16``.
            tile (int): tile side (rounded up to a multiple of 4); ``0``
                restores the whole image in one pass.
            tile_overlap (int): pixels neighbouring tiles share.

        Returns:
            np.ndarray: same shape and dtype as ``image``.
        """
        rgb, alpha, was_gray = split_layout(image)
        tile = -(-tile // 4) * 4 if tile > 0 else 0
        out = tiled_forward(self.run, to_network(rgb), tile, tile_overlap, 3)
        return from_network(out[0], image, alpha, was_gray)
