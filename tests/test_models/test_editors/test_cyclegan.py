import copy

import pytest
import torch
from mmengine.structures import BaseDataElement

from lowvis.engine import MultiOptimWrapperConstructor
from lowvis.models.utils import ImagePool
from lowvis.registry import MODELS

GEN = dict(type='ResnetGenerator', ngf=4, n_blocks=1)
DISC = dict(type='PatchDiscriminator', ndf=4, n_layers=2)


def micro_cyclegan(**kwargs):
    cfg = dict(type='CycleGAN', generators=dict(A2B=GEN, B2A=GEN),
               discriminators=dict(B=DISC, A=DISC), seed=0, **kwargs)
    return MODELS.build(cfg)


def optim_for(model):
    adam = dict(optimizer=dict(type='Adam', lr=1e-3, betas=(0.5, 0.999)))
    return MultiOptimWrapperConstructor(
        dict(generators=adam, discriminators=adam))(model)


def batch(n=2, size=32):
    torch.manual_seed(0)
    imgs = lambda: [torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
                    for _ in range(n)]
    return dict(inputs=dict(img_A=imgs(), img_B=imgs()),
                data_samples=[BaseDataElement(metainfo=dict(name=f'x{i}'))
                              for i in range(n)])


def count_passes(model):
    counts = {'n': 0}
    for gen in model.generators.values():
        gen.register_forward_hook(lambda *a: counts.__setitem__(
            'n', counts['n'] + 1))
    return counts


def test_train_step_updates_all_submodules_with_finite_losses():
    model = micro_cyclegan()
    before = copy.deepcopy(model.state_dict())
    logs = model.train_step(batch(), optim_for(model))
    expected = {'loss_disc_A', 'loss_disc_B', 'loss_gan_A2B', 'loss_gan_B2A',
                'loss_cycle_A', 'loss_cycle_B', 'loss_idt_A', 'loss_idt_B'}
    assert set(logs) == expected
    assert all(torch.isfinite(torch.as_tensor(v)) for v in logs.values())
    after = model.state_dict()
    for key in ('generators.A2B.model.1.weight',
                'generators.B2A.model.1.weight',
                'discriminators.A.model.0.weight',
                'discriminators.B.model.0.weight'):
        assert not torch.equal(before[key], after[key]), key


def test_generator_passes_per_iteration():
    model = micro_cyclegan()
    counts = count_passes(model)
    model.train_step(batch(), optim_for(model))
    assert counts['n'] == 6
    model = micro_cyclegan(loss_identity=None)
    counts = count_passes(model)
    model.train_step(batch(), optim_for(model))
    assert counts['n'] == 4


def test_discriminators_get_no_gradient_from_the_generator_step():
    model = micro_cyclegan()
    optim = optim_for(model)
    model.train_step(batch(), optim)
    assert all(p.grad is None or not p.grad.any()
               for p in model.discriminators.parameters())
    assert all(p.requires_grad for p in model.discriminators.parameters())


def test_predict_returns_full_size_images_in_0_255():
    model = micro_cyclegan()
    data = model.data_preprocessor(batch(n=1, size=36), False)
    out = model(**data, mode='predict')
    assert len(out) == 1 and out[0].name == 'x0'
    for key in ('pred_img', 'input_img', 'gt_img'):
        img = getattr(out[0], key)
        assert img.shape == (3, 36, 36) and img.dtype == torch.float32
        assert 0 <= img.min() and img.max() <= 255


def test_image_pool_state_round_trips():
    gen = torch.Generator().manual_seed(0)
    pool = ImagePool(pool_size=2)
    first = pool.query(torch.rand(3, 3, 4, 4), gen)
    assert first.shape == (3, 3, 4, 4) and len(pool.images) == 2
    clone = ImagePool(pool_size=2)
    clone.load_state_dict(pool.state_dict())
    torch.testing.assert_close(torch.cat(clone.images), torch.cat(pool.images))
    new = torch.rand(4, 3, 4, 4)
    g1, g2 = torch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    torch.testing.assert_close(pool.query(new, g1), clone.query(new, g2))


def test_forward_loss_mode_is_refused():
    model = micro_cyclegan()
    with pytest.raises(ValueError, match='train_step'):
        model(dict(img_A=torch.zeros(1, 3, 8, 8)), mode='loss')
