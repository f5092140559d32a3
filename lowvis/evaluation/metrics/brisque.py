"""BRISQUE metric for the mmengine evaluator (no ground truth needed)."""
from lowvis.registry import METRICS
from ..functional.brisque import brisque
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class BRISQUE(BaseImageMetric):
    """Mean BRISQUE of uint8-rounded images; lower is better.

    Reports ``'BRISQUE'``; see :func:`lowvis.evaluation.brisque`.

    Args:
        crop_border (int): pixels removed from each side before scoring.
        convert_to (str): ``'gray'`` (reference code) or ``'y'``.
        pred_key (str): sample key of the image to score.
        collect_device, prefix: see :class:`BaseImageMetric`.
    """
    requires_gt = False

    def __init__(self, crop_border=0, convert_to='gray', pred_key='pred_img',
                 collect_device='cpu', prefix=None):
        super().__init__(pred_key, None, collect_device, prefix)
        self.crop_border = crop_border
        self.convert_to = convert_to

    @property
    def result_key(self):
        return 'BRISQUE'

    def score(self, pred, gt):
        return brisque(pred, self.crop_border, input_order='CHW',
                       convert_to=self.convert_to)
