"""Build the demo dehazing dataset from scikit-image's photos (offline).

Usage, from the repository root (run as a module, so that ``plugins`` is
importable, as it is for a config's ``custom_imports``)::

    python -m plugins.haze.make_haze_data [--out data/demo_haze] [--seed 0]
        [--force]

Same photos, crops and splits as ``tools/make_demo_data.py`` (the shared
builder :func:`lowvis.datasets.demo_data.build_demo_data`: train crops of
the left half of each photo for domain A, of the right half for domain B,
test crops from a held-out bottom strip), with haze (:func:`plugins.haze.synthetic_haze.synthesize_haze`)
instead of rain:

- ``trainA/``: hazy training crops, ``trainB/``: clean ones (unpaired);
- ``testA/``: hazy test crops, ``testB/``: their clean ground truth (same
  stems).

Each crop gets its own haze, drawn from ``HAZE`` by a generator seeded with
``(seed, split, index)``, so a seed gives byte-identical files.
"""
import sys

import numpy as np

from lowvis.datasets.demo_data import build_demo_data, cli_main
from plugins.haze.synthetic_haze import synthesize_haze

#: Ranges each hazy crop's parameters are drawn from (uniformly): moderate
#: to thick haze, light-grey airlight. See synthetic_haze.py for units.
HAZE = dict(beta=(0.6, 1.4), airlight=(0.8, 0.95), near=(0.1, 0.3),
            noise=(0.2, 0.5), noise_scale=(0.2, 0.5))
_SPLIT_IDS = {'trainA': 11, 'testA': 13}


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
    return build_demo_data(out_dir, seed, force, add_haze)


def main(argv=None):
    description = 'Build the demo haze dataset from scikit-image photos.'
    return cli_main(make_haze_data, description, 'data/demo_haze', argv)


if __name__ == '__main__':
    sys.exit(main())
