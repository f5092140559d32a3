"""Every config loads and builds; DCD-GAN configs say what the paper says."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

from lowvis.engine.runner.run_length import resolve_run_length
from lowvis.engine.optimizers import MultiOptimWrapperConstructor
from lowvis.registry import MODELS

CONFIG_DIR = Path(__file__).resolve().parents[2] / 'configs'
CONFIGS = sorted(p for p in CONFIG_DIR.rglob('*.py')
                 if '_base_' not in p.parts)
ABLATIONS = sorted((CONFIG_DIR / 'ablations').glob('dcdgan_rain800_*.py'))


def load(path):
    return Config.fromfile(str(path))


def optim_entries(cfg):
    return {k: v for k, v in cfg.optim_wrapper.items() if k != 'constructor'}


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[str(p.relative_to(CONFIG_DIR)) for p in CONFIGS])
def test_config_loads_and_model_builds(path):
    cfg = load(path)
    model = MODELS.build(cfg.model)
    # the optimizer dict matches the model's trainable submodules
    wrappers = MultiOptimWrapperConstructor(optim_entries(cfg))(model)
    updated = {owner for owners in wrappers.group_owners.values()
               for owner in owners}
    assert updated == set(optim_entries(cfg))


def test_dcdgan_configs_found():
    names = {p.name for p in CONFIGS}
    assert {'dcdgan_rain800.py', 'dcdgan_did.py', 'dcdgan_ddn.py',
            'dcdgan_spa.py', 'dcdgan_demo.py', 'dcdgan_rain800_realmix.py',
            'dcdgan_official_rain800.py'} <= names
    assert len(ABLATIONS) == 8


def negatives_per_query(model, patches=256):
    """(internal, external) negatives of one query, from the built sampler
    applied to ``patches`` keys per side."""
    keys = torch.nn.functional.normalize(torch.randn(1, patches, 4), dim=-1)
    bank, mask = model.heads.negative_sampler(keys, keys.clone())
    allowed = ~mask[0, 0] if mask is not None else torch.ones(bank.shape[1])
    internal = int(allowed[:patches].sum())
    return internal, int(allowed[patches:].sum())


def test_rain800_paper_settings():
    cfg = load(CONFIG_DIR / 'dcdgan_rain800.py')
    model = MODELS.build(cfg.model)  # the settings are the built model's
    g = model.generators['A2B']
    assert sum(type(m).__name__ == 'ResnetBlock' for m in g.model) == 9
    assert g.feature_channels([16])[0] == 256  # ngf 64: 4 x 64 in blocks
    assert type(g.model[4]).__name__ == 'Conv2d'  # antialias layout
    assert type(g.model[7]).__name__ == 'BlurDownsample'
    assert model.nce_layers == [4, 8, 12, 16]
    assert type(model.heads.negative_sampler).__name__ == \
        'DualNegativeSampler'
    assert negatives_per_query(model) == (255, 256)
    assert model.heads.patch_sampler.num_patches == 256
    assert model.heads.nce_loss.loss_weight == 2.0
    assert model.heads.nce_loss.temperature == 0.07
    assert type(model.loss_cycle).__name__ == 'ColorCycleLoss'
    assert model.loss_cycle.loss_weight == 1.0
    assert model.gan_loss.loss_weight == 1.0
    assert model.loss_freq.loss_weight == 0.1
    assert model.loss_identity is None
    for key in ('generators', 'discriminators', 'heads'):
        assert cfg.optim_wrapper[key].optimizer.lr == 1e-4
        assert cfg.optim_wrapper[key].optimizer.betas == (0.5, 0.999)
    assert cfg.train_dataloader.batch_size == 1
    assert cfg.train_cfg.max_iters == 420000
    # stated as fractions of the run; the runner resolves them
    resolve_run_length(cfg)
    decay = cfg.param_scheduler[0]
    assert (decay.begin, decay.end) == (210000, 420000)
    assert cfg.train_cfg.val_interval == 7000  # every 10 epochs


@pytest.mark.parametrize('name, images', [('did', 12000), ('ddn', 12600),
                                          ('spa', 28500)])
def test_other_datasets_schedule(name, images):
    cfg = load(CONFIG_DIR / f'dcdgan_{name}.py')
    assert cfg.train_dataloader.dataset.data_root == f'data/{name}'
    assert cfg.val_dataloader.dataset.data_root == f'data/{name}'
    assert cfg.train_cfg.max_iters == 600 * images
    resolve_run_length(cfg)
    assert cfg.param_scheduler[0].begin == 300 * images
    assert cfg.train_cfg.val_interval == images  # every epoch


def test_official_config_is_the_public_objective():
    cfg = load(CONFIG_DIR / 'dcdgan_official_rain800.py')
    model = MODELS.build(cfg.model)
    assert model.gan_loss.gan_mode == 'hinge'
    sampler = model.heads.negative_sampler
    assert type(sampler).__name__ == 'InternalNegativeSampler'
    assert sampler.include_batch
    assert model.loss_cycle is None and model.loss_freq is None
    assert model.loss_identity.loss_weight == 0.5
    assert cfg.optim_wrapper.heads.optimizer.lr == 1e-3
    types = [t.type for t in cfg.train_dataloader.dataset.pipeline]
    assert types.index('Resize') < types.index('RandomCrop')


def test_realmix_reads_two_rainy_folders():
    cfg = load(CONFIG_DIR / 'dcdgan_rain800_realmix.py')
    assert cfg.train_dataloader.dataset.dir_A == ['trainA', 'real_rainy']


@pytest.mark.parametrize('path', ABLATIONS, ids=[p.stem for p in ABLATIONS])
def test_ablation_changes_only_its_switch(path):
    base = load(CONFIG_DIR / 'dcdgan_rain800.py').to_dict()
    cfg = load(path).to_dict()
    changed = {k for k in set(base) | set(cfg) if base.get(k) != cfg.get(k)}
    allowed = {'model', 'optim_wrapper'} if path.stem.endswith('no_nce') \
        else {'model'}
    assert changed and changed <= allowed
    model_keys = {k for k in base['model']
                  if base['model'][k] != cfg['model'].get(k)}
    assert len(model_keys) <= 2, model_keys


def test_demo_recipe_is_the_paper_objective_with_three_changes():
    """docs/training_notes.md#the-demo-recipe: contrastive 0.1 per side,
    CycleGAN's sampling layout and colour cycle 10/3; the other loss terms
    and the negatives stay the paper's."""
    paper = MODELS.build(load(CONFIG_DIR / 'dcdgan_rain800.py').model)
    demo = MODELS.build(load(CONFIG_DIR / 'dcdgan_demo.py').model)
    assert demo.heads.nce_loss.loss_weight == 0.1
    # CycleGAN's layout in all four networks: strided and transposed
    # convolutions, no blur sampling (the paper config has both kinds)
    def module_types(nets):
        return {type(m).__name__ for net in nets.values()
                for m in net.modules()}
    assert {'BlurDownsample', 'BlurUpsample'} <= \
        module_types(paper.generators)
    for nets in (demo.generators, demo.discriminators):
        assert not any('Blur' in name for name in module_types(nets))
    assert 'ConvTranspose2d' in module_types(demo.generators)
    assert demo.nce_layers == [4, 7, 10, 12]
    assert demo.loss_cycle.loss_weight == pytest.approx(10 / 3)
    # ColorCycleLoss at 10/3 is CycleGAN's L1 mean at weight 10
    recon, real = torch.rand(2, 3, 8, 8), torch.rand(2, 3, 8, 8)
    assert demo.loss_cycle(recon, real).item() == pytest.approx(
        10 * (recon - real).abs().mean().item(), rel=1e-5)
    for name in ('gan_loss', 'loss_freq'):
        assert getattr(demo, name).loss_weight == \
            getattr(paper, name).loss_weight
    assert demo.loss_identity is None
    assert type(demo.heads.negative_sampler).__name__ == \
        'DualNegativeSampler'
