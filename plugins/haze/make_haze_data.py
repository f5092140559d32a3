"""Build the demo dehazing dataset from scikit-image's photos (offline).

Usage, from the repository root::

    python plugins/haze/make_haze_data.py [--out data/demo_haze] [--seed 0]
        [--force]

Same photos, crops and splits as ``tools/make_demo_data.py`` (its helpers
are imported, not copied: train crops of the left half of each photo for
domain A, of the right half for domain B, test crops from a held-out bottom
strip), with haze (:func:`plugins.haze.synthetic_haze.synthesize_haze`)
instead of rain:

- ``trainA/``: hazy training crops, ``trainB/``: clean ones (unpaired);
- ``testA/``: hazy test crops, ``testB/``: their clean ground truth (same
  stems).

Each crop gets its own haze, drawn from ``HAZE`` by a generator seeded with
``(seed, split, index)``, so a seed gives byte-identical files.
"""
import importlib.util
import os
import os.path as osp
import sys

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from lowvis.utils.errors import DataError  # noqa: E402
from plugins.haze.synthetic_haze import synthesize_haze  # noqa: E402

#: Ranges each hazy crop's parameters are drawn from (uniformly): moderate
#: to thick haze, light-grey airlight. See synthetic_haze.py for units.
HAZE = dict(beta=(0.6, 1.4), airlight=(0.8, 0.95), near=(0.1, 0.3),
            noise=(0.2, 0.5), noise_scale=(0.2, 0.5))
_SPLIT_IDS = {'trainA': 11, 'testA': 13}


def _demo_tool():
    """``tools/make_demo_data.py`` as a module (``tools`` is no package)."""
    path = osp.join(REPO, 'tools', 'make_demo_data.py')
    spec = importlib.util.spec_from_file_location('_lowvis_make_demo_data',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_haze(img, seed, split, index):
    """Haze one uint8 ``HxWx3`` RGB crop with parameters drawn from
    ``HAZE`` by ``np.random.default_rng((seed, split id, index))``."""
    rng = np.random.default_rng((seed, _SPLIT_IDS[split], index))
    params = {k: float(rng.uniform(*v)) for k, v in HAZE.items()}
    return synthesize_haze(img, rng, **params)[0]


def make_haze_data(out_dir='data/demo_haze', seed=0, force=False):
    """Build the demo haze dataset under ``out_dir``.

    Returns:
        dict: ``counts`` (files per sub-folder), ``mean_psnr`` (dB, RGB,
        testA vs testB), ``skipped`` (list of ``(photo, reason)``).
    """
    demo = _demo_tool()
    photos, skipped = demo._load_sources()
    if not photos:
        raise DataError('none of the scikit-image photos could be loaded; '
                        'reinstall scikit-image (its wheel ships them)')
    demo._prepare_out(out_dir, force)
    for half in 'AB':
        for i, (stem, crop) in enumerate(demo._train_crops(photos, half,
                                                           seed)):
            if half == 'A':
                crop = add_haze(crop, seed, 'trainA', i)
            demo._write(osp.join(out_dir, 'train' + half, stem + '.png'),
                        crop)
    psnrs = []
    for i, (stem, clean) in enumerate(demo._test_crops(photos)):
        hazy = add_haze(clean, seed, 'testA', i)
        psnrs.append(demo._psnr(hazy, clean))
        demo._write(osp.join(out_dir, 'testA', stem + '.png'), hazy)
        demo._write(osp.join(out_dir, 'testB', stem + '.png'), clean)
    counts = {sub: len(os.listdir(osp.join(out_dir, sub)))
              for sub in demo.SUBDIRS}
    return dict(counts=counts, mean_psnr=float(np.mean(psnrs)),
                skipped=skipped)


def main(argv=None):
    description = 'Build the demo haze dataset from scikit-image photos.'
    return _demo_tool().cli_main(make_haze_data, description,
                                 'data/demo_haze', argv)


if __name__ == '__main__':
    sys.exit(main())
