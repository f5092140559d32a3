"""NaN/inf guard: a non-finite loss term stops or skips the step before any
update of that step, and names the terms and the iteration.

The non-finite values come from real settings: a loss weight of ``inf``, or
an ``inf`` learning rate that turns the weights into NaN/inf after one step.
"""
import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmengine.logging import MessageHub

from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError, NonFiniteLossError
from training_batches import adam_wrappers, random_batch

ROOT = Path(__file__).resolve().parents[2]
NANO = ROOT / 'tests' / 'configs' / 'cyclegan_nano.py'
GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1, global_residual=True)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2)
INF = float('inf')


def micro_cyclegan(cycle_weight=10.0, **kwargs):
    return MODELS.build(dict(
        type='CycleGAN', generators=dict(A2B=GEN, B2A=GEN),
        discriminators=dict(B=DISC, A=DISC), seed=0, pool_size=0,
        loss_cycle=dict(type='L1Loss', loss_weight=cycle_weight), **kwargs))


def optim_for(model, gen_lr=1e-3, disc_lr=1e-3):
    return adam_wrappers(model, ('generators', 'discriminators'),
                         lr=dict(generators=gen_lr, discriminators=disc_lr))


def at_iteration(index, name):
    """A fresh current message hub whose runner is at ``index`` (0-based)."""
    hub = MessageHub.get_instance(name)
    hub.update_info('iter', index)
    return hub


def weights(model, prefix):
    return {k: v.clone() for k, v in model.state_dict().items()
            if k.startswith(prefix)}


def same(a, b):
    return all(torch.equal(a[k], b[k]) for k in a)


def test_stop_raises_before_the_generator_update():
    at_iteration(4, 'nan_guard_stop')
    model = micro_cyclegan(cycle_weight=INF)
    optim = optim_for(model)
    gen, disc = weights(model, 'generators'), weights(model, 'discriminators')
    with pytest.raises(NonFiniteLossError) as info:
        model.train_step(random_batch(), optim)
    message = str(info.value)
    assert message.startswith('non-finite loss at iteration 5 in the '
                              'generator step, before its update: ')
    assert 'loss_cycle_A=' in message and 'loss_cycle_B=' in message
    assert 'loss_gan_A2B' not in message  # finite terms are not named
    assert "model.nan_policy='skip'" in message and '\n' not in message
    assert same(gen, weights(model, 'generators'))
    assert not same(disc, weights(model, 'discriminators'))  # D step ran
    assert optim['generators'].optimizer.state_dict()['state'] == {}


def test_skip_drops_the_batch_and_counts_it():
    hub = at_iteration(0, 'nan_guard_skip')
    model = micro_cyclegan(cycle_weight=INF, nan_policy='skip')
    optim = optim_for(model)
    gen = weights(model, 'generators')
    assert model.train_step(random_batch(), optim) == {'skipped_batches': 1}
    hub.update_info('iter', 1)
    assert model.train_step(random_batch(), optim) == {'skipped_batches': 2}
    assert hub.get_info('skipped_batches') == 2  # saved with checkpoints
    assert same(gen, weights(model, 'generators'))
    assert all(p.grad is None or not p.grad.any()
               for p in model.parameters())


def test_skip_in_the_discriminator_step_skips_both_updates():
    hub = at_iteration(0, 'nan_guard_disc')
    model = micro_cyclegan(nan_policy='skip')
    optim = optim_for(model, disc_lr=INF)
    gen = weights(model, 'generators')
    # iteration 1: D's update (lr inf) makes D non-finite, so the generator
    # step after it sees NaN and is skipped
    assert model.train_step(random_batch(), optim) == {'skipped_batches': 1}
    disc = weights(model, 'discriminators')
    assert not all(torch.isfinite(v).all() for v in disc.values())
    # iteration 2: the discriminator losses are NaN: neither update runs
    hub.update_info('iter', 1)
    assert model.train_step(random_batch(), optim) == {'skipped_batches': 2}
    assert same(gen, weights(model, 'generators'))
    torch.testing.assert_close(disc, weights(model, 'discriminators'),
                               rtol=0, atol=0, equal_nan=True)


