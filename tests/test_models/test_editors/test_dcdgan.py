import copy

import pytest
import torch

from lowvis.engine.optimizers import MultiOptimWrapperConstructor
from lowvis.models.editors import DCDGAN
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from training_batches import random_batch

LAYERS = (4, 8, 12)
GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1, antialias=True,
           init_type='xavier', init_gain=0.02)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2, antialias=True)


def micro_cfg(**overrides):
    """A micro DCD-GAN with every term of the objective switched on."""
    cfg = dict(
        type='DCDGAN', generators=dict(A2B=GEN, B2A=GEN),
        discriminators=dict(B=DISC, A=DISC),
        gan_loss=dict(type='GANLoss', gan_mode='lsgan', loss_weight=1.0),
        nce_layers=LAYERS,
        contrastive=dict(
            head=dict(type='ProjectionHead', out_channels=8),
            patch_sampler=dict(type='PatchSampler', num_patches=8),
            negative_sampler=dict(type='DualNegativeSampler'),
            nce_loss=dict(type='PatchNCELoss', loss_weight=2.0)),
        loss_cycle=dict(type='ColorCycleLoss', loss_weight=1.0),
        loss_freq=dict(type='FrequencyLoss', loss_weight=0.1),
        loss_identity=dict(type='L1Loss', loss_weight=1.0),
        seed=0)
    cfg.update(overrides)
    return cfg


def build(**overrides):
    return MODELS.build(micro_cfg(**overrides))


def images(seed=0, n=2, size=32):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(n, 3, size, size, generator=g) * 2 - 1,
            torch.rand(n, 3, size, size, generator=g) * 2 - 1)


def count_passes(model):
    counts = {'A2B': 0, 'B2A': 0}

    def hook(name):
        def fn(module, args, output):
            counts[name] += 1
        return fn

    for name, gen in model.generators.items():
        gen.register_forward_hook(hook(name))
    return counts


def optim_wrappers(model, with_heads=True):
    adam = dict(type='OptimWrapper',
                optimizer=dict(type='Adam', lr=1e-2, betas=(0.5, 0.999)))
    cfg = dict(generators=adam, discriminators=adam)
    if with_heads:
        cfg['heads'] = adam
    return MultiOptimWrapperConstructor(copy.deepcopy(cfg))(model)


ALL_TERMS = {'loss_nce_side1', 'loss_nce_side2', 'loss_gan_A2B',
             'loss_gan_B2A', 'loss_color_cycle_A', 'loss_color_cycle_B',
             'loss_freq_A', 'loss_freq_B', 'loss_idt_A', 'loss_idt_B'}


def test_registered_and_heads_built_at_construction():
    model = build()
    assert isinstance(model, DCDGAN)
    assert model.generator_side() == ('generators', 'heads')
    children = {name for name, _ in model.named_children()}
    assert {'generators', 'discriminators', 'heads'} <= children
    # ngf 4: down convs 8, 16 channels; residual block 16
    assert model.heads.projectors['A2B'].in_channels == [8, 16, 16]
    assert model.heads.projectors['B2A'].in_channels == [8, 16, 16]


@pytest.mark.parametrize('freq_pairs', ['cycle', 'translated_vs_real'])
def test_every_term_sends_gradient_to_the_generators(freq_pairs):
    model = build(freq_pairs=freq_pairs)
    real_a, real_b = images()
    keys = set(model.generator_losses(model.forward_train(real_a,
                                                          real_b)))
    assert keys == ALL_TERMS
    for key in sorted(keys):
        model.zero_grad()
        losses = model.generator_losses(model.forward_train(real_a, real_b))
        term = losses[key]
        assert torch.isfinite(term) and term.item() > 0, key
        term.backward()
        grads = [p.grad.abs().sum().item()
                 for p in model.generators.parameters()
                 if p.grad is not None]
        assert grads and max(grads) > 0, f'{key} gives no gradient'


@pytest.mark.parametrize('switch, removed', [
    (dict(contrastive=None), {'loss_nce_side1', 'loss_nce_side2'}),
    (dict(loss_cycle=dict(type='ColorCycleLoss', loss_weight=0.0)),
     {'loss_color_cycle_A', 'loss_color_cycle_B'}),
    (dict(gan_loss=dict(type='GANLoss', loss_weight=0.0)),
     {'loss_gan_A2B', 'loss_gan_B2A'}),
    (dict(loss_freq=dict(type='FrequencyLoss', loss_weight=0.0)),
     {'loss_freq_A', 'loss_freq_B'}),
    (dict(loss_identity=None), {'loss_idt_A', 'loss_idt_B'}),
])
def test_weight_zero_removes_the_term(switch, removed):
    model = build(**switch)
    log = model.train_step(random_batch(), optim_wrappers(
        model, with_heads=model.heads is not None))
    assert not removed & set(log)
    assert ALL_TERMS - removed <= set(log)


def test_nce_weight_zero_builds_no_heads():
    cfg = micro_cfg()
    cfg['contrastive']['nce_loss']['loss_weight'] = 0.0
    model = MODELS.build(cfg)
    assert model.heads is None
    assert not any('heads' in name for name, _ in model.named_parameters())


def test_plain_cycle_log_name():
    model = build(loss_cycle=dict(type='L1Loss', loss_weight=1.0))
    losses = model.generator_losses(model.forward_train(*images()))
    assert {'loss_cycle_A', 'loss_cycle_B'} <= set(losses)
    assert not any(k.startswith('loss_color_cycle') for k in losses)


