"""Mixed precision: bf16 training on the CPU, the fp16 scaler logic.

fp16 runs here on a CPU stand-in (``torch.amp.GradScaler('cpu')`` and CPU
fp16 autocast: the same scaler arithmetic as on CUDA); the real CUDA run is
the ``cuda``-marked test and ``tools/device_check.sh``.
"""
import copy
import math
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MessageHub

from lowvis.engine.optimizers import (MixedPrecisionOptimWrapper,
                                      MultiOptimWrapperConstructor,
                                      enable_mixed_precision)
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from training_batches import random_batch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMOS = ['cyclegan_demo.py', 'cut_demo.py', 'fastcut_demo.py',
         'dclgan_demo.py', 'dcdgan_demo.py']


def build(config, amp, device='cpu'):
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    if amp == 'fp16' and device == 'cpu':  # the stand-in: --amp fp16's
        for entry in cfg.optim_wrapper.values():  # settings, a lower first
            if isinstance(entry, dict):  # scale (fewer skipped steps)
                entry.update(type='MixedPrecisionOptimWrapper',
                             dtype='float16',
                             loss_scale=dict(init_scale=4096.0))
    else:
        enable_mixed_precision(cfg, amp)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).to(device)
    optim_cfg = cfg.optim_wrapper.to_dict()
    optim_cfg.pop('constructor')
    return model, MultiOptimWrapperConstructor(optim_cfg)(model)


def first_conv(module):
    return next(m for m in module.modules() if isinstance(m, nn.Conv2d))


def train_under_autocast(model, optim, steps=2):
    """Train ``steps`` iterations; return the logs and the output dtypes of
    the restoring generator's first conv and a head's first linear."""
    dtypes = []
    record = lambda m, args, out: dtypes.append(out.dtype)
    hooks = [first_conv(model.generators['A2B']).register_forward_hook(
        record)]
    heads = getattr(model, 'heads', None)
    if heads is not None:
        linear = next(m for m in heads.modules() if isinstance(m, nn.Linear))
        hooks.append(linear.register_forward_hook(record))
    logs = [model.train_step(random_batch(seed=seed), optim)
            for seed in range(steps)]
    for hook in hooks:
        hook.remove()
    return logs, set(dtypes)


@pytest.mark.parametrize('config', DEMOS)
def test_every_demo_method_trains_in_bf16_on_the_cpu(config):
    model, optim = build(config, 'bf16')
    assert {type(w).__name__ for w in optim.values()} == {
        'MixedPrecisionOptimWrapper'}
    before = copy.deepcopy(model.state_dict())
    logs, dtypes = train_under_autocast(model, optim)
    assert dtypes == {torch.bfloat16}  # autocast really active
    for log in logs:
        assert log and all(math.isfinite(float(v)) for v in log.values())
    assert any(k.startswith('loss_disc') for k in logs[0])
    after = model.state_dict()
    for part in model.generator_side() + ('discriminators',):
        assert any(not torch.equal(v, before[k]) for k, v in after.items()
                   if k.startswith(part + '.') and v.is_floating_point()), \
            part
    # master weights stay float32; outside the step no autocast
    assert {p.dtype for p in model.parameters()} == {torch.float32}
    assert not torch.is_autocast_enabled('cpu')


def test_losses_that_need_fp32_get_it_under_autocast():
    nce = MODELS.build(dict(type='PatchNCELoss'))
    freq = MODELS.build(dict(type='FrequencyLoss'))
    q = nn.functional.normalize(torch.randn(2, 8, 16), dim=-1)
    k = nn.functional.normalize(torch.randn(2, 8, 16), dim=-1)
    image = torch.rand(2, 3, 12, 10)  # not a power of 2
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss_nce = nce(q.bfloat16(), k.bfloat16(), k.bfloat16())
        loss_freq = freq(image.bfloat16(), image.flip(-1).bfloat16())
    assert loss_nce.dtype == loss_freq.dtype == torch.float32
    # the logits are fp32 dot products of the given vectors
    expected = nce(q.bfloat16().float(), k.bfloat16().float(),
                   k.bfloat16().float())
    assert float(loss_nce) == pytest.approx(float(expected), rel=1e-6)


def test_fp16_one_scaler_steps_generators_and_heads_cpu_stand_in():
    """The generator side of DCLGAN: one scaler scales the loss and steps
    every param group (mmengine's per-submodule wrappers left the heads'
    scaler unscaled, and torch refuses to step such a scaler)."""
    model, optim = build('dclgan_demo.py', 'fp16')
    gen = optim['generators']
    assert gen.loss_scaler is not None and gen.device_type == 'cpu'
    assert optim.group_owners['generators'] == ['generators', 'heads']
    history = []  # (scale before, generators stepped, heads stepped)
    for step in range(8):
        scale, before = gen.loss_scaler.get_scale(), copy.deepcopy(
            model.state_dict())
        logs, dtypes = train_under_autocast(model, optim, steps=1)
        assert dtypes == {torch.float16}
        assert all(math.isfinite(float(v)) for v in logs[0].values())
        after = model.state_dict()
        history.append((scale,) + tuple(
            any(not torch.equal(v, before[k]) for k, v in after.items()
                if k.startswith(part + '.') and v.is_floating_point())
            for part in ('generators', 'heads')))
        if history[-1][1]:
            break
    # dynamic scaling: overflowing steps are skipped for both parts and
    # halve the scale, then one step updates generators and heads together
    assert history[-1][1:] == (True, True), history
    for (scale, *stepped), (next_scale, *_) in zip(history, history[1:]):
        assert stepped == [False, False] and next_scale == scale / 2
    state = gen.state_dict()
    assert state['loss_scaler']['scale'] == gen.loss_scaler.get_scale()
    assert len(state['param_groups']) == 2


