"""PSNR metric for the mmengine evaluator."""
from lowvis.registry import METRICS
from ..functional import psnr
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class PSNR(BaseImageMetric):
    """Mean PSNR (dB) of uint8-rounded predictions against ground truth.

    Reports ``'PSNR'``, or ``'PSNR_Y'`` with ``convert_to='Y'``; see
    :func:`lowvis.evaluation.psnr` for the arguments and ``docs/metrics.md``
    for which setting matches which paper.

    Args:
        crop_border (int): pixels removed from each side before scoring.
        convert_to (str | None): ``None`` (RGB) or ``'Y'``.
        round_y (bool): round Y to integers (MPRNet/Restormer scripts).
        pred_key, gt_key, collect_device, prefix: see
            :class:`BaseImageMetric`.
    """

    def __init__(self, crop_border=0, convert_to=None, round_y=False,
                 pred_key='pred_img', gt_key='gt_img', collect_device='cpu',
                 prefix=None):
        super().__init__(pred_key, gt_key, collect_device, prefix)
        self.crop_border = crop_border
        self.convert_to = convert_to
        self.round_y = round_y

    @property
    def result_key(self):
        return 'PSNR_Y' if self.convert_to else 'PSNR'

    def score(self, pred, gt):
        return psnr(pred, gt, self.crop_border, input_order='CHW',
                    convert_to=self.convert_to, round_y=self.round_y)
