"""Restore (e.g. derain) image files with a trained model.

    python tools/restore.py INPUT [INPUT ...] --config CFG --checkpoint CKPT
        --out-dir DIR [--tile 256] [--tile-overlap 32]
        [--norm-stats {tile,global}] [--device {cpu,cuda}] [--fp16]
        [--overwrite]

INPUT is an image file, a folder (its images, not sub-folders) or a glob
pattern (quote it). Each output is ``<out-dir>/<input stem>.png`` at the
input's full size: 16-bit inputs give 16-bit PNGs, grayscale stays gray and
an alpha channel is kept. JPEG EXIF orientation is applied on reading.

Inputs are never overwritten: an out-dir that is an input's folder, or
outputs that already exist, are refused unless ``--overwrite``. A file that
cannot be read is reported on one line and skipped; the exit code is then 1.
"""
import argparse
import glob
import os
import os.path as osp
import sys

import cv2
import numpy as np
import torch
from tqdm import tqdm

from lowvis.apis import init_model, restore
from lowvis.datasets.image_io import (IMAGE_EXTENSIONS,
                                      list_images, read_image, write_image)
from lowvis.utils.cli import run_main
from lowvis.utils.errors import (ConfigError, ImageReadError,
                                 LowvisError)

_ALPHA_FORMATS = ('.png', '.tif', '.tiff', '.webp')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Restore images with a trained lowvis model')
    parser.add_argument('inputs', nargs='+', metavar='INPUT',
                        help='image files, folders or glob patterns')
    parser.add_argument('--config', required=True, help='model config')
    parser.add_argument('--checkpoint', required=True, help='checkpoint')
    parser.add_argument('--out-dir', required=True, help='output folder')
    parser.add_argument('--tile', type=int, default=256,
                        help='tile side in pixels, 0 = whole image at once '
                        '(default 256)')
    parser.add_argument('--tile-overlap', type=int, default=32,
                        help='overlap of neighbouring tiles (default 32)')
    parser.add_argument('--norm-stats', choices=['tile', 'global'],
                        default='tile', help="instance-norm statistics per "
                        "tile or of the whole image (default 'tile')")
    parser.add_argument('--device', default='cpu',
                        help="'cpu', 'cuda' or 'cuda:N' (default cpu)")
    parser.add_argument('--fp16', action='store_true',
                        help='float16 autocast (CUDA only)')
    parser.add_argument('--overwrite', action='store_true',
                        help='allow writing into an input folder and '
                        'replacing existing outputs')
    return parser.parse_args(argv)


def expand_inputs(patterns):
    """``(files, problems)``: image files named by files, folders or globs,
    and one message per pattern that names nothing."""
    files, problems = [], []
    for pattern in patterns:
        if osp.isdir(pattern):
            found = list_images(pattern)
        elif osp.isfile(pattern):
            found = [pattern]
        else:
            found = sorted(p for p in glob.glob(pattern) if osp.isfile(p)
                           and osp.splitext(p)[1].lower() in IMAGE_EXTENSIONS)
        if not found:
            problems.append(f'{pattern}: no such file, or no images in it')
        files += [p for p in found if p not in files]
    return files, problems


def output_path(out_dir, path):
    return osp.join(out_dir, osp.splitext(osp.basename(path))[0] + '.png')


def check_outputs(files, out_dir, overwrite):
    """Refuse to write over inputs, other outputs or existing files.

    Writing into an input's folder or over existing files needs
    ``overwrite``; an output that would replace its own input, or two inputs
    with the same output name, are always refused.
    """
    real_out = osp.realpath(out_dir)
    if not overwrite:
        for path in files:
            if osp.realpath(osp.dirname(osp.abspath(path))) == real_out:
                raise ConfigError(
                    f'--out-dir {out_dir} is the folder of the input {path}; '
                    'choose another folder or pass --overwrite')
    by_output = {}
    for path in files:
        out = output_path(out_dir, path)
        if out in by_output:
            raise ConfigError(f'{by_output[out]} and {path} would both be '
                              f'written to {out}; restore them separately')
        by_output[out] = path
        if osp.realpath(out) == osp.realpath(path):
            raise ConfigError(f'{out} would overwrite its input; choose '
                              'another --out-dir')
    existing = [out for out in by_output if osp.exists(out)]
    if existing and not overwrite:
        raise ConfigError(f'{len(existing)} output(s) already exist in '
                          f'{out_dir} (first: {existing[0]}); pass '
                          '--overwrite or choose another --out-dir')


def load_image(path):
    """An input as ``restore`` takes it: RGB (EXIF-rotated for JPEG), or
    gray, or RGBA, as the file stores it; 8- or 16-bit."""
    rgb = read_image(path, keep_depth=True)
    if osp.splitext(path)[1].lower() not in _ALPHA_FORMATS:
        return rgb
    raw = cv2.imdecode(np.fromfile(path, dtype=np.uint8),
                       cv2.IMREAD_UNCHANGED)
    if raw.ndim == 2 or raw.shape[2] == 1:
        return rgb[:, :, 0]
    if raw.shape[2] in (2, 4):
        return np.concatenate([rgb, raw[:, :, -1:].astype(rgb.dtype)], axis=2)
    return rgb


def save_image(path, img):
    """Write ``HxW`` gray, ``HxWx3`` RGB or ``HxWx4`` RGBA as PNG."""
    if img.ndim == 3 and img.shape[2] == 3:
        write_image(path, img)
        return
    data = img if img.ndim == 2 else img[:, :, [2, 1, 0, 3]]
    if not cv2.imwrite(path, np.ascontiguousarray(data)):
        raise ImageReadError(f'cannot write image file {path}')


def restore_file(model, path, args):
    """Restore one file; return None, or a one-line message on failure."""
    try:
        out = restore(model, load_image(path), tile=args.tile,
                      tile_overlap=args.tile_overlap,
                      norm_stats=args.norm_stats, fp16=args.fp16)
        save_image(output_path(args.out_dir, path), out)
    except LowvisError as err:
        return str(err) if path in str(err) else f'{path}: {err}'
    except RuntimeError as err:  # e.g. out of GPU memory: try --tile
        first = str(err).strip().splitlines()[0] if str(err).strip() else ''
        return f'{path}: {type(err).__name__}: {first}'
    return None


def main(argv=None):
    args = parse_args(argv)
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise ConfigError(f'--device {args.device}: no CUDA GPU is available '
                          'here; use --device cpu')
    if args.fp16 and not args.device.startswith('cuda'):
        raise ConfigError('--fp16 needs --device cuda')
    files, problems = expand_inputs(args.inputs)
    if not files:
        raise ConfigError(f'no input images found in {" ".join(args.inputs)}')
    check_outputs(files, args.out_dir, args.overwrite)
    model = init_model(args.config, args.checkpoint, device=args.device)
    os.makedirs(args.out_dir, exist_ok=True)
    for message in problems:
        tqdm.write(f'skipped {message}', file=sys.stderr)
    failed = len(problems)
    done = 0
    for path in tqdm(files, desc='restoring', unit='image', file=sys.stderr):
        message = restore_file(model, path, args)
        if message is None:
            done += 1
        else:
            tqdm.write(f'skipped {message}', file=sys.stderr)
            failed += 1
    print(f'restored {done} of {len(files)} images into {args.out_dir}')
    if failed:
        print(f'{failed} input(s) failed; see the messages above',
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(run_main(main))
