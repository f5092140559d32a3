"""The opt-in channels_last switch: refused on the CPU, exact on CUDA."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from lowvis.engine.hooks import to_channels_last
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def demo_model(device):
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'dcdgan_demo.py'))
    return MODELS.build(cfg.model).to(device)


def test_channels_last_is_refused_on_the_cpu():
    model = demo_model('cpu')
    with pytest.raises(ConfigError, match='channels_last is CUDA-only: the '
                       'model is on cpu'):
        to_channels_last(model)
    # nothing was converted
    assert all(p.is_contiguous() for p in model.parameters())


def generator_grads(model, image):
    model.zero_grad()
    out = model.generators['A2B'](image)
    (out * torch.linspace(-1, 1, out.numel(), device=out.device).view_as(
        out)).sum().backward()
    return {n: p.grad.clone() for n, p in model.generators.named_parameters()}


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_channels_last_gives_the_same_gradients_on_cuda():
    model = demo_model('cuda')
    image = torch.rand(2, 3, 64, 64, device='cuda') * 2 - 1
    expected = generator_grads(model, image)
    converted = to_channels_last(copy.deepcopy(model))
    conv = converted.generators['A2B'].model[1].weight
    assert conv.is_contiguous(memory_format=torch.channels_last)
    got = generator_grads(converted, image)
    for name, grad in expected.items():
        torch.testing.assert_close(got[name], grad, rtol=1e-3, atol=1e-5)
