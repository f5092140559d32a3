"""The built-in demo datasets, built from scikit-image's photos (offline).

``python tools/make_demo_data.py`` builds the rain one (:func:`make_demo_data`);
plugins build theirs with :func:`build_demo_data` and their own degradation
(``plugins/haze/make_haze_data.py``), and share :func:`cli_main`.

Writes the lowvis layout (PNG, RGB):

- ``trainA/``: rainy training crops,
- ``trainB/``: clean training crops, cut elsewhere (unpaired),
- ``testA/``: rainy test crops, ``testB/``: their clean ground truth, same
  stems.

Sources are the colour photographs bundled in scikit-image's wheel (they load
offline): astronaut, chelsea, coffee, rocket, the two views of
stereo_motorcycle and hubble_deep_field. One that fails to load is skipped
and reported. Each photo is first shrunk (area interpolation, never
enlarged) so its shorter side is at most ``MAX_SHORT_SIDE`` px.

**Splits, and why they cannot overlap.**

- *Test*: the bottom ``CROP`` rows of every photo are held out; from that
  strip, one crop at its left end and one at its right end.
- *Train*: the rows above the strip. Its left half gives trainA crops, its
  right half trainB crops (random positions), so no clean trainB crop shows
  the pixels under any rainy trainA crop: the two sets are genuinely
  unpaired.
- The two stereo views show one scene shifted horizontally (rows are
  rectified), so the left view gives trainA crops only (its left half) and
  the right view trainB crops only (its right half): the right view's right
  half only shows scene points right of the left view's left half.
  Horizontal shifts never carry test rows into training rows.

**Rain** is fixed here, meant to resemble a moderate synthetic benchmark
(Rain100L / Rain800-like: thin, semi-transparent, near-vertical streaks,
one direction per image drawn in ``ANGLE_RANGE``). These constants are not
tuned to make the demo look good; change them only to change the benchmark.

Everything is drawn from generators seeded by ``(seed, split, index)``, so a
seed gives byte-identical files.
"""
import argparse
import os
import os.path as osp
import shutil
import sys

import cv2
import numpy as np

from lowvis.datasets.transforms.synthetic_rain import synthesize_rain
from lowvis.evaluation.functional.psnr import psnr
from lowvis.utils.errors import DataError, LowvisError

CROP = 128
N_TRAIN = 96
MAX_SHORT_SIDE = 384
RAIN = dict(density=0.003, length=20.0, width=1.0, intensity=0.6, layers=2,
            jitter=0.3)
ANGLE_RANGE = (-15.0, 15.0)
SUBDIRS = ('trainA', 'trainB', 'testA', 'testB')
_SPLIT_IDS = {'trainA': 1, 'trainB': 2, 'testA': 3}

__all__ = ['add_rain', 'build_demo_data', 'cli_main', 'load_sources',
           'make_demo_data', 'prepare_out', 'test_crops', 'train_box',
           'train_crops', 'write_image']


def load_sources():
    """Return ``([(name, uint8 HxWx3 RGB, roles)], [(name, reason)])``.

    ``roles`` says which training halves a photo gives: 'AB', 'A' or 'B'.
    """
    from skimage import data
    loaders = [('astronaut', lambda: data.astronaut(), 'AB'),
               ('chelsea', lambda: data.chelsea(), 'AB'),
               ('coffee', lambda: data.coffee(), 'AB'),
               ('rocket', lambda: data.rocket(), 'AB'),
               ('motorcycle_left', lambda: data.stereo_motorcycle()[0], 'A'),
               ('motorcycle_right', lambda: data.stereo_motorcycle()[1], 'B'),
               ('hubble', lambda: data.hubble_deep_field(), 'AB')]
    photos, skipped = [], []
    for name, load, roles in loaders:
        try:
            img = np.ascontiguousarray(load()[..., :3], dtype=np.uint8)
        except Exception as err:  # offline download attempts fail variously
            skipped.append((name, f'{type(err).__name__}: {err}'))
            continue
        photos.append((name, shrink(img), roles))
    return photos, skipped


def shrink(img):
    """Shrink so the shorter side is at most MAX_SHORT_SIDE (never enlarge)."""
    scale = MAX_SHORT_SIDE / min(img.shape[:2])
    if scale >= 1:
        return img
    size = (round(img.shape[1] * scale), round(img.shape[0] * scale))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA)


def train_box(img, half):
    """(y0, y1, x0, x1) of a training half: rows above the test strip."""
    height, width = img.shape[:2]
    mid = width // 2
    x0, x1 = (0, mid) if half == 'A' else (mid, width)
    return 0, height - CROP, x0, x1


def random_crop(img, box, rng):
    y0, y1, x0, x1 = box
    y = int(rng.integers(y0, y1 - CROP + 1))
    x = int(rng.integers(x0, x1 - CROP + 1))
    return img[y:y + CROP, x:x + CROP]


