import pytest
import torch

from lowvis.models.archs import PatchDiscriminator


@pytest.mark.parametrize('antialias', [False, True])
def test_70x70_patchgan_output_grid(antialias):
    disc = PatchDiscriminator(ndf=4, n_layers=3, antialias=antialias)
    out = disc(torch.randn(1, 3, 256, 256))
    assert out.shape == (1, 1, 30, 30)


def test_receptive_field_is_70_pixels():
    disc = PatchDiscriminator(ndf=4, n_layers=3, norm='none')
    x = torch.zeros(1, 3, 128, 128, requires_grad=True)
    disc(x)[0, 0, 6, 6].backward()
    rows = x.grad.abs().sum(dim=(0, 1, 3)).nonzero().flatten()
    assert rows.max() - rows.min() + 1 == 70
