"""Side-by-side comparison grid: rainy input | methods ... | ground truth.

    python tools/analysis/compare_images.py --inputs DIR --gt DIR
        --method NAME=DIR [NAME=DIR ...] --out grid.png
        [--names STEM ...] [--max-images 8] [--height 192] [--y-channel]

One row per image (files matched by stem, any image extension), one column
per source. Every tile is labelled with its column name and, except the
ground truth, its PSNR against the ground truth in dB, computed at full
resolution on the uint8 images (RGB, or the MATLAB Y channel with
``--y-channel``) before the tile is scaled to ``--height`` pixels for
display. An output whose size differs from the ground truth is shown but
gets no PSNR.
"""
import argparse
import os.path as osp
import sys

import cv2
import numpy as np

from lowvis.datasets.image_io import (list_images, read_image,
                                      write_image)
from lowvis.evaluation import psnr
from lowvis.utils.cli import run_main
from lowvis.utils.errors import ConfigError, DataError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Grid of inputs, method outputs and ground truth with '
        'PSNR on each tile')
    parser.add_argument('--inputs', required=True, help='degraded images')
    parser.add_argument('--gt', required=True, help='ground-truth images')
    parser.add_argument('--method', nargs='+', action='extend', default=[],
                        metavar='NAME=DIR', required=True,
                        help='outputs of a method (repeatable)')
    parser.add_argument('--out', required=True, help='grid image (.png)')
    parser.add_argument('--names', nargs='+', help='image stems to show')
    parser.add_argument('--max-images', type=int, default=8,
                        help='rows when --names is not given (default 8)')
    parser.add_argument('--height', type=int, default=192,
                        help='tile height in pixels (default 192)')
    parser.add_argument('--y-channel', action='store_true',
                        help='PSNR on the Y channel instead of RGB')
    return parser.parse_args(argv)


def parse_methods(specs):
    """``['A=dir', ...]`` -> ``[('A', 'dir'), ...]``."""
    methods = []
    for spec in specs:
        name, sep, folder = spec.partition('=')
        if not sep or not name or not folder:
            raise ConfigError(f'--method {spec!r}: expected NAME=DIR')
        if not osp.isdir(folder):
            raise DataError(f'--method {name}: folder not found: {folder}')
        methods.append((name, folder))
    return methods


def index_folder(folder, what):
    """``{stem: path}`` of the images in ``folder``."""
    if not osp.isdir(folder):
        raise DataError(f'{what} folder not found: {folder}')
    return {osp.splitext(osp.basename(p))[0]: p for p in list_images(folder)}


def find(index, folder, stem):
    if stem not in index:
        raise DataError(f'no image named {stem}.* in {folder}')
    return read_image(index[stem])


def label_tile(img, lines, height):
    """Scale to ``height`` (aspect kept) and write ``lines`` on the tile."""
    width = max(1, round(img.shape[1] * height / img.shape[0]))
    interp = cv2.INTER_AREA if height < img.shape[0] else cv2.INTER_NEAREST
    tile = np.ascontiguousarray(cv2.resize(img, (width, height),
                                           interpolation=interp))
    scale = max(0.35, height / 400)
    step = int(round(16 * scale / 0.45))
    band = min(height, step * len(lines) + step // 2)
    tile[:band] = tile[:band] // 2  # darken behind the text
    for k, text in enumerate(lines):
        cv2.putText(tile, text, (4, step * (k + 1)),
                    cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1,
                    cv2.LINE_AA)
    return tile


def psnr_label(img, gt, y_channel):
    if img.shape != gt.shape:
        return f'size {img.shape[1]}x{img.shape[0]}: no PSNR'
    value = psnr(img, gt, convert_to='Y' if y_channel else None)
    unit = 'dB (Y)' if y_channel else 'dB'
    return f'{value:.2f} {unit}' if np.isfinite(value) else f'inf {unit}'


def build_row(stem, sources, gt, args):
    """One row: tiles of every ``(column name, image)`` then the GT."""
    tiles = [label_tile(img, [f'{name} {stem}' if k == 0 else name,
                              psnr_label(img, gt, args.y_channel)],
                        args.height)
             for k, (name, img) in enumerate(sources)]
    tiles.append(label_tile(gt, ['ground truth'], args.height))
    gap = np.full((args.height, 4, 3), 255, np.uint8)
    parts = [p for tile in tiles for p in (tile, gap)][:-1]
    return np.concatenate(parts, axis=1)


def stack_rows(rows):
    width = max(r.shape[1] for r in rows)
    padded = []
    for row in rows:
        pad = np.full((row.shape[0], width - row.shape[1], 3), 255, np.uint8)
        padded += [np.concatenate([row, pad], axis=1),
                   np.full((4, width, 3), 255, np.uint8)]
    return np.concatenate(padded[:-1], axis=0)


def main(argv=None):
    args = parse_args(argv)
    methods = parse_methods(args.method)
    inputs = index_folder(args.inputs, '--inputs')
    gts = index_folder(args.gt, '--gt')
    stems = args.names or sorted(set(inputs) & set(gts))[:args.max_images]
    if not stems:
        raise DataError(f'no image stems shared by {args.inputs} and '
                        f'{args.gt}')
    indexes = {name: index_folder(folder, f'--method {name}')
               for name, folder in methods}
    rows = []
    for stem in stems:
        gt = find(gts, args.gt, stem)
        sources = [('input', find(inputs, args.inputs, stem))]
        sources += [(name, find(indexes[name], folder, stem))
                    for name, folder in methods]
        rows.append(build_row(stem, sources, gt, args))
    write_image(args.out, stack_rows(rows))
    print(f'wrote {args.out}: {len(rows)} rows x {len(methods) + 2} columns')
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
