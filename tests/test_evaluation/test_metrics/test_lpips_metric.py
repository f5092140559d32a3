import numpy as np
import pytest
import torch
from skimage import data
from torchvision.models import alexnet

from lowvis.evaluation import LPIPS
from lowvis.evaluation.functional.lpips_model import ENV_VAR
from lowvis.utils.errors import CheckpointError, MissingWeightsError


@pytest.fixture(scope='module')
def backbone_file(tmp_path_factory):
    """A torchvision-format AlexNet file with random (not ImageNet) weights:
    it exercises the real loading path, not the real LPIPS values."""
    torch.manual_seed(0)
    features = alexnet(weights=None).features.state_dict()
    path = tmp_path_factory.mktemp('lpips') / 'alexnet-owt-7be5be79.pth'
    torch.save({f'features.{k}': v for k, v in features.items()}, path)
    return path, features


def _sample(sigma, seed=0):
    gt = data.astronaut()[200:232, 180:212].astype(np.float32)
    rng = np.random.default_rng(seed)
    pred = gt + rng.normal(0, sigma, gt.shape).astype(np.float32)
    to_t = lambda a: torch.from_numpy(a).permute(2, 0, 1).contiguous()  # noqa
    return {'name': f's{sigma}', 'pred_img': to_t(pred), 'gt_img': to_t(gt)}


def test_backbone_weights_are_loaded(backbone_file):
    path, features = backbone_file
    metric = LPIPS(weights_path=str(path), device='cpu')
    net = metric.model.net
    torch.testing.assert_close(getattr(net.slice1, '0').weight, features['0.weight'])
    torch.testing.assert_close(getattr(net.slice5, '10').bias, features['10.bias'])
    assert not metric.model.training


def test_lpips_values_and_ordering(backbone_file, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(backbone_file[0]))
    metric = LPIPS(device='cpu')  # path from the environment variable
    same = _sample(0)
    metric.process({}, [same, _sample(5), _sample(40)])
    values = [r['LPIPS'] for r in metric.results]
    assert values[0] == pytest.approx(0.0, abs=1e-7)
    assert 0 < values[1] < values[2]
    # the network sees RGB in [-1, 1]
    a = _sample(40)['pred_img'].round().clamp(0, 255) / 127.5 - 1
    b = _sample(40)['gt_img'] / 127.5 - 1
    with torch.no_grad():
        direct = metric.model(a[None], b[None]).item()
    assert values[2] == pytest.approx(direct, rel=1e-5)
    result = metric.compute_metrics(metric.results)
    assert result == {'LPIPS': pytest.approx(np.mean(values))}


def test_missing_weights_message(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(MissingWeightsError) as err:
        LPIPS()
    msg = str(err.value)
    assert '\n' not in msg
    assert 'alexnet-owt-7be5be79.pth' in msg
    assert 'https://download.pytorch.org/models/alexnet-owt-7be5be79.pth' \
        in msg
    assert ENV_VAR in msg and 'weights_path' in msg
    missing = tmp_path / 'nowhere.pth'
    with pytest.raises(MissingWeightsError, match='not found at .*nowhere'):
        LPIPS(weights_path=str(missing))


def test_wrong_backbone_file(tmp_path):
    path = tmp_path / 'wrong.pth'
    torch.save({'features.0.weight': torch.zeros(1)}, path)
    with pytest.raises(CheckpointError, match='does not match the network'):
        LPIPS(weights_path=str(path), device='cpu')
    path.write_bytes(b'not a checkpoint')
    with pytest.raises(CheckpointError, match='cannot read'):
        LPIPS(weights_path=str(path), device='cpu')
