import pytest
import torch

from lowvis.models.archs.projection_head import ProjectionHead
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError


def _patches(seed, n=2, p=5, channels=(3, 16)):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, p, c, generator=g) for c in channels]


def test_parameters_exist_at_construction():
    head = ProjectionHead([3, 16], out_channels=8)
    shapes = [tuple(p.shape) for p in head.parameters()]
    assert shapes == [(8, 3), (8, ), (8, 8), (8, ), (8, 16), (8, ), (8, 8),
                      (8, )]
    assert isinstance(head.mlps[0][1], torch.nn.ReLU)


def _linears(head):
    return [m for m in head.modules() if isinstance(m, torch.nn.Linear)]


def test_init_xavier_gain_002_zero_bias_as_the_references():
    # the references' init_net(init_type='xavier', gain 0.02):
    # std = 0.02 * sqrt(2 / (fan_in + fan_out))
    torch.manual_seed(0)
    head = MODELS.build(dict(type='ProjectionHead', in_channels=[64]))
    first, second = _linears(head)
    # 64 -> 256: 0.02 * sqrt(2 / 320) = 0.0015811
    assert first.weight.std().item() == pytest.approx(0.0015811, rel=0.05)
    # 256 -> 256: 0.02 * sqrt(2 / 512) = 0.00125
    assert second.weight.std().item() == pytest.approx(0.00125, rel=0.05)
    assert abs(second.weight.mean().item()) < 1e-4
    assert all((m.bias == 0).all() for m in _linears(head))


def test_init_normal_is_an_option():
    torch.manual_seed(0)
    head = ProjectionHead([256], init_type='normal')
    weights = torch.cat([m.weight.flatten() for m in _linears(head)])
    assert weights.std().item() == pytest.approx(0.02, rel=0.05)
    with pytest.raises(ConfigError, match='init_type'):
        ProjectionHead([256], init_type='kaiming_uniform')


def test_l2_normalisation_divides_by_norm_plus_eps_as_the_references():
    # x / (||x|| + 1e-7): a vector of norm 5e-8 is divided by 1.5e-7, not
    # clamped to 1e-7 (which would give (0.3, 0.4))
    head = ProjectionHead([2], use_mlp=False)
    out = head([torch.tensor([[[3e-8, 4e-8], [3.0, 4.0]]])])[0]
    assert out[0, 0].tolist() == pytest.approx([0.2, 0.8 / 3], rel=1e-5)
    assert out[0, 1].tolist() == pytest.approx([0.6, 0.8], rel=1e-6)


def test_shapes_unit_norm_and_gradients():
    head = ProjectionHead([3, 16], out_channels=8)
    patches = [p.requires_grad_(True) for p in _patches(0)]
    out = head(patches)
    assert [tuple(o.shape) for o in out] == [(2, 5, 8), (2, 5, 8)]
    for layer, o in enumerate(out):
        # ||x|| / (||x|| + 1e-7): the init is small (xavier gain 0.02), so
        # the norm is visibly below 1 at first, as in the references
        raw = head.mlps[layer](patches[layer]).norm(dim=-1)
        torch.testing.assert_close(o.norm(dim=-1), raw / (raw + 1e-7))
    sum(o[..., 0].sum() for o in out).backward()
    assert patches[0].grad is not None
    assert all(p.grad is not None for p in head.parameters())


def test_identity_without_mlp():
    head = ProjectionHead([3, 16], use_mlp=False)
    assert list(head.parameters()) == []
    patches = _patches(1)
    out = head(patches)
    for o, p in zip(out, patches):
        assert o.shape == p.shape
        assert torch.allclose(o, p / p.norm(dim=-1, keepdim=True), atol=1e-6)
    # a zero vector stays finite
    assert torch.isfinite(head([torch.zeros(1, 1, 3),
                                torch.zeros(1, 1, 16)])[0]).all()


def test_bad_inputs():
    head = ProjectionHead([3, 16])
    with pytest.raises(ValueError, match='2 layers'):
        head(_patches(0, channels=(3, )))
    with pytest.raises(ValueError, match='expects 16 channels'):
        head(_patches(0, channels=(3, 4)))
    with pytest.raises(ConfigError, match='in_channels'):
        ProjectionHead([])
    with pytest.raises(ConfigError, match='in_channels'):
        ProjectionHead(64)
