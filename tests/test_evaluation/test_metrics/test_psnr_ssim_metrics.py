import math

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.structures import BaseDataElement
from skimage import data

from lowvis.evaluation import PSNR, SSIM, psnr, ssim
from lowvis.registry import METRICS
from lowvis.utils.errors import DataError


def _chw(img):
    return torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0,
                                                               1).float()


def _samples():
    """Two samples as mmengine hands them to metrics (``to_dict()``)."""
    rng = np.random.default_rng(0)
    out = []
    for i, (y, x) in enumerate([(200, 180), (60, 250)]):
        gt = data.astronaut()[y:y + 32, x:x + 32].astype(np.float32)
        pred = gt + rng.normal(0, 8, gt.shape).astype(np.float32)  # unrounded
        rainy = np.clip(gt + 40, 0, 255)
        out.append(BaseDataElement(
            metainfo=dict(name=f'img{i}'), pred_img=_chw(pred),
            input_img=_chw(rainy), gt_img=_chw(gt)).to_dict())
    return out


def _uint8(t):
    return np.clip(np.round(t.numpy()), 0, 255).astype(np.uint8)


def test_psnr_metric_rounds_pred_and_averages():
    samples = _samples()
    metric = PSNR()
    metric.process({}, samples)
    expected = [psnr(_uint8(s['pred_img']), _uint8(s['gt_img']),
                     input_order='CHW') for s in samples]
    # scoring the unrounded float prediction gives another number
    assert psnr(samples[0]['pred_img'], samples[0]['gt_img'],
                input_order='CHW') != pytest.approx(expected[0])
    assert metric.compute_metrics(metric.results) == {
        'PSNR': pytest.approx(np.mean(expected))}
    per_image = metric.per_image_results()
    assert [r['name'] for r in per_image] == ['img0', 'img1']
    np.testing.assert_allclose([r['PSNR'] for r in per_image], expected)


def test_y_keys_and_options_reach_the_function():
    samples = _samples()
    metric = SSIM(convert_to='Y', round_y=True, crop_border=2)
    metric.process({}, samples)
    expected = np.mean([
        ssim(_uint8(s['pred_img']), _uint8(s['gt_img']), crop_border=2,
             input_order='CHW', convert_to='Y', round_y=True)
        for s in samples
    ])
    assert metric.compute_metrics(metric.results) == {
        'SSIM_Y': pytest.approx(expected)}
    assert PSNR(convert_to='Y').result_key == 'PSNR_Y'
    assert SSIM().result_key == 'SSIM'


def test_evaluator_prefix_and_registry():
    samples = _samples()
    evaluator = Evaluator([
        METRICS.build(dict(type='PSNR')),
        METRICS.build(dict(type='SSIM', convert_to='Y')),
        METRICS.build(dict(type='PSNR', pred_key='input_img',
                           prefix='input')),
    ])
    evaluator.process(data_samples=samples)
    results = evaluator.evaluate(len(samples))
    assert set(results) == {'PSNR', 'SSIM_Y', 'input/PSNR'}
    assert results['input/PSNR'] < results['PSNR']
    # per-image values survive mmengine clearing ``results`` after evaluate
    psnr_metric = evaluator.metrics[0]
    assert psnr_metric.results == []
    assert len(psnr_metric.per_image_results()) == 2


def test_identical_prediction_gives_inf():
    s = _samples()[0]
    s['pred_img'] = s['gt_img'].clone()
    metric = PSNR()
    metric.process({}, [s])
    assert metric.compute_metrics(metric.results)['PSNR'] == math.inf


def test_missing_gt_names_the_key():
    s = _samples()[0]
    del s['gt_img']
    with pytest.raises(DataError, match="'gt_img'.*set pred_key/gt_key"):
        PSNR().process({}, [s])
