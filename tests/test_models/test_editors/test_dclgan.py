import copy
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from lowvis.engine.runner.run_length import resolve_run_length
from lowvis.registry import MODELS
from training_batches import adam_wrappers, random_batch

CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', '..',
                   'configs')
GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1, antialias=True)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2, antialias=True)
LAYERS = (4, 8, 12)


def micro_dclgan(**kwargs):
    cfg = dict(type='DCLGAN', generators=dict(A2B=GEN, B2A=GEN),
               discriminators=dict(B=DISC, A=DISC), nce_layers=LAYERS,
               seed=0, contrastive=dict(patch_sampler=dict(
                   type='PatchSampler', num_patches=16)))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_training_updates_every_part_with_finite_losses():
    model = micro_dclgan()
    optim = adam_wrappers(model)
    before = copy.deepcopy(model.state_dict())
    for seed in range(3):
        logs = model.train_step(random_batch(seed=seed), optim)
        assert set(logs) == {
            'loss_disc_A', 'loss_disc_B', 'loss_gan_A2B', 'loss_gan_B2A',
            'loss_nce_side1', 'loss_nce_side2', 'loss_idt_A', 'loss_idt_B'}
        assert all(math.isfinite(float(v)) for v in logs.values())
    after = model.state_dict()
    for key in ('generators.A2B.model.1.weight',
                'generators.B2A.model.1.weight',
                'discriminators.A.model.0.weight',
                'discriminators.B.model.0.weight',
                'heads.projectors.A2B.mlps.0.0.weight',
                'heads.projectors.B2A.mlps.2.2.weight'):
        assert not torch.equal(before[key], after[key]), key


@pytest.mark.parametrize('identity, expected', [
    # translate [a; b] and [b; a] (keys and identity outputs), then the
    # other generator's encoder on each translation (queries)
    (True, [('A2B', 4, False), ('B2A', 2, True), ('B2A', 4, False),
            ('A2B', 2, True)]),
    (False, [('A2B', 2, False), ('B2A', 2, True), ('B2A', 2, False),
             ('A2B', 2, True)]),
])
def test_four_generator_calls_per_iteration(identity, expected):
    model = micro_dclgan(loss_identity=None if not identity else
                         dict(type='L1Loss', loss_weight=0.5))
    calls = []
    for name, gen in model.generators.items():
        gen.register_forward_hook(
            lambda m, args, kwargs, out, name=name: calls.append(
                (name, args[0].shape[0], kwargs.get('encode_only', False))),
            with_kwargs=True)
    logs = model.train_step(random_batch(n=2), adam_wrappers(model))
    assert calls == expected
    assert ('loss_idt_A' in logs) == identity


def test_sides_pair_the_two_encoders_as_the_reference():
    model = micro_dclgan()
    data = model.data_preprocessor(random_batch(n=2), True)['inputs']
    a, b = data['img_A'], data['img_B']
    out = model.forward_train(a, b)
    g_ab, g_ba = model.generators['A2B'], model.generators['B2A']
    torch.testing.assert_close(out['fake_b'], g_ab(a))
    torch.testing.assert_close(out['idt_b'], g_ab(b))
    torch.testing.assert_close(out['idt_a'], g_ba(a))
    expect = dict(feat_a=g_ab(a, layers=LAYERS, encode_only=True),
                  feat_b=g_ba(b, layers=LAYERS, encode_only=True),
                  feat_fake_b=g_ba(out['fake_b'], layers=LAYERS,
                                   encode_only=True),
                  feat_fake_a=g_ab(out['fake_a'], layers=LAYERS,
                                   encode_only=True))
    for key, feats in expect.items():
        for got, want in zip(out[key], feats):
            torch.testing.assert_close(got, want, msg=key)


def test_queries_train_their_own_head_only():
    # side 1: queries from G_B2A's encoder (head B2A), keys from G_A2B's
    # (head A2B, detached in the loss): only head B2A gets a gradient
    model = micro_dclgan()
    data = model.data_preprocessor(random_batch(n=1), True)['inputs']
    out = model.forward_train(data['img_A'], data['img_B'])
    model.generator_losses(out)['loss_nce_side1'].backward()
    grads = {name: sum(float(p.grad.abs().sum()) for p in head.parameters()
                       if p.grad is not None)
             for name, head in model.heads.projectors.items()}
    assert grads['B2A'] > 0 and grads['A2B'] == 0


def test_defaults_are_the_reference_effective_weights():
    model = micro_dclgan()
    assert model.gan_loss.gan_mode == 'hinge'
    assert model.gan_loss.loss_weight == 0.5
    assert model.heads.nce_loss.loss_weight == 1.0
    assert model.loss_identity.loss_weight == 0.5
    assert model.heads.projectors['A2B'] is not model.heads.projectors['B2A']


def test_configs_carry_the_published_settings():
    cfg = Config.fromfile(f'{CONFIGS}/dclgan_rain800.py')
    model = MODELS.build(cfg.model)  # the settings are the built model's
    assert type(model).__name__ == 'DCLGAN'
    assert model.nce_layers == [4, 8, 12, 16]
    assert model.gan_loss.gan_mode == 'hinge'
    # lambda_GAN 1, lambda_NCE 2, lambda_IDT 1, each averaged over 2 terms
    assert model.gan_loss.loss_weight == 0.5
    assert model.heads.nce_loss.loss_weight == 1.0
    assert model.loss_identity.loss_weight == 0.5
    assert cfg.train_cfg.max_iters == 280000
    resolve_run_length(cfg)  # fractions of the run -> iterations
    assert cfg.param_scheduler[0].begin == 140000
    assert cfg.optim_wrapper.generators.optimizer.lr == 2e-4
    assert cfg.optim_wrapper.heads.optimizer.lr == 1e-3
    demo = Config.fromfile(f'{CONFIGS}/dclgan_demo.py')
    assert demo.model.generators.B2A.ngf == 16
    assert demo.model.discriminators.A.n_layers == 2
    assert demo.crop_size == 64


def _one_patch_features(*vectors):
    """[N, 3, 1, 1] features: image n's only patch is vectors[n]."""
    return [torch.tensor(vectors, dtype=torch.float32)[:, :, None, None]]


def test_negatives_come_from_the_whole_minibatch_as_the_reference():
    # the reference's PatchNCELoss flattens the minibatch: with one patch per
    # image, image 0's query has image 1's key as its only negative
    model = micro_dclgan(nce_layers=(0,), contrastive=dict(
        head=dict(type='ProjectionHead', out_channels=3, use_mlp=False),
        patch_sampler=dict(type='PatchSampler', num_patches=0),
        nce_loss=dict(type='PatchNCELoss', temperature=0.5)))
    same = _one_patch_features((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
    images = torch.zeros(2, 3, 32, 32)
    out = dict(real_a=images, real_b=images, fake_a=images, fake_b=images,
               feat_a=same, feat_b=same, feat_fake_a=same, feat_fake_b=same,
               idt_a=images, idt_b=images)
    losses = model.generator_losses(out)
    # each query: positive 1, negative 0 -> log(1 + e^((0 - 1) / 0.5));
    # per-image negatives would leave no negative at all (loss 0)
    expected = math.log(1 + math.exp(-2.0))
    assert losses['loss_nce_side1'].item() == pytest.approx(expected,
                                                            rel=1e-6)
    assert losses['loss_nce_side2'].item() == pytest.approx(expected,
                                                            rel=1e-6)
    assert model.heads.negative_sampler.include_batch
