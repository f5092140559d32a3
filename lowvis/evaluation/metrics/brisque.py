"""BRISQUE metric for the mmengine evaluator (no ground truth needed)."""
from lowvis.registry import METRICS
from ..functional.brisque import brisque
from .no_reference_metric import NoReferenceMetric


@METRICS.register_module()
class BRISQUE(NoReferenceMetric):
    """Mean BRISQUE of uint8-rounded images; lower is better.

    Reports ``'BRISQUE'``; see :func:`lowvis.evaluation.brisque`.

    Args:
        crop_border (int): pixels removed from each side before scoring.
        convert_to (str): ``'gray'`` (reference code) or ``'y'``.
        pred_key (str): sample key of the image to score.
        collect_device, prefix: see :class:`BaseImageMetric`.
    """
    score_fn = staticmethod(brisque)
    name = 'BRISQUE'
    default_convert_to = 'gray'
