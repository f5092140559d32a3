"""Common plumbing of lowvis's image metrics (a thin mmengine BaseMetric)."""
import os.path as osp

import numpy as np
from mmengine.evaluator import BaseMetric

from lowvis.evaluation.functional.image_utils import to_uint8
from lowvis.utils.errors import DataError


class BaseImageMetric(BaseMetric):
    """Scores each image in ``process`` and averages in ``compute_metrics``.

    Data samples are dicts (mmengine converts model outputs with
    ``to_dict()``) holding float32 ``Tensor[3, H, W]`` RGB 0-255 images under
    ``pred_key`` and, for full-reference metrics, ``gt_key``; ``name`` is
    used to label per-image results. Both images are rounded and clipped to
    uint8 before scoring.

    Subclasses set :attr:`requires_gt` and implement :meth:`result_key` and
    :meth:`score`.

    Args:
        pred_key (str): sample key of the image to score.
        gt_key (str): sample key of the reference image.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for distributed runs.
        prefix (str | None): mmengine prepends ``prefix + '/'`` to the key.
    """
    requires_gt = True
    # '' rather than None: keys stay unprefixed and mmengine does not warn
    # about a missing prefix for every metric.
    default_prefix = ''

    def __init__(self, pred_key='pred_img', gt_key='gt_img',
                 collect_device='cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.pred_key = pred_key
        self.gt_key = gt_key
        self._per_image = None

    @property
    def result_key(self):
        """str: name of the value, e.g. ``'PSNR_Y'`` (without prefix)."""
        raise NotImplementedError

    def score(self, pred, gt):
        """Score one ``uint8 (3, H, W)`` RGB image (``gt`` may be None)."""
        raise NotImplementedError

    def process(self, data_batch, data_samples):
        """Score every sample of a batch; ``data_batch`` is not used."""
        for sample in data_samples:
            if hasattr(sample, 'to_dict'):
                sample = sample.to_dict()
            pred = to_uint8(self._get(sample, self.pred_key))
            gt = to_uint8(self._get(sample, self.gt_key)) \
                if self.requires_gt else None
            self.results.append({
                'name': self._name(sample),
                self.result_key: float(self.score(pred, gt))
            })

    def compute_metrics(self, results):
        """Mean over images: ``{result_key: mean}``."""
        self._per_image = [dict(r) for r in results]
        values = [r[self.result_key] for r in results]
        return {self.result_key: float(np.mean(values))}

    def per_image_results(self):
        """list[dict]: ``{'name', result_key}`` per image, of the last
        evaluation (or of the images processed so far, before it)."""
        source = self.results if self._per_image is None or self.results \
            else self._per_image
        return [dict(r) for r in source]

    def _get(self, sample, key):
        if key not in sample:
            raise DataError(
                f'{type(self).__name__} needs the key {key!r} in each data '
                f'sample, which has {sorted(sample)}: set pred_key/gt_key or '
                'evaluate on a dataset with ground truth')
        return sample[key]

    def _name(self, sample):
        if sample.get('name') is not None:
            return str(sample['name'])
        for key in ('img_A_path', 'img_path'):
            if sample.get(key):
                return osp.splitext(osp.basename(sample[key]))[0]
        return f'{len(self.results):06d}'