@pytest.mark.parametrize('overrides, expected', [
    (dict(loss_identity=None), {'A2B': 2, 'B2A': 2}),
    (dict(), {'A2B': 3, 'B2A': 3}),
    # no term needs the reconstructions: only the two translations run
    (dict(loss_identity=None, contrastive=None, loss_cycle=None,
          freq_pairs='translated_vs_real'), {'A2B': 1, 'B2A': 1}),
    (dict(loss_identity=None, backward_cycle=False, contrastive=dict(
        head=dict(type='ProjectionHead', out_channels=8),
        patch_sampler=dict(type='PatchSampler', num_patches=8),
        negative_sampler=dict(type='InternalNegativeSampler'),
        nce_loss=dict(type='PatchNCELoss', loss_weight=2.0))),
     {'A2B': 1, 'B2A': 1}),
])
def test_generator_passes_per_train_step(overrides, expected):
    model = build(**overrides)
    counts = count_passes(model)
    model.train_step(random_batch(), optim_wrappers(
        model, with_heads=model.heads is not None))
    assert counts == expected


def test_features_come_from_the_translation_passes():
    model = build(loss_identity=None)
    real_a, real_b = images()
    out = model.forward_train(real_a, real_b)
    with torch.no_grad():
        enc = {name: (lambda x, g=gen: g(x, layers=list(LAYERS),
                                         encode_only=True))
               for name, gen in model.generators.items()}
        expected = dict(feat_a=enc['A2B'](real_a),
                        feat_fake_b=enc['B2A'](out['fake_b']),
                        feat_b=enc['B2A'](real_b),
                        feat_fake_a=enc['A2B'](out['fake_a']))
    for key, feats in expected.items():
        for got, want in zip(out[key], feats):
            assert torch.allclose(got, want), key


def test_query_and_key_patches_come_from_the_same_locations():
    model = build(loss_identity=None)
    calls = []

    def record(module, args, output):
        feats, patch_ids = args[0], args[1] if len(args) > 1 else None
        calls.append((feats, patch_ids, output[1]))

    model.heads.patch_sampler.register_forward_hook(record)
    out = model.forward_train(*images())
    model.contrastive_losses(out)
    assert len(calls) == 4  # keys then queries, for each side
    for side, (key_feat, query_feat) in enumerate(
            [('feat_a', 'feat_fake_b'), ('feat_b', 'feat_fake_a')]):
        (k_feats, k_given, k_ids), (q_feats, q_given, q_ids) = \
            calls[2 * side:2 * side + 2]
        assert k_given is None  # drawn fresh on the key stack
        assert all(a is b for a, b in zip(k_feats, out[key_feat]))
        assert all(a is b for a, b in zip(q_feats, out[query_feat]))
        assert all(torch.equal(a, b) for a, b in zip(q_ids, k_ids))
    # the two sides draw their locations independently
    assert not torch.equal(calls[0][2][0], calls[2][2][0])


def test_train_step_updates_generators_discriminators_and_heads():
    model = build()
    wrappers = optim_wrappers(model)
    before = {name: [p.detach().clone() for p in getattr(model,
                                                         name).parameters()]
              for name in ('generators', 'discriminators', 'heads')}
    log = model.train_step(random_batch(), wrappers)
    assert set(log) == ALL_TERMS | {'loss_disc_A', 'loss_disc_B'}
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log.values())
    for name, params in before.items():
        after = list(getattr(model, name).parameters())
        changed = any(not torch.equal(a, b) for a, b in zip(params, after))
        assert changed, f'{name} did not change'


def test_same_seed_same_losses():
    losses = []
    for _ in range(2):
        torch.manual_seed(0)
        model = build()
        log = model.train_step(random_batch(), optim_wrappers(model))
        losses.append({k: float(torch.as_tensor(v).detach())
                       for k, v in log.items()})
    assert losses[0] == losses[1]


def test_configuration_errors():
    with pytest.raises(ConfigError, match='backward_cycle=False'):
        build(backward_cycle=False)
    with pytest.raises(ConfigError, match='freq_pairs'):
        build(freq_pairs='spectrum')


def test_unused_reconstructions_run_the_encoder_only():
    # the official config: cycle and frequency weights 0, contrast on. The
    # reconstruction passes are needed only for their encoder features
    # (the queries), so the decoder (the last conv) runs for the two
    # translations only, and no reconstruction is produced
    model = build(loss_cycle=dict(loss_weight=0.0),
                  loss_freq=dict(loss_weight=0.0), loss_identity=None)
    decoder_calls = {'A2B': 0, 'B2A': 0}
    for name, gen in model.generators.items():
        gen.model[-2].register_forward_hook(
            lambda *_, name=name: decoder_calls.__setitem__(
                name, decoder_calls[name] + 1))
    real_a, real_b = images()
    out = model.forward_train(real_a, real_b)
    assert decoder_calls == {'A2B': 1, 'B2A': 1}
    assert 'rec_a' not in out and 'rec_b' not in out
    # the queries are the other generator's encoder features of the fakes
    want = model.generators['B2A'](out['fake_b'], layers=LAYERS,
                                   encode_only=True)
    for got, ref in zip(out['feat_fake_b'], want):
        torch.testing.assert_close(got, ref)
    losses = model.generator_losses(out)
    assert {'loss_nce_side1', 'loss_nce_side2'} <= set(losses)
    # with a cycle term the reconstructions are back
    model = build(loss_freq=dict(loss_weight=0.0), loss_identity=None)
    assert 'rec_a' in model.forward_train(real_a, real_b)
