"""NIQE metric for the mmengine evaluator (no ground truth needed)."""
from lowvis.registry import METRICS
from ..functional.niqe import niqe
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class NIQE(BaseImageMetric):
    """Mean NIQE of uint8-rounded images; lower is better. Key ``'NIQE'``.

    Images must be at least 96x192 pixels (two 96x96 blocks); see
    :func:`lowvis.evaluation.niqe`.

    Args:
        crop_border (int): pixels removed from each side before scoring.
        convert_to (str): ``'y'`` (BasicSR) or ``'gray'`` (authors' demo).
        pred_key (str): sample key of the image to score, e.g.
            ``'input_img'`` to score the degraded input.
        collect_device, prefix: see :class:`BaseImageMetric`.
    """
    requires_gt = False

    def __init__(self, crop_border=0, convert_to='y', pred_key='pred_img',
                 collect_device='cpu', prefix=None):
        super().__init__(pred_key, None, collect_device, prefix)
        self.crop_border = crop_border
        self.convert_to = convert_to

    @property
    def result_key(self):
        return 'NIQE'

    def score(self, pred, gt):
        return niqe(pred, self.crop_border, input_order='CHW',
                    convert_to=self.convert_to)
