"""Pack images into tensors and metadata into a data sample."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import BaseDataElement

from lowvis.registry import TRANSFORMS

__all__ = ['PackUnpairedInputs']


@TRANSFORMS.register_module()
class PackUnpairedInputs(BaseTransform):
    """Make the ``inputs`` / ``data_samples`` dict models receive.

    Returns ``{'inputs': {key: torch.uint8 Tensor[3,H,W] RGB 0-255},
    'data_samples': BaseDataElement(metainfo={meta_key: value})}``. Keys
    and meta keys absent from the results (e.g. no ``img_B`` at inference)
    are skipped.

    Args:
        keys (list[str]): image keys, ``HxWxC`` uint8 arrays.
        meta_keys (list[str]): keys copied into the metainfo.
    """

    def __init__(self,
                 keys: Sequence[str] = ('img_A', 'img_B'),
                 meta_keys: Sequence[str] = ('name', 'img_A_path',
                                             'img_B_path')) -> None:
        self.keys = tuple(keys)
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        inputs = {}
        for key in self.keys:
            if key not in results:
                continue
            img = results[key]
            if img.ndim == 2:
                img = img[:, :, None]
            inputs[key] = torch.from_numpy(
                np.ascontiguousarray(img.transpose(2, 0, 1)))
        metainfo = {k: results[k] for k in self.meta_keys if k in results}
        return dict(
            inputs=inputs, data_samples=BaseDataElement(metainfo=metainfo))

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'meta_keys={self.meta_keys})')
