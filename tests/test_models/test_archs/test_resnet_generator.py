import pytest
import torch

from lowvis.models.archs import ResnetGenerator
from lowvis.models.archs.blur_sampling import BlurDownsample, BlurUpsample


@pytest.mark.parametrize('antialias', [False, True])
def test_output_shape_and_range(antialias):
    gen = ResnetGenerator(ngf=4, n_blocks=2, antialias=antialias)
    out = gen(torch.rand(2, 3, 32, 24) * 2 - 1)
    assert out.shape == (2, 3, 32, 24)
    assert out.abs().max() <= 1.0


def test_antialias_layer_indices_match_reference_layout():
    gen = ResnetGenerator(ngf=4, n_blocks=9, antialias=True)
    kinds = [type(m).__name__ for m in gen.model]
    assert len(kinds) == 32
    assert kinds[0] == 'ReflectionPad2d'
    assert kinds[4] == 'Conv2d' and kinds[8] == 'Conv2d'
    assert kinds[7] == 'BlurDownsample' and kinds[11] == 'BlurDownsample'
    assert kinds[12:21] == ['ResnetBlock'] * 9
    assert kinds[21] == 'BlurUpsample' and kinds[-1] == 'Tanh'


def test_feature_taps_shapes_and_channels():
    gen = ResnetGenerator(ngf=4, n_blocks=9, antialias=True)
    x = torch.randn(1, 3, 32, 32)
    out, feats = gen(x, layers=[0, 4, 8, 12, 16])
    shapes = [tuple(f.shape[1:]) for f in feats]
    assert shapes == [(3, 38, 38), (8, 32, 32), (16, 16, 16), (16, 8, 8),
                      (16, 8, 8)]
    assert gen.feature_channels([0, 4, 8, 12, 16]) == [3, 8, 16, 16, 16]
    torch.testing.assert_close(out, gen(x))


def test_encode_only_gives_the_same_features_as_the_full_pass():
    gen = ResnetGenerator(ngf=4, n_blocks=3, antialias=True)
    x = torch.randn(1, 3, 16, 16)
    _, feats = gen(x, layers=[12, 4])
    early = gen(x, layers=[12, 4], encode_only=True)
    for a, b in zip(feats, early):
        torch.testing.assert_close(a, b)
    assert early[0].shape[1] == 16 and early[1].shape[1] == 8


def test_global_residual_starts_at_identity():
    gen = ResnetGenerator(ngf=4, n_blocks=1, global_residual=True)
    x = torch.rand(1, 3, 16, 16) * 1.6 - 0.8
    torch.testing.assert_close(gen(x), x)


def test_blur_sampling_keeps_constants_and_halves_or_doubles_size():
    x = torch.full((1, 2, 8, 6), 0.5)
    down, up = BlurDownsample(2), BlurUpsample(2)
    torch.testing.assert_close(down(x), torch.full((1, 2, 4, 3), 0.5))
    torch.testing.assert_close(up(x), torch.full((1, 2, 16, 12), 0.5))


def test_bad_norm_is_rejected():
    with pytest.raises(ValueError, match='norm must be'):
        ResnetGenerator(norm='group')
