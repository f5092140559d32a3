"""One wrapper for the generator side: param groups, schedulers, old layout.

The reference for "same arithmetic" is the old layout rebuilt here: one Adam
per submodule (generators, heads), stepped one after the other on the same
loss.
"""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper

from lowvis.engine.optimizers import (GANOptimWrapperDict,
                                      MultiOptimWrapperConstructor,
                                      upgrade_optimizer_layout)
from lowvis.registry import MODELS, PARAM_SCHEDULERS
from lowvis.utils.errors import CheckpointError, ConfigError
from training_batches import random_batch

GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1, antialias=True)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2, antialias=True)


def micro_dclgan():
    return MODELS.build(dict(
        type='DCLGAN', generators=dict(A2B=GEN, B2A=GEN),
        discriminators=dict(B=DISC, A=DISC), nce_layers=(4, 8, 12), seed=0,
        contrastive=dict(patch_sampler=dict(type='PatchSampler',
                                            num_patches=16))))


def adam(lr, betas=(0.5, 0.999)):
    return dict(type='OptimWrapper',
                optimizer=dict(type='Adam', lr=lr, betas=betas))


CFG = dict(generators=adam(2e-4), heads=adam(1e-3, (0.9, 0.999)),
           discriminators=adam(4e-4))


def build(model, cfg=CFG):
    return MultiOptimWrapperConstructor(copy.deepcopy(cfg))(model)


def test_generator_side_is_derived_from_the_model():
    model = micro_dclgan()
    assert model.generator_side() == ('generators', 'heads')
    optim = build(model)
    assert isinstance(optim, GANOptimWrapperDict)
    assert sorted(optim.keys()) == ['discriminators', 'generators']
    groups = optim['generators'].optimizer.param_groups
    assert optim.group_owners == {'generators': ['generators', 'heads'],
                                  'discriminators': ['discriminators']}
    assert [g['lr'] for g in groups] == [2e-4, 1e-3]
    assert [g['betas'] for g in groups] == [(0.5, 0.999), (0.9, 0.999)]
    # every parameter of both submodules, each once
    ids = [id(p) for g in groups for p in g['params']]
    expected = [id(p) for p in model.generators.parameters()] + \
        [id(p) for p in model.heads.parameters()]
    assert ids == expected
    assert optim.get_lr() == {'generators.base_lr': [2e-4],
                              'generators.lr': [2e-4], 'heads.lr': [1e-3],
                              'discriminators.lr': [4e-4]}


def test_heads_without_an_entry_use_the_generators_one():
    cfg = {k: v for k, v in CFG.items() if k != 'heads'}
    optim = build(micro_dclgan(), cfg)
    groups = optim['generators'].optimizer.param_groups
    assert optim.group_owners['generators'] == ['generators', 'heads']
    assert [g['lr'] for g in groups] == [2e-4, 2e-4]


def test_generator_side_entries_must_share_wrapper_settings():
    cfg = dict(CFG, heads=dict(adam(1e-3), accumulative_counts=2))
    with pytest.raises(ConfigError, match='accumulative_counts'):
        build(micro_dclgan(), cfg)
    cfg = dict(CFG, heads=dict(type='OptimWrapper',
                               optimizer=dict(type='SGD', lr=0.1)))
    with pytest.raises(ConfigError, match="'Adam'.*got 'SGD'"):
        build(micro_dclgan(), cfg)


def test_linear_lr_acts_on_every_group():
    optim = build(micro_dclgan())['generators']
    scheduler = PARAM_SCHEDULERS.build(
        dict(type='LinearLR', start_factor=1.0, end_factor=0.0,
             by_epoch=False, begin=0, end=4), default_args=dict(
                 optimizer=optim))
    for _ in range(2):
        optim.step()
        scheduler.step()
    lrs = [g['lr'] for g in optim.optimizer.param_groups]
    # end=4: factor 1 - 2/3 after two steps, on both groups
    assert lrs == pytest.approx([2e-4 / 3, 1e-3 / 3])


