"""A randomly initialised demo DCD-GAN, saved and exported to ONNX, shared
by the ONNX, export and web-demo tests.

The demo generator starts as the identity (its last conv is zero-initialised
and ``global_residual`` is on), so every weight of ``A2B`` is perturbed: the
restored image then differs clearly from the input and a broken export or
runtime cannot pass unnoticed.
"""
import os.path as osp
from typing import NamedTuple

import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO, 'configs', 'dcdgan_demo.py')


class DemoModel(NamedTuple):
    config: str
    checkpoint: str
    onnx: str  # tools/export.py's output ('' before exporting)


def save_demo_checkpoint(folder, seed=0, scale=0.02):
    """Build ``configs/dcdgan_demo.py``, perturb ``A2B`` (Gaussian noise of
    ``scale`` on every weight) and save a checkpoint; return its path."""
    from lowvis.apis import init_model
    model = init_model(DEMO_CONFIG)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in model.generators['A2B'].parameters():
            param.add_(torch.randn(param.shape, generator=gen) * scale)
    path = osp.join(str(folder), 'demo_random.pth')
    torch.save({'state_dict': model.state_dict(),
                'meta': {'model_type': 'DCDGAN'}}, path)
    return path


def export_demo_model(folder, run_tool):
    """Checkpoint + ``tools/export.py`` run (a subprocess): a
    :class:`DemoModel`."""
    checkpoint = save_demo_checkpoint(folder)
    out = osp.join(str(folder), 'demo.onnx')
    result = run_tool(['tools/export.py', DEMO_CONFIG, checkpoint, '--out',
                       out])
    assert result.returncode == 0 and osp.isfile(out), \
        result.stdout[-2000:] + result.stderr[-2000:]
    return DemoModel(DEMO_CONFIG, checkpoint, out)


def export_demo_model_here(folder):
    """Checkpoint + :func:`lowvis.apis.onnx_export.export_onnx` in this
    process (no tool start-up): a :class:`DemoModel`."""
    from lowvis.apis import init_model, restoring_generator
    from lowvis.apis.onnx_export import export_onnx
    checkpoint = save_demo_checkpoint(folder)
    out = osp.join(str(folder), 'demo_here.onnx')
    export_onnx(restoring_generator(init_model(DEMO_CONFIG, checkpoint)), out)
    return DemoModel(DEMO_CONFIG, checkpoint, out)
