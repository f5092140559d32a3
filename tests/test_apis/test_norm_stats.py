"""SharedInstanceNormStats: record a whole image's statistics, reuse them."""
import pytest
import torch
from torch import nn

from lowvis.apis.norm_stats import (SharedInstanceNormStats,
                                    instance_norm_layers)
from lowvis.models.archs.resnet_generator import ResnetGenerator


def _image(h=32, w=48, seed=0):
    return torch.rand(1, 3, h, w, generator=torch.Generator().manual_seed(
        seed)) * 2 - 1


def test_applied_stats_normalise_a_crop_with_the_whole_image_stats():
    norm = nn.InstanceNorm2d(3)
    x = _image()
    crop = x[:, :, 4:20, 8:40]
    with SharedInstanceNormStats(norm) as shared:
        norm(x)
        shared.mode = 'apply'
        out = norm(crop)
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = x.var(dim=(2, 3), unbiased=False, keepdim=True)
    expected = (crop - mean) / torch.sqrt(var + norm.eps)
    assert torch.allclose(out, expected, atol=1e-5)
    # and not what the crop's own statistics give
    assert not torch.allclose(out, norm(crop), atol=1e-2)


def test_affine_instance_norm_keeps_its_scale_and_shift():
    norm = nn.InstanceNorm2d(3, affine=True)
    with torch.no_grad():
        norm.weight.copy_(torch.tensor([2., 3., 4.]))
        norm.bias.copy_(torch.tensor([-1., 0., 1.]))
    x = _image()
    with SharedInstanceNormStats(norm) as shared:
        norm(x)
        shared.mode = 'apply'
        out = norm(x)
    assert torch.allclose(out, norm(x), atol=1e-5)


def test_same_image_gives_the_plain_forward_and_hooks_are_removed():
    torch.manual_seed(0)
    net = ResnetGenerator(ngf=8, n_blocks=2).eval()
    x = _image(32, 32)
    with torch.no_grad():
        plain = net(x)
        with SharedInstanceNormStats(net) as shared:
            net(x)
            assert shared.num_layers == len(instance_norm_layers(net)) == 9
            shared.mode = 'apply'
            shared_out = net(x)
            other = net(_image(32, 32, seed=1))
        after = net(_image(32, 32, seed=1))
    assert torch.allclose(shared_out, plain, atol=1e-5)
    # a different image normalised with x's statistics differs from its
    # own plain forward; after the context the hooks are gone
    assert not torch.allclose(other, after, atol=1e-3)
    assert torch.equal(after, net(_image(32, 32, seed=1)))


def test_layers_with_running_stats_in_eval_mode_are_not_hooked():
    net = nn.Sequential(nn.InstanceNorm2d(3, track_running_stats=True),
                        nn.InstanceNorm2d(3)).eval()
    assert instance_norm_layers(net) == [net[1]]


def test_apply_without_recording_is_an_error():
    norm = nn.InstanceNorm2d(3)
    with SharedInstanceNormStats(norm) as shared:
        shared.mode = 'apply'
        with pytest.raises(RuntimeError, match='recording pass'):
            norm(_image())