def train_crops(photos, half, seed):
    """N_TRAIN crops of one half, cycling over the photos that give it."""
    givers = [(name, img) for name, img, roles in photos if half in roles]
    crops = []
    for i in range(N_TRAIN):
        name, img = givers[i % len(givers)]
        rng = np.random.default_rng((seed, _SPLIT_IDS['train' + half], i))
        crops.append((f'{name}_{i:03d}', random_crop(
            img, train_box(img, half), rng)))
    return crops


def test_crops(photos):
    """Two crops per photo from its bottom strip: left end and right end."""
    crops = []
    for name, img, _ in photos:
        y = img.shape[0] - CROP
        for tag, x in (('l', 0), ('r', img.shape[1] - CROP)):
            crops.append((f'{name}_test_{tag}', img[y:, x:x + CROP]))
    return crops


def add_rain(img, seed, split, index):
    """Rain on one uint8 ``HxWx3`` RGB crop, one streak direction drawn in
    ``ANGLE_RANGE`` by ``np.random.default_rng((seed, split id, index))``."""
    rng = np.random.default_rng((seed, _SPLIT_IDS[split], index))
    angle = float(rng.uniform(*ANGLE_RANGE))
    return synthesize_rain(img, rng, angle=angle, **RAIN)[0]


def prepare_out(out_dir, force):
    if osp.isdir(out_dir) and os.listdir(out_dir):
        if not force:
            raise DataError(f'{out_dir} exists and is not empty; pass '
                            f'--force to rebuild it or choose another --out')
        for sub in SUBDIRS:
            shutil.rmtree(osp.join(out_dir, sub), ignore_errors=True)
    elif osp.exists(out_dir) and not osp.isdir(out_dir):
        raise DataError(f'{out_dir} is a file, not a folder; choose another '
                        f'--out')
    for sub in SUBDIRS:
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)


def write_image(path, img):
    if not cv2.imwrite(path, cv2.cvtColor(img, cv2.COLOR_RGB2BGR)):
        raise DataError(f'cannot write {path}; check the folder is writable')


def build_demo_data(out_dir, seed, force, degrade, sources=None):
    """Build a demo dataset under ``out_dir`` with ``degrade`` as domain A.

    Args:
        out_dir (str): output folder (created; an existing non-empty one
            needs ``force``).
        seed (int): seed of every draw.
        force (bool): rebuild the sub-folders of a non-empty ``out_dir``.
        degrade (callable): ``degrade(img, seed, split, index)`` -> the
            degraded uint8 ``HxWx3`` RGB image, ``split`` is ``'trainA'`` or
            ``'testA'``.
        sources (callable | None): returns ``(photos, skipped)`` as
            :func:`load_sources` (the default) does.

    Returns:
        dict: ``counts`` (files per sub-folder), ``mean_psnr`` (dB, RGB,
        testA vs testB), ``skipped`` (list of ``(photo, reason)``).
    """
    photos, skipped = (sources or load_sources)()
    if not photos:
        raise DataError('none of the source photos could be loaded; '
                        'reinstall scikit-image (its wheel ships them)')
    prepare_out(out_dir, force)
    for half in 'AB':
        for i, (stem, crop) in enumerate(train_crops(photos, half, seed)):
            if half == 'A':
                crop = degrade(crop, seed, 'trainA', i)
            write_image(osp.join(out_dir, 'train' + half, stem + '.png'),
                        crop)
    psnrs = []
    for i, (stem, clean) in enumerate(test_crops(photos)):
        degraded = degrade(clean, seed, 'testA', i)
        psnrs.append(psnr(degraded, clean))
        write_image(osp.join(out_dir, 'testA', stem + '.png'), degraded)
        write_image(osp.join(out_dir, 'testB', stem + '.png'), clean)
    counts = {sub: len(os.listdir(osp.join(out_dir, sub))) for sub in SUBDIRS}
    return dict(counts=counts, mean_psnr=float(np.mean(psnrs)),
                skipped=skipped)


def make_demo_data(out_dir='data/demo_rain', seed=0, force=False):
    """Build the demo rain dataset under ``out_dir`` (see the module doc).

    Returns:
        dict: as :func:`build_demo_data`.
    """
    return build_demo_data(out_dir, seed, force, add_rain)


def cli_main(build, description, default_out, argv=None):
    """Command line shared by demo-data builders (rain here, plugins' own).

    ``build(out_dir, seed, force)`` returns ``dict(counts, mean_psnr,
    skipped)`` as :func:`make_demo_data` does.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--out', default=default_out,
                        help=f'output folder (default: {default_out})')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (default: 0)')
    parser.add_argument('--force', action='store_true',
                        help='rebuild even if the output folder is not empty')
    args = parser.parse_args(argv)
    try:
        summary = build(args.out, args.seed, args.force)
    except LowvisError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    for name, reason in summary['skipped']:
        print(f'skipped photo {name}: {reason}')
    for sub, count in summary['counts'].items():
        print(f'wrote {count} images to {osp.join(args.out, sub)}')
    print(f'mean PSNR testA vs testB (RGB): {summary["mean_psnr"]:.2f} dB')
    return 0
