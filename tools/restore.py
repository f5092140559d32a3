"""Restore (e.g. derain) image files with a trained model.

    python tools/restore.py INPUT [INPUT ...] --config CFG --checkpoint CKPT
        --out-dir DIR [--tile 256] [--tile-overlap 32]
        [--norm-stats {tile,global}] [--device {cpu,cuda}] [--fp16]
        [--overwrite]
    python tools/restore.py INPUT [INPUT ...] --backend onnxruntime
        --model model.onnx --out-dir DIR [--tile 256] [--tile-overlap 32]

``--backend onnxruntime`` runs a generator exported by ``tools/export.py``
on ONNX Runtime's CPU provider with the same padding, tiling and image
handling, and imports neither torch nor mmengine (per-tile instance-norm
statistics only; no ``--norm-stats global``, ``--device cuda`` or
``--fp16``).

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

from tqdm import tqdm

from lowvis.deploy.cli import run_main_without_torch
from lowvis.deploy.image_layout import load_image, save_image
from lowvis.deploy.restorers import (BACKENDS,
                                     build_restorer, check_backend_options)
from lowvis.utils.errors import ConfigError, LowvisError
from lowvis.utils.image_io import IMAGE_EXTENSIONS, list_images


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Restore images with a trained lowvis model')
    parser.add_argument('inputs', nargs='+', metavar='INPUT',
                        help='image files, folders or glob patterns')
    parser.add_argument('--backend', choices=BACKENDS, default='torch',
                        help='torch (default): --config and --checkpoint; '
                        'onnxruntime: --model, no torch needed')
    parser.add_argument('--config', help='model config (torch backend)')
    parser.add_argument('--checkpoint', help='checkpoint (torch backend)')
    parser.add_argument('--model', help='.onnx file from tools/export.py '
                        '(onnxruntime backend)')
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
    return check_args(parser.parse_args(argv))


def check_args(args):
    """Refuse tile sizes the tiler cannot use, before loading anything."""
    tile = -(-args.tile // 4) * 4  # restore rounds up to a multiple of 4
    if args.tile < 0 or args.tile_overlap < 0:
        raise ConfigError(f'--tile {args.tile} --tile-overlap '
                          f'{args.tile_overlap}: both must be >= 0 (--tile 0:'
                          ' the whole image at once)')
    if args.tile and args.tile_overlap >= tile:
        raise ConfigError(
            f'--tile {args.tile} must be larger than --tile-overlap '
            f'{args.tile_overlap} (neighbouring tiles share the overlap); '
            f'use e.g. --tile {max(256, 4 * args.tile_overlap)}, a smaller '
            '--tile-overlap, or --tile 0 for whole images')
    return args


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


def restore_file(restorer, path, args):
    """Restore one file; return None, or a one-line message on failure."""
    try:
        save_image(output_path(args.out_dir, path),
                   restorer(load_image(path)))
    except LowvisError as err:
        return str(err) if path in str(err) else f'{path}: {err}'
    except (RuntimeError, MemoryError) as err:  # e.g. out of memory: --tile
        first = str(err).strip().splitlines()[0] if str(err).strip() else ''
        return f'{path}: {type(err).__name__}: {first}'
    return None


def main(argv=None):
    args = parse_args(argv)
    check_backend_options(args.backend, args.model, args.config,
                          args.checkpoint, args.norm_stats, args.device,
                          args.fp16)
    files, problems = expand_inputs(args.inputs)
    if not files:
        raise ConfigError(f'no input images found in {" ".join(args.inputs)}')
    check_outputs(files, args.out_dir, args.overwrite)
    restorer = build_restorer(
        args.backend, args.model, args.config, args.checkpoint, args.tile,
        args.tile_overlap, args.norm_stats, args.device, args.fp16)
    os.makedirs(args.out_dir, exist_ok=True)
    for message in problems:
        tqdm.write(f'skipped {message}', file=sys.stderr)
    failed = len(problems)
    done = 0
    for path in tqdm(files, desc='restoring', unit='image', file=sys.stderr):
        message = restore_file(restorer, path, args)
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


def run(argv=None):
    """:func:`main` with one-line errors; torch's wrapper only for the
    torch backend."""
    chooser = argparse.ArgumentParser(add_help=False)
    chooser.add_argument('--backend', default='torch')
    if chooser.parse_known_args(argv)[0].backend == 'onnxruntime':
        return run_main_without_torch(lambda: main(argv))
    from lowvis.utils.cli import run_main
    return run_main(lambda: main(argv))


if __name__ == '__main__':
    sys.exit(run())
