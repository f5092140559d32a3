"""NIQE metric for the mmengine evaluator (no ground truth needed)."""
from lowvis.registry import METRICS
from ..functional.niqe import niqe
from .no_reference_metric import NoReferenceMetric


@METRICS.register_module()
class NIQE(NoReferenceMetric):
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
    score_fn = staticmethod(niqe)
    name = 'NIQE'
    default_convert_to = 'y'