def test_finite_losses_pass_untouched():
    at_iteration(0, 'nan_guard_finite')
    model = micro_cyclegan()
    reference = copy.deepcopy(model)
    logs = model.train_step(random_batch(), optim_for(model))
    assert 'skipped_batches' not in logs  # the default policy is 'stop'
    logs_ref = reference.train_step(random_batch(), optim_for(reference))
    assert logs == logs_ref
    assert all(torch.isfinite(torch.as_tensor(v)) for v in logs.values())


def test_unknown_policy_is_a_config_error():
    with pytest.raises(ConfigError, match=r"model.nan_policy must be one of "
                       r"\('stop', 'skip'\), got 'ignore'"):
        micro_cyclegan(nan_policy='ignore')


# ------------------------------------------------ through tools/train.py
CONFIG = """
_base_ = [{base!r}]
data_root = {data!r}
train_dataloader = dict(dataset=dict(data_root=data_root))
custom_hooks = [dict(type='PlainCheckpointHook')]
"""


@pytest.fixture(scope='module')
def config(tmp_path_factory, demo_data_root):
    path = tmp_path_factory.mktemp('nan_guard') / 'micro_nan.py'
    path.write_text(CONFIG.format(base=str(NANO), data=demo_data_root))
    return path


def train(config, work_dir, *options):
    return subprocess.run(
        [sys.executable, 'tools/train.py', str(config), '--work-dir',
         str(work_dir), '--cfg-options', *options], cwd=ROOT,
        env=dict(os.environ, OMP_NUM_THREADS='1'), capture_output=True,
        text=True, timeout=600)


def test_train_stops_saves_and_names_term_and_iteration(config, tmp_path):
    # an inf lr makes the generators non-finite in their first update, so
    # the discriminator losses of iteration 2 are NaN
    proc = train(config, tmp_path, 'optim_wrapper.generators.optimizer.lr=inf')
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith('error:')]
    saved = tmp_path / 'nonfinite_iter_2.pth'
    assert len(lines) == 1 and 'Traceback' not in proc.stderr
    assert lines[0].startswith('error: non-finite loss at iteration 2 in the '
                               'discriminator step, before its update: ')
    assert 'loss_disc_B=nan' in lines[0] and 'loss_disc_A=nan' in lines[0]
    assert lines[0].endswith(f'; state saved to {saved}')
    ckpt = torch.load(saved, map_location='cpu', weights_only=True)
    assert ckpt['meta']['iter'] == 2
    disc = {k: v for k, v in ckpt['state_dict'].items()
            if k.startswith('discriminators.')}
    assert disc and all(torch.isfinite(v).all() for v in disc.values())
    assert not all(torch.isfinite(v).all() for k, v in
                   ckpt['state_dict'].items() if k.startswith('generators.'))


def test_train_skips_and_logs_the_count(config, tmp_path):
    proc = train(config, tmp_path, 'model.nan_policy=skip',
                 'model.loss_cycle.loss_weight=inf')
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = proc.stdout + proc.stderr
    for k in (1, 4):
        assert f'non-finite loss at iteration {k} in the generator step: ' \
            in log
    assert 'batch skipped, no generator update (4 skipped so far)' in log
    assert 'skipped_batches: 4' in log
    ckpt = torch.load(tmp_path / 'iter_4.pth', map_location='cpu',
                      weights_only=True)
    assert ckpt['message_hub']['runtime_info']['skipped_batches'] == 4
    assert ckpt['optimizer']['generators']['state'] == {}  # never stepped
    assert ckpt['optimizer']['discriminators']['state']
    assert all(torch.isfinite(v).all() for v in ckpt['state_dict'].values()
               if isinstance(v, torch.Tensor))
