"""Export a trained model's restoring generator to ONNX.

    python tools/export.py CONFIG CHECKPOINT --out model.onnx [--opset 17]

Exports ``model.generators[model.test_direction]`` (``A2B``, rainy to clean,
for the deraining models; a plugin's generator too when it is traceable)
with dynamic height and width. The model maps ``image`` (``float32
[N, 3, H, W]``, RGB in [-1, 1]) to ``restored`` (same); H and W must be
multiples of 4 and at least 16, the caller pads (reflection) and crops back.
This is written into the model's metadata. ``onnx.checker`` validates the
file, and ONNX Runtime (when installed) must match torch within 1e-4 at a
size other than the tracing size. Run it with
``tools/restore.py --backend onnxruntime --model model.onnx``.
"""
import argparse
import os.path as osp
import sys

from lowvis.apis import init_model, restoring_generator
from lowvis.apis.inference import config_model_type
from lowvis.apis.onnx_export import export_onnx
from lowvis.utils.cli import run_main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Export the restoring generator of a lowvis model to '
        'ONNX')
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint (.pth)')
    parser.add_argument('--out', required=True, help='output .onnx file')
    parser.add_argument('--opset', type=int, default=17,
                        help='ONNX opset (default 17)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    model = init_model(args.config, args.checkpoint, device='cpu')
    direction = getattr(model, 'test_direction', None)
    name = f'generator {direction}' if direction else 'model'
    diff = export_onnx(
        restoring_generator(model), args.out, name=name, opset=args.opset,
        metadata={'lowvis.model_type': config_model_type(model.cfg),
                  'lowvis.direction': direction or '',
                  'lowvis.config': osp.basename(args.config),
                  'lowvis.checkpoint': osp.basename(args.checkpoint)})
    check = 'not run (onnxruntime not installed)' if diff is None else \
        f'max abs difference {diff:.2g} at 52x76'
    print(f'wrote {args.out} ({osp.getsize(args.out) / 2**20:.1f} MiB, '
          f'opset {args.opset}); onnxruntime vs torch: {check}')
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
