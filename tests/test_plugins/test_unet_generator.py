"""plugins/unet_generator: UnetGenerator and its CycleGAN config."""
import pytest
import torch

from lowvis.models.contrastive import ContrastiveBranch
from lowvis.registry import MODELS
from lowvis.utils import ConfigError
from plugins.unet_generator import UnetGenerator

CONFIG = 'plugins/unet_generator/configs/cyclegan_demo_unet.py'


@pytest.fixture
def images():
    torch.manual_seed(0)
    return torch.rand(2, 3, 32, 32) * 2 - 1


def test_translates_at_full_size_in_range(images):
    net = MODELS.build(dict(type='UnetGenerator', ngf=8, num_downs=3))
    out = net(images)
    assert out.shape == images.shape
    assert out.min() >= -1 and out.max() <= 1


def test_taps_match_feature_channels(images):
    net = UnetGenerator(ngf=4, num_downs=2, max_channels=12)
    layers = list(range(net.num_taps))
    assert net.num_taps == 5
    # widths 4, 8, min(16, 12) = 12; decoder back to 8 then 4
    assert net.feature_channels(layers) == [4, 8, 12, 8, 4]
    out, feats = net(images, layers=layers)
    assert [f.shape[1] for f in feats] == [4, 8, 12, 8, 4]
    assert [f.shape[-1] for f in feats] == [32, 16, 8, 16, 32]
    assert out.shape == images.shape


def test_encode_only_returns_the_same_features_in_the_asked_order(images):
    net = UnetGenerator(ngf=4, num_downs=2).eval()
    _, full = net(images, layers=[1, 2])
    early = net(images, layers=[2, 1], encode_only=True)
    assert torch.equal(early[0], full[1]) and torch.equal(early[1], full[0])


def test_global_residual_starts_as_the_identity(images):
    net = UnetGenerator(ngf=4, num_downs=2, global_residual=True)
    assert torch.equal(net(images), images)


def test_gradients_reach_the_first_layer(images):
    net = UnetGenerator(ngf=4, num_downs=2)
    net(images).mean().backward()
    assert net.encoder[0][0].weight.grad.abs().sum() > 0


def test_errors_name_the_fix(images):
    net = UnetGenerator(ngf=4, num_downs=3)
    with pytest.raises(ValueError, match='multiples of 8'):
        net(images[..., :28, :28])
    with pytest.raises(ConfigError, match=r'taps are 0\.\.6'):
        net.feature_channels([7])
    with pytest.raises(ConfigError, match='num_downs'):
        UnetGenerator(num_downs=0)


def test_contrastive_methods_can_tap_its_encoder(images):
    """The contract ContrastiveBranch relies on: feature_channels sizes
    the heads, layers= taps the same features."""
    net = UnetGenerator(ngf=4, num_downs=2)
    layers = [0, 1, 2]
    branch = ContrastiveBranch(
        layers, {'A2B': net.feature_channels(layers)},
        head=dict(type='ProjectionHead', out_channels=8),
        patch_sampler=dict(type='PatchSampler', num_patches=16),
        negative_sampler=dict(type='InternalNegativeSampler'))
    fake, key_feats = net(images, layers=layers)
    query_feats = net(fake, layers=layers, encode_only=True)
    loss = branch.side_loss(branch.sample(query_feats, key_feats, 'A2B',
                                          'A2B'))
    loss.backward()
    assert torch.isfinite(loss)
    assert net.encoder[0][0].weight.grad.abs().sum() > 0


def test_cyclegan_config_trains(train_micro, demo_data_root):
    _, work_dir = train_micro(CONFIG, demo_data_root)
    ckpt = torch.load(f'{work_dir}/iter_2.pth', map_location='cpu',
                      weights_only=False)
    keys = list(ckpt['state_dict'])
    assert any(k.startswith('generators.A2B.encoder.') for k in keys)
    assert not any('.model.' in k for k in keys if 'generators' in k)
