import copy
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from lowvis.engine.runner.run_length import resolve_run_length
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from training_batches import adam_wrappers, random_batch

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', '..',
                   'configs')
GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1, antialias=True)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2, antialias=True)
LAYERS = (0, 4, 8, 12)


def micro_cut(**kwargs):
    cfg = dict(type='CUT', generators=dict(A2B=GEN),
               discriminators=dict(B=DISC), nce_layers=LAYERS, seed=0,
               contrastive=dict(patch_sampler=dict(type='PatchSampler',
                                                   num_patches=16)))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def record_calls(model):
    """Forward hooks logging (images, encode_only) of each generator call."""
    calls = []
    model.generators['A2B'].register_forward_hook(
        lambda m, args, kwargs, out: calls.append(
            (args[0].shape[0], kwargs.get('encode_only', False))),
        with_kwargs=True)
    return calls


@pytest.mark.parametrize('fast', [False, True])
def test_training_updates_every_part_with_finite_losses(fast):
    model = micro_cut(nce_idt=not fast, flip_equivariance=fast)
    optim = adam_wrappers(model)
    before = copy.deepcopy(model.state_dict())
    for seed in range(3):
        logs = model.train_step(random_batch(seed=seed), optim)
        expected = {'loss_disc_B', 'loss_gan_A2B', 'loss_nce'} | (
            set() if fast else {'loss_nce_idt'})
        assert set(logs) == expected
        assert all(math.isfinite(float(v)) for v in logs.values())
    after = model.state_dict()
    for key in ('generators.A2B.model.1.weight',
                'discriminators.B.model.0.weight',
                'heads.projectors.A2B.mlps.0.0.weight',
                'heads.projectors.A2B.mlps.3.2.weight'):
        assert not torch.equal(before[key], after[key]), key


def test_cut_runs_two_generator_calls_on_a_and_b_together():
    model = micro_cut()
    calls = record_calls(model)
    model.train_step(random_batch(n=2), adam_wrappers(model))
    # translation of [a; b] (keys tapped), then the encoder of its outputs
    assert calls == [(4, False), (4, True)]


def test_fastcut_adds_an_encoder_call_only_on_flipped_iterations():
    model = micro_cut(nce_idt=False, flip_equivariance=True)
    calls = record_calls(model)
    model._draw_flip = lambda: False
    model.train_step(random_batch(n=2), adam_wrappers(model))
    assert calls == [(2, False), (2, True)]
    calls.clear()
    model._draw_flip = lambda: True
    model.train_step(random_batch(n=2), adam_wrappers(model))
    assert calls == [(2, False), (2, True), (2, True)]


def test_flipped_iteration_contrasts_with_the_unflipped_input():
    model = micro_cut(nce_idt=False, flip_equivariance=True)
    model._draw_flip = lambda: True
    data = model.data_preprocessor(random_batch(n=1), True)['inputs']
    real_a = data['img_A']
    out = model.forward_train(real_a, data['img_B'])
    gen = model.generators['A2B']
    torch.testing.assert_close(out['fake_b'], gen(real_a.flip(3)))
    keys = gen(real_a, layers=LAYERS, encode_only=True)
    queries = gen(out['fake_b'], layers=LAYERS, encode_only=True)
    for got, want in zip(out['feat_a'], keys):
        torch.testing.assert_close(got, want)
    for got, want in zip(out['feat_fake_b'], queries):
        torch.testing.assert_close(got, want.flip(3))


def test_flips_are_drawn_from_the_model_rng():
    model = micro_cut(nce_idt=False, flip_equivariance=True)
    draws = [model._draw_flip() for _ in range(40)]
    assert 5 < sum(draws) < 35
    model.rng.manual_seed(0)
    again = micro_cut(nce_idt=False, flip_equivariance=True)
    again.rng.manual_seed(0)
    assert [model._draw_flip() for _ in range(10)] == \
        [again._draw_flip() for _ in range(10)]


def _features(*vectors_per_image):
    """[N, 3, 1, P] features: image n's patch p is vectors_per_image[n][p]."""
    return [torch.tensor(vectors_per_image, dtype=torch.float32)
            .permute(0, 2, 1).unsqueeze(2)]