class OldLayout:
    """The old generator step: one Adam per submodule, stepped in turn."""

    def __init__(self, model):
        self.model = model
        self.gen = {name: OptimWrapper(torch.optim.Adam(
            getattr(model, name).parameters(), lr=cfg['optimizer']['lr'],
            betas=cfg['optimizer']['betas']))
            for name, cfg in CFG.items()}

    def train_step(self, data):
        """main's train_step, reduced to its update order."""
        model = self.model
        data = model.data_preprocessor(data, True)
        out = model.forward_train(data['inputs']['img_A'],
                                  data['inputs']['img_B'])
        loss_d, _ = model.parse_losses(model.discriminator_losses(out))
        self.gen['discriminators'].update_params(loss_d)
        for p in model.discriminators.parameters():
            p.requires_grad_(False)
        loss_g, _ = model.parse_losses(model.generator_losses(out))
        for p in model.discriminators.parameters():
            p.requires_grad_(True)
        loss_g.backward()
        for name in ('generators', 'heads'):
            self.gen[name].step()
            self.gen[name].zero_grad()

    def checkpoint(self):
        return dict(optimizer={k: w.state_dict()
                               for k, w in self.gen.items()})


def assert_same_weights(a, b):
    for (key, x), y in zip(a.state_dict().items(), b.state_dict().values()):
        if isinstance(x, torch.Tensor):
            assert torch.equal(x, y), key


def test_one_wrapper_is_bit_identical_to_one_adam_per_submodule():
    new, old = micro_dclgan(), micro_dclgan()
    old.load_state_dict(new.state_dict())
    optim, reference = build(new), OldLayout(old)
    for seed in range(3):
        new.train_step(random_batch(seed=seed), optim)
        reference.train_step(random_batch(seed=seed))
    assert_same_weights(new, old)
    heads = 'heads.projectors.A2B.mlps.0.0.weight'
    assert not torch.equal(new.state_dict()[heads],
                           micro_dclgan().state_dict()[heads])


def test_old_layout_checkpoint_resumes_bit_identically():
    """A checkpoint with separate 'generators' and 'heads' optimizer states
    (and per-wrapper schedulers) continues exactly as the old code would."""
    model, old_model = micro_dclgan(), micro_dclgan()
    old_model.load_state_dict(model.state_dict())
    reference = OldLayout(old_model)
    for seed in range(2):
        reference.train_step(random_batch(seed=seed))
    checkpoint = copy.deepcopy(reference.checkpoint())  # as from a file
    schedulers = {name: [dict(base_values=[CFG[name]['optimizer']['lr']],
                              _last_value=[CFG[name]['optimizer']['lr']],
                              last_step=2, by_epoch=False)]
                  for name in CFG}
    checkpoint['param_schedulers'] = copy.deepcopy(schedulers)
    model.load_state_dict(old_model.state_dict())
    optim = build(model)
    with pytest.raises(CheckpointError, match='old layout'):
        optim.load_state_dict(copy.deepcopy(checkpoint['optimizer']))
    assert optim.upgrade_checkpoint(checkpoint)
    assert sorted(checkpoint['optimizer']) == ['discriminators',
                                               'generators']
    assert checkpoint['param_schedulers']['generators'][0]['base_values'] \
        == [2e-4, 1e-3, 2e-4]  # + mmengine's base setting (group 0's)
    optim.load_state_dict(checkpoint['optimizer'])
    for seed in range(2, 4):
        model.train_step(random_batch(seed=seed), optim)
        reference.train_step(random_batch(seed=seed))
    assert_same_weights(model, old_model)
    # a new-layout checkpoint is left alone
    assert not upgrade_optimizer_layout(
        dict(optimizer=optim.state_dict()), optim.shared_sides())


def test_discriminator_step_is_skipped_at_adversarial_weight_0():
    model = MODELS.build(dict(
        type='DCDGAN', generators=dict(A2B=GEN, B2A=GEN),
        discriminators=dict(B=DISC, A=DISC), nce_layers=(4, 8, 12), seed=0,
        gan_loss=dict(type='GANLoss', gan_mode='lsgan', loss_weight=0.0),
        contrastive=dict(patch_sampler=dict(type='PatchSampler',
                                            num_patches=16),
                         negative_sampler=dict(type='InternalNegativeSampler')
                         )))
    assert not model.trains_discriminators()
    optim = build(model)
    d_steps = []
    optim['discriminators'].optimizer.register_step_post_hook(
        lambda *args: d_steps.append(1))
    before = copy.deepcopy(model.state_dict())
    logs = model.train_step(random_batch(seed=0), optim)
    assert not [k for k in logs if 'disc' in k or 'gan' in k]
    assert d_steps == []
    after = model.state_dict()
    for key, value in after.items():
        if key.startswith('discriminators.'):
            assert torch.equal(value, before[key]), key
    assert not torch.equal(after['generators.A2B.model.1.weight'],
                           before['generators.A2B.model.1.weight'])
