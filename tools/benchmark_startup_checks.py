"""Time the start-up image check on many small files.

    python tools/benchmark_startup_checks.py [--out /tmp/pngs] [--count 10000]
        [--size 128]

Writes ``count`` random RGB PNGs of ``size`` x ``size`` (once), then times
the header-level check lowvis runs before iteration 1
(:func:`lowvis.engine.startup_checks.image_header`: PIL open + verify) and a
full decode (:func:`lowvis.datasets.read_image`), per file, on one thread.
"""
import argparse
import os
import os.path as osp
import time

import cv2
import numpy as np

from lowvis.datasets import list_images, read_image
from lowvis.engine.startup_checks import image_header


def make_pngs(out, count, size):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(len(list_images(out)), count):
        img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        cv2.imwrite(osp.join(out, f'{i:05d}.png'), img)
    return list_images(out)[:count]


def timed(func, paths):
    start = time.perf_counter()
    for path in paths:
        func(path)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='/tmp/lowvis_startup_pngs')
    parser.add_argument('--count', type=int, default=10000)
    parser.add_argument('--size', type=int, default=128)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    paths = make_pngs(args.out, args.count, args.size)
    for name, func in (('header (PIL open+verify)', image_header),
                       ('full decode (read_image)', read_image)):
        seconds = timed(func, paths)
        print(f'{name}: {seconds:.2f} s for {len(paths)} files, '
              f'{1000 * seconds / len(paths):.3f} ms per file')


if __name__ == '__main__':
    main()