def test_internal_negative_patch_nce_matches_a_hand_computed_value():
    # one NCE layer (0: the padded input, 3 channels), no MLP (the head only
    # normalises), every location sampled, temperature 0.5
    model = micro_cut(
        nce_layers=(0,), nce_idt=False, contrastive=dict(
            head=dict(type='ProjectionHead', out_channels=3, use_mlp=False),
            patch_sampler=dict(type='PatchSampler', num_patches=0),
            nce_loss=dict(type='PatchNCELoss', temperature=0.5,
                          loss_weight=1.0)))
    # image 0: keys k1 = (0.6, 0.8, 0), k2 = (1, 0, 0); queries q1 = (1, 0, 0)
    # and q2 = (0, 2, 0) -> (0, 1, 0) after normalisation.
    #   q1: positive q1.k1 = 0.6, negative q1.k2 = 1
    #       loss = -log(e^(0.6/T) / (e^(0.6/T) + e^(1/T))) = log(1 + e^0.8)
    #   q2: positive q2.k2 = 0, negative q2.k1 = 0.8 -> log(1 + e^1.6)
    # image 1: keys = queries = (0, 0, 1), (0, 1, 0): positive 1, negative 0
    #   each: log(1 + e^((0 - 1)/T)) = log(1 + e^-2); image 0's keys are not
    #   its negatives (internal: same image only).
    keys = _features([(0.6, 0.8, 0.0), (1.0, 0.0, 0.0)],
                     [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0)])
    queries = _features([(1.0, 0.0, 0.0), (0.0, 2.0, 0.0)],
                        [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0)])
    images = torch.zeros(2, 3, 32, 32)
    out = dict(real_b=images, fake_b=images, feat_a=keys, feat_fake_b=queries)
    losses = model.generator_losses(out)
    expected = (math.log(1 + math.exp(0.8)) + math.log(1 + math.exp(1.6))
                + 2 * math.log(1 + math.exp(-2.0))) / 4
    assert losses['loss_nce'].item() == pytest.approx(expected, rel=1e-6)
    assert expected == pytest.approx(0.80221, abs=1e-5)


def test_a_partial_contrastive_dict_merges_into_cuts_defaults():
    # a caller's contrastive= changes only what it names: CUT's NCE weight
    # (0.5) and the branch's temperature (0.07) survive a new patch count
    model = micro_cut(contrastive=dict(patch_sampler=dict(num_patches=8)))
    assert model.heads.nce_loss.loss_weight == 0.5
    assert model.heads.nce_loss.temperature == 0.07
    assert model.heads.patch_sampler.num_patches == 8
    model = micro_cut(contrastive=dict(nce_loss=dict(temperature=0.5)))
    assert model.heads.nce_loss.loss_weight == 0.5
    assert model.heads.nce_loss.temperature == 0.5


def test_nce_identity_term_uses_the_same_head_and_its_own_patches():
    model = micro_cut(
        nce_layers=(0,), nce_idt=True, contrastive=dict(
            head=dict(type='ProjectionHead', out_channels=3, use_mlp=False),
            patch_sampler=dict(type='PatchSampler', num_patches=0),
            nce_loss=dict(type='PatchNCELoss', temperature=0.5,
                          loss_weight=0.5)))
    pair = _features([(1.0, 0.0, 0.0), (0.0, 1.0, 0.0)])
    images = torch.zeros(1, 3, 32, 32)
    out = dict(real_b=images, fake_b=images, feat_a=pair, feat_fake_b=_features([(0.0, 1.0, 0.0),
                                                   (1.0, 0.0, 0.0)]),
               feat_b=pair, feat_idt_b=pair)
    losses = model.generator_losses(out)
    # swapped queries: positive 0, negative 1 -> 0.5 * log(1 + e^2);
    # identity queries equal their keys -> 0.5 * log(1 + e^-2)
    assert losses['loss_nce'].item() == pytest.approx(
        0.5 * math.log(1 + math.exp(2.0)), rel=1e-6)
    assert losses['loss_nce_idt'].item() == pytest.approx(
        0.5 * math.log(1 + math.exp(-2.0)), rel=1e-6)
    assert list(model.heads.projectors) == ['A2B']


def test_two_sided_settings_are_refused():
    with pytest.raises(ConfigError, match='one-sided'):
        micro_cut(generators=dict(A2B=GEN, B2A=GEN))


@pytest.mark.parametrize('name, nce_idt, flip, weight, iters, begin', [
    ('cut', True, False, 0.5, 280000, 140000),
    ('fastcut', False, True, 10.0, 140000, 105000),
])
def test_configs_carry_the_published_settings(name, nce_idt, flip, weight,
                                              iters, begin):
    cfg = Config.fromfile(f'{CONFIGS}/{name}_rain800.py')
    assert cfg.model.generators.A2B.antialias and \
        cfg.model.discriminators.B.antialias
    model = MODELS.build(cfg.model)  # the settings are the built model's
    assert type(model).__name__ == 'CUT'
    assert model.nce_layers == [0, 4, 8, 12, 16]
    assert (model.nce_idt, model.flip_equivariance) == (nce_idt, flip)
    assert model.heads.nce_loss.loss_weight == weight
    assert model.heads.nce_loss.temperature == 0.07
    assert model.heads.patch_sampler.num_patches == 256
    assert model.gan_loss.gan_mode == 'lsgan'
    assert cfg.train_cfg.max_iters == iters
    resolve_run_length(cfg)  # fractions of the run -> iterations
    assert cfg.param_scheduler[0].begin == begin
    assert cfg.train_dataloader.batch_size == 1
    for part in ('generators', 'discriminators', 'heads'):
        assert cfg.optim_wrapper[part].optimizer.lr == 2e-4
    demo = Config.fromfile(f'{CONFIGS}/{name}_demo.py')
    assert demo.model.generators.A2B.ngf == 16
    assert demo.model.generators.A2B.global_residual
    assert demo.crop_size == 64
