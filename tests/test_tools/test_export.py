"""tools/export.py: a checked ONNX model with dynamic H/W and its contract
in the metadata; one-line errors naming an untraceable layer."""
import os.path as osp
import textwrap

import pytest

onnx = pytest.importorskip('onnx')
from onnx_demo_model import export_demo_model  # noqa: E402


@pytest.fixture(scope='module')
def demo(tmp_path_factory, run_tool):
    return export_demo_model(tmp_path_factory.mktemp('export'), run_tool)


def test_exported_model_passes_the_checker_with_dynamic_sizes(demo):
    model = onnx.load(demo.onnx)
    onnx.checker.check_model(model, full_check=True)
    (image, ), (restored, ) = model.graph.input, model.graph.output
    assert (image.name, restored.name) == ('image', 'restored')
    for value in (image, restored):
        dims = value.type.tensor_type.shape.dim
        assert dims[1].dim_value == 3
        assert [dims[i].dim_param for i in (0, 2, 3)] == [
            'batch', 'height', 'width']


def test_metadata_states_the_contract(demo):
    meta = {p.key: p.value for p in onnx.load(demo.onnx).metadata_props}
    assert meta['lowvis.format'] == 'restoring-generator-v1'
    assert meta['color_order'] == 'RGB'
    assert meta['value_range'].startswith('[-1, 1]')
    assert (meta['size_multiple'], meta['min_size']) == ('4', '16')
    assert 'reflection' in meta['padding']
    assert meta['lowvis.model_type'] == 'DCDGAN'
    assert meta['lowvis.direction'] == 'A2B'
    assert meta['lowvis.checkpoint'] == osp.basename(demo.checkpoint)


_PLUGIN = '''
import torch
import torch.nn as nn

from lowvis.registry import MODELS


class ValueGate(nn.Module):
    """Doubles its input when the mean is positive: a value-dependent
    branch that tracing would freeze."""

    def forward(self, x):
        return x * 2 if x.mean() > 0 else x


@MODELS.register_module()
class GatedGenerator(nn.Module):

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 3, 3, padding=1),
                                  nn.Sequential(nn.ReLU(), ValueGate()))

    def forward(self, x):
        return self.body(x)
'''


def test_untraceable_generator_is_a_one_line_error_naming_the_layer(
        tmp_path, run_tool, monkeypatch):
    import torch
    (tmp_path / 'gated_plugin.py').write_text(textwrap.dedent(_PLUGIN))
    config = tmp_path / 'gated.py'
    config.write_text("custom_imports = dict(imports=['gated_plugin'])\n"
                      "model = dict(type='GatedGenerator')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import gated_plugin
    checkpoint = str(tmp_path / 'gated.pth')
    torch.save({'state_dict': gated_plugin.GatedGenerator().state_dict()},
               checkpoint)
    monkeypatch.setenv('PYTHONPATH', str(tmp_path))
    out = tmp_path / 'gated.onnx'
    result = run_tool(['tools/export.py', str(config), checkpoint, '--out',
                       str(out)])
    assert result.returncode == 2, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith('error: cannot export the model to ONNX')
    assert 'layer body.1.1 (ValueGate)' in lines[0]
    assert 'gated_plugin.py' in lines[0]
    assert not out.exists() and not list(tmp_path.glob('gated.onnx*'))
