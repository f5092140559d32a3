"""Save a few fixed validation images with their PSNR at every validation."""
import numpy as np
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from lowvis.evaluation.functional.psnr import psnr
from lowvis.registry import HOOKS
from .image_labels import label_columns

__all__ = ['ValidationImagesHook']


def _uint8_hwc(img):
    """float ``[3, H, W]`` RGB 0-255 tensor -> uint8 ``HxWx3``."""
    arr = np.asarray(img.detach().cpu().numpy(), dtype=np.float64)
    return np.clip(np.round(arr), 0, 255).astype(np.uint8).transpose(1, 2, 0)


@HOOKS.register_module()
class ValidationImagesHook(Hook):
    """At every validation, show the first ``num_images`` validation images.

    For each, one image ``input | output | ground truth`` (full
    resolution, labelled with the PSNR in dB of the input and of the output
    against the ground truth) goes through the runner's visualizer as
    ``val_<name>`` at the current iteration: ``LocalVisBackend`` writes
    ``<vis_data>/vis_image/val_<name>_<iter>.png``, TensorBoard shows it
    under that tag. The PSNRs are logged as scalars
    ``val_images/<name>/PSNR`` and ``val_images/<name>/input_PSNR`` (one
    ``scalars.json`` line per validation, after the metrics). The
    images are the same at every validation (the validation set's order is
    fixed), so the series shows one image improving. Rank 0 only; samples
    without a ground truth show input | output.

    Args:
        num_images (int): how many validation images to save.
    """

    priority = 'LOW'

    def __init__(self, num_images=3):
        self.num_images = num_images
        self._seen, self._scores = 0, {}

    def before_val_epoch(self, runner):
        self._seen, self._scores = 0, {}

    def after_val_epoch(self, runner, metrics=None):
        if self._scores and is_main_process():
            runner.visualizer.add_scalars(self._scores, step=runner.iter)
        self._scores = {}

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None):
        if not is_main_process() or not outputs:
            return
        for sample in outputs:
            if self._seen >= self.num_images:
                return
            self._seen += 1
            self.show(runner, sample)

    @staticmethod
    def panel(sample):
        """``(uint8 HxWx3 labelled image, {scalar name: dB})`` of a sample."""
        pred = _uint8_hwc(sample.pred_img)
        inp = _uint8_hwc(sample.input_img)
        if 'gt_img' not in sample:
            return label_columns(np.concatenate([inp, pred], 1),
                                 ['input', 'output']), {}
        gt = _uint8_hwc(sample.gt_img)
        scores = {'input_PSNR': psnr(inp, gt), 'PSNR': psnr(pred, gt)}
        labels = [f'input {scores["input_PSNR"]:.2f} dB',
                  f'output {scores["PSNR"]:.2f} dB', 'ground truth']
        return label_columns(np.concatenate([inp, pred, gt], 1),
                             labels), scores

    def show(self, runner, sample):
        name = sample.metainfo.get('name', f'{self._seen - 1}')
        image, scores = self.panel(sample)
        runner.visualizer.add_image(f'val_{name}', image, step=runner.iter)
        self._scores.update({f'val_images/{name}/{k}': float(v)
                             for k, v in scores.items()})
