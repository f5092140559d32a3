"""init_model and restore: loading, image layouts and depths, tiling."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from torch import nn

from lowvis.apis import init_model, restore, restoring_generator
from lowvis.utils.errors import CheckpointError, ConfigError


class IdentityNet(nn.Module):
    """1x1 convolution initialised to the identity (a 'perfect' model)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 1)
        with torch.no_grad():
            self.conv.weight.copy_(torch.eye(3)[:, :, None, None])
            self.conv.bias.zero_()

    def forward(self, x):
        return self.conv(x)


def _random_image(shape, dtype=np.uint8, seed=0):
    peak = np.iinfo(dtype).max
    return np.random.default_rng(seed).integers(0, peak + 1, shape,
                                                dtype=dtype)


@pytest.fixture(scope='module')
def model(micro_checkpoint):
    return init_model(micro_checkpoint.config, micro_checkpoint.checkpoint)


def test_init_model_loads_the_checkpoint(model, micro_checkpoint):
    state = torch.load(micro_checkpoint.checkpoint,
                       weights_only=True)['state_dict']
    assert not model.training and type(model).__name__ == 'CycleGAN'
    assert isinstance(model.cfg, Config)
    gen = restoring_generator(model)
    assert gen is model.generators['A2B']
    for key, value in gen.state_dict().items():
        assert torch.equal(value, state['generators.A2B.' + key])


def test_init_model_accepts_a_loaded_config(micro_checkpoint):
    cfg = Config.fromfile(micro_checkpoint.config)
    model = init_model(cfg, micro_checkpoint.checkpoint)
    assert model.cfg is cfg


@pytest.mark.parametrize('dtype', [np.uint8, np.uint16])
def test_identity_model_round_trips_exactly(dtype):
    img = _random_image((21, 30, 3), dtype)
    assert np.array_equal(restore(IdentityNet(), img, tile=0), img)
    assert np.array_equal(restore(IdentityNet(), img, tile=8,
                                  tile_overlap=4), img)


def test_gray_and_rgba_layouts_with_the_identity_model():
    gray = _random_image((17, 23))
    out = restore(IdentityNet(), gray)
    assert out.shape == (17, 23) and np.array_equal(out, gray)
    out = restore(IdentityNet(), gray[:, :, None])
    assert out.shape == (17, 23, 1) and np.array_equal(out[:, :, 0], gray)
    rgba = _random_image((17, 23, 4), np.uint16)
    out = restore(IdentityNet(), rgba)
    assert out.dtype == np.uint16 and np.array_equal(out, rgba)


@pytest.mark.parametrize('shape', [(37, 53, 3), (5, 130, 3), (66, 3, 3)])
def test_any_size_and_aspect_ratio(model, shape):
    img = _random_image(shape)
    for tile in (0, 32):
        out = restore(model, img, tile=tile, tile_overlap=8)
        assert out.shape == shape and out.dtype == np.uint8


def test_rgba_keeps_alpha_and_gray_stays_gray(model):
    rgba = _random_image((40, 48, 4))
    out = restore(model, rgba)
    assert np.array_equal(out[:, :, 3], rgba[:, :, 3])
    assert np.array_equal(out[:, :, :3], restore(model, rgba[:, :, :3]))
    gray = _random_image((40, 48))
    rgb_out = restore(model, np.repeat(gray[:, :, None], 3, axis=2))
    luma = rgb_out.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    assert np.abs(restore(model, gray).astype(np.float64) - luma).max() <= 1


def test_16_bit_input_agrees_with_8_bit(model):
    img8 = _random_image((40, 48, 3))
    out8 = restore(model, img8)
    out16 = restore(model, img8.astype(np.uint16) * 257)
    assert out16.dtype == np.uint16
    assert np.abs(out16 / 257.0 - out8).max() <= 0.51


@pytest.mark.parametrize('norm_stats', ['tile', 'global'])
def test_image_that_fits_one_tile_equals_untiled(model, micro_checkpoint,
                                                 norm_stats):
    from lowvis.datasets import list_images, read_image
    img = read_image(list_images(micro_checkpoint.data_root + '/testA')[0])
    assert img.shape == (128, 128, 3)
    untiled = restore(model, img, tile=0)
    tiled = restore(model, img, tile=128, norm_stats=norm_stats)
    assert np.array_equal(tiled, untiled)
    assert np.array_equal(restore(model, img, tile=130), untiled)


def test_bad_arguments(model):
    img = _random_image((8, 8, 3))
    with pytest.raises(ValueError, match='norm_stats'):
        restore(model, img, norm_stats='batch')
    with pytest.raises(ValueError, match='CUDA'):
        restore(model, img, fp16=True)
    with pytest.raises(ValueError, match='uint8 or uint16'):
        restore(model, img.astype(np.float32))
    with pytest.raises(ValueError, match='shape'):
        restore(model, _random_image((8, 8, 2)))


def test_missing_config_and_checkpoint(micro_checkpoint, tmp_path):
    with pytest.raises(ConfigError, match='nope.py'):
        init_model(str(tmp_path / 'nope.py'))
    with pytest.raises(CheckpointError, match='not found: .*nope.pth'):
        init_model(micro_checkpoint.config, str(tmp_path / 'nope.pth'))


def test_checkpoint_of_another_model_type(micro_checkpoint, tmp_path):
    ckpt = torch.load(micro_checkpoint.checkpoint, weights_only=True)
    ckpt['meta']['model_type'] = 'DCDGAN'
    path = str(tmp_path / 'other.pth')
    torch.save(ckpt, path)
    with pytest.raises(CheckpointError) as info:
        init_model(micro_checkpoint.config, path)
    message = str(info.value)
    assert path in message and 'DCDGAN' in message and 'CycleGAN' in message
    assert '\n' not in message


def test_checkpoint_that_does_not_fit_the_config(micro_checkpoint):
    cfg = Config.fromfile(micro_checkpoint.config)
    cfg.model.generators.A2B.ngf = 16  # the checkpoint has ngf 8
    with pytest.raises(CheckpointError, match='shape') as info:
        init_model(cfg, micro_checkpoint.checkpoint)
    assert micro_checkpoint.checkpoint in str(info.value)
