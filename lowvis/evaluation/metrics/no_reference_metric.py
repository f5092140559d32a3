"""Shared base of the no-reference metrics (NIQE, BRISQUE)."""
from .base_image_metric import BaseImageMetric


class NoReferenceMetric(BaseImageMetric):
    """Scores ``pred_key`` images alone with :attr:`score_fn`.

    Subclasses set ``score_fn`` (a function ``(img, crop_border,
    input_order, convert_to)``), ``name`` (the result key) and
    ``default_convert_to``.
    """
    requires_gt = False
    score_fn = None
    name = None
    default_convert_to = 'y'

    def __init__(self, crop_border=0, convert_to=None, pred_key='pred_img',
                 collect_device='cpu', prefix=None):
        super().__init__(pred_key, None, collect_device, prefix)
        self.crop_border = crop_border
        self.convert_to = convert_to or self.default_convert_to

    @property
    def result_key(self):
        return self.name

    def score(self, pred, gt):
        return type(self).score_fn(pred, self.crop_border, input_order='CHW',
                                   convert_to=self.convert_to)
