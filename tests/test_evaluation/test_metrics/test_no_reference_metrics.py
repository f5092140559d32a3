import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from skimage import data

from lowvis.evaluation import BRISQUE, NIQE, brisque, niqe
from lowvis.registry import METRICS


def _chw(img):
    return torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0,
                                                               1).float()


def _samples():
    """Samples without ground truth, as mmengine hands them to metrics."""
    rng = np.random.default_rng(0)
    out = []
    for i, img in enumerate([data.chelsea()[:192, :288],
                             data.coffee()[100:292, 50:338]]):
        clean = img.astype(np.float32) + 0.3  # not integers: rounded first
        noisy = np.clip(img + rng.normal(0, 25, img.shape), 0, 255)
        out.append(dict(name=f'im{i}', pred_img=_chw(clean),
                        input_img=_chw(noisy.astype(np.float32))))
    return out


def test_niqe_and_brisque_metrics_score_rounded_images():
    samples = _samples()
    for metric, func, key in [(NIQE(), niqe, 'NIQE'),
                              (BRISQUE(), brisque, 'BRISQUE')]:
        metric.process({}, samples)
        expected = [func(np.round(s['pred_img'].numpy()).astype(np.uint8),
                         input_order='CHW') for s in samples]
        assert metric.compute_metrics(metric.results) == {
            key: pytest.approx(np.mean(expected))}
        assert [r['name'] for r in metric.per_image_results()] == [
            'im0', 'im1']


def test_evaluator_with_input_prefix():
    evaluator = Evaluator([
        METRICS.build(dict(type='NIQE')),
        METRICS.build(dict(type='BRISQUE')),
        METRICS.build(dict(type='NIQE', pred_key='input_img',
                           prefix='input')),
        METRICS.build(dict(type='BRISQUE', pred_key='input_img',
                           prefix='input')),
    ])
    evaluator.process(data_samples=_samples())
    results = evaluator.evaluate(2)
    assert set(results) == {'NIQE', 'BRISQUE', 'input/NIQE',
                            'input/BRISQUE'}
    # the noisy inputs score worse (higher) than the clean images
    assert results['input/NIQE'] > results['NIQE']
    assert results['input/BRISQUE'] > results['BRISQUE']
