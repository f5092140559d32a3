"""Gradient accumulation of the generator side: 2 x batch 2 == 1 x batch 4.

What had to be held fixed for the split to be exact (everything else in
these models is per image: instance norm, mean-reduced losses over images of
one size):

* the discriminators: the batch-4 run updates D before its G step, the
  accumulated run only after its second micro-batch; D's lr is 0 in both
  runs, so G always sees the initial D;
* the patch ids: PatchSampler draws one set of locations per call, shared by
  the images of the batch; the model's RNG is reseeded before every
  ``train_step``, so every image gets the same ids in both runs;
* negatives: the demo configs keep every internal/external negative (no
  random subset, whose draw would depend on the batch size) and DCLGAN's
  internal negatives are set per image here (``include_batch=False``): its
  reference negatives come from the whole minibatch, which couples the
  images of a batch, so a split batch cannot give the same loss.
"""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.structures import BaseDataElement

from lowvis.engine.optimizers import MultiOptimWrapperConstructor
from lowvis.registry import MODELS

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', 'configs')


def images(n, size=32, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 256, (3, size, size), dtype=torch.uint8,
                          generator=gen) for _ in range(n)]


def batch(a, b):
    return dict(inputs=dict(img_A=a, img_B=b),
                data_samples=[BaseDataElement() for _ in a])


def build(cfg, counts):
    """The config's model and optimizers, D's lr 0, ``counts`` accumulation
    steps for every wrapper."""
    torch.manual_seed(0)
    model = MODELS.build(copy.deepcopy(cfg.model))
    optim_cfg = copy.deepcopy(cfg.optim_wrapper.to_dict())
    optim_cfg.pop('constructor')
    for entry in optim_cfg.values():
        entry['accumulative_counts'] = counts
    optim_cfg['discriminators']['optimizer']['lr'] = 0.0
    optim = MultiOptimWrapperConstructor(optim_cfg)(model)
    grads = []
    optim['generators'].optimizer.register_step_pre_hook(
        lambda opt, args, kwargs: grads.append(
            {id(p): p.grad.clone() for g in opt.param_groups
             for p in g['params']}))
    return model, optim, grads


@pytest.mark.parametrize('config', ['dcdgan_demo.py', 'dclgan_demo.py'])
def test_two_accumulated_batches_of_2_equal_one_batch_of_4(config):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    if config.startswith('dclgan'):
        cfg.merge_from_dict({'model.contrastive.negative_sampler': dict(
            type='InternalNegativeSampler', include_batch=False)})
    real_a, real_b = images(4, seed=1), images(4, seed=2)

    model4, optim4, grads4 = build(cfg, counts=1)
    model4.rng.manual_seed(5)
    model4.train_step(batch(real_a, real_b), optim4)

    model2, optim2, grads2 = build(cfg, counts=2)
    initial = copy.deepcopy(model2.state_dict())
    for half in (slice(0, 2), slice(2, 4)):
        model2.rng.manual_seed(5)
        model2.train_step(batch(real_a[half], real_b[half]), optim2)
        if half.start == 0:  # accumulating: no step yet
            assert grads2 == []
            for key, value in model2.state_dict().items():
                # _extra_state: the model RNG, reseeded before each half
                if isinstance(value, torch.Tensor) and \
                        not key.endswith('_extra_state'):
                    assert torch.equal(value, initial[key]), key

    assert len(grads4) == len(grads2) == 1
    params4 = [(owner, p) for owner, g in zip(
        optim4.group_owners['generators'],
        optim4['generators'].optimizer.param_groups) for p in g['params']]
    params2 = [p for g in optim2['generators'].optimizer.param_groups
               for p in g['params']]
    assert {name for name, _ in params4} == {'generators', 'heads'}
    # float32 sums in another order. The tolerance is relative to the
    # largest gradient entry: a conv bias followed by instance norm has an
    # exactly-zero true gradient, so its entries are rounding noise (~1e-7)
    scale = max(float(g.abs().max()) for g in grads4[0].values())
    worst = []
    for (name, p4), p2 in zip(params4, params2):
        g4, g2 = grads4[0][id(p4)], grads2[0][id(p2)]
        worst.append(float((g2 - g4).abs().max()) / scale)
        torch.testing.assert_close(g2, g4, rtol=1e-3, atol=1e-5 * scale)
    print(f'{config}: worst |g2 - g4| / max|g4| = {max(worst):.2e}')
    # the gradients are real (not all zero) for both parts
    for part in ('generators', 'heads'):
        assert any(grads4[0][id(p)].abs().sum() > 0
                   for name, p in params4 if name == part)