def two_group_wrapper(**kwargs):
    a, b = nn.Linear(3, 1), nn.Linear(3, 1)
    optimizer = torch.optim.Adam([dict(params=a.parameters(), lr=0.1),
                                  dict(params=b.parameters(), lr=0.01)])
    return a, b, MixedPrecisionOptimWrapper(optimizer=optimizer,
                                            dtype='float16', **kwargs)


def test_fp16_scaler_skips_a_step_with_inf_gradients_and_lowers_the_scale():
    a, b, wrapper = two_group_wrapper()
    x = torch.ones(1, 3)
    weights = [p.detach().clone() for p in (a.weight, b.weight)]
    bad = (a(x) * float('inf')).sum() + b(x).sum()
    wrapper.update_params(bad)
    assert [torch.equal(p, w) for p, w in
            zip((a.weight, b.weight), weights)] == [True, True]
    assert wrapper.loss_scaler.get_scale() == 32768.0
    wrapper.update_params(a(x).sum() + b(x).sum())
    assert not torch.equal(a.weight, weights[0])
    assert not torch.equal(b.weight, weights[1])
    assert wrapper.loss_scaler.get_scale() == 32768.0  # growth after 2000
    # the scaler's state travels with the checkpoint
    _, _, fresh = two_group_wrapper()
    fresh.load_state_dict(wrapper.state_dict())
    assert fresh.loss_scaler.get_scale() == 32768.0


def test_fp16_clips_the_unscaled_gradients():
    MessageHub.get_instance('amp-clip')
    a, b, wrapper = two_group_wrapper(clip_grad=dict(max_norm=1e9))
    x = torch.ones(1, 3) * 2
    wrapper.backward(a(x).sum() + b(x).sum())
    wrapper.step()
    # d/dw = x for each of 2 weights (3 entries) and 1 for each bias
    expected = math.sqrt(2 * (3 * 4 + 1))
    assert wrapper.message_hub.get_scalar('train/grad_norm').current() == \
        pytest.approx(expected, rel=1e-3)


def test_bf16_has_no_scaler_and_is_plain_otherwise():
    a, b, _ = two_group_wrapper()
    optimizer = torch.optim.SGD(a.parameters(), lr=0.1)
    wrapper = MixedPrecisionOptimWrapper(optimizer=optimizer,
                                         dtype='bfloat16')
    assert wrapper.loss_scaler is None
    assert 'loss_scaler' not in wrapper.state_dict()
    with pytest.raises(ConfigError, match='dtype'):
        MixedPrecisionOptimWrapper(optimizer=optimizer, dtype='float8')


def test_enable_mixed_precision_sets_every_entry():
    cfg = Config(dict(optim_wrapper=dict(
        constructor='MultiOptimWrapperConstructor',
        generators=dict(optimizer=dict(type='Adam')),
        discriminators=dict(type='OptimWrapper',
                            optimizer=dict(type='Adam')))))
    enable_mixed_precision(cfg, 'bf16')
    for key in ('generators', 'discriminators'):
        assert cfg.optim_wrapper[key]['type'] == 'MixedPrecisionOptimWrapper'
        assert cfg.optim_wrapper[key]['dtype'] == 'bfloat16'
    single = Config(dict(optim_wrapper=dict(optimizer=dict(type='SGD'))))
    enable_mixed_precision(single, 'bf16')
    assert single.optim_wrapper['type'] == 'MixedPrecisionOptimWrapper'
    with pytest.raises(ConfigError, match='--amp must be one of'):
        enable_mixed_precision(cfg, 'fp8')


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs no CUDA')
def test_fp16_is_refused_without_cuda():
    cfg = Config(dict(optim_wrapper=dict(optimizer=dict(type='SGD'))))
    with pytest.raises(ConfigError, match='--amp fp16 needs a CUDA GPU'):
        enable_mixed_precision(cfg, 'fp16')


def test_train_tool_trains_in_bf16(micro_checkpoint, run_tool, tmp_path):
    result = run_tool(['tools/train.py', micro_checkpoint.config,
                       '--work-dir', str(tmp_path), '--amp', 'bf16',
                       '--cfg-options', 'train_cfg.max_iters=2',
                       'train_cfg.val_interval=2'], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    log = (result.stdout + result.stderr)
    assert 'Iter(train) [2/2]' in log and 'loss_cycle_A' in log
    assert 'nan' not in log.split('Iter(train) [2/2]')[1].split('\n')[0]


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
@pytest.mark.parametrize('amp', ['fp16', 'bf16'])
def test_dcdgan_trains_in_mixed_precision_on_cuda(amp):
    model, optim = build('dcdgan_demo.py', amp, device='cuda')
    assert optim['generators'].device_type == 'cuda'
    logs, dtypes = train_under_autocast(model, optim, steps=3)
    assert dtypes == {getattr(torch, {'fp16': 'float16',
                                      'bf16': 'bfloat16'}[amp])}
    for log in logs:
        assert all(math.isfinite(float(v)) for v in log.values())
