"""Turns collated uint8 samples into model-ready float batches."""
import torch
from mmengine.model import BaseDataPreprocessor

from lowvis.registry import MODELS


@MODELS.register_module()
class UnpairedDataPreprocessor(BaseDataPreprocessor):
    """Stack, move to device and scale images from [0, 255] to [-1, 1].

    Input (from ``pseudo_collate``): ``{'inputs': {key: list of uint8
    Tensor[3, H, W] RGB}, 'data_samples': list}``. Output: ``{'inputs':
    {key: float32 Tensor[N, 3, H, W] in [-1, 1]}, 'data_samples': list}``.
    Images of one key must share a size within a batch (evaluation runs at
    batch size 1, so full-resolution test images of any size are fine).
    """

    def forward(self, data, training=False):
        data = self.cast_data(data)
        inputs = {}
        for key, imgs in data['inputs'].items():
            batch = torch.stack(list(imgs)) if isinstance(imgs, (list, tuple)) \
                else imgs
            inputs[key] = batch.float() / 127.5 - 1.0
        return {'inputs': inputs, 'data_samples': data.get('data_samples')}

    @staticmethod
    def destruct(batch):
        """Map [-1, 1] back to float [0, 255] (not rounded)."""
        return ((batch.float() + 1.0) * 127.5).clamp(0.0, 255.0)
