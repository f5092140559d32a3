"""Build a held-out deraining set: other photographs, another rain model.

    python tools/make_heldout_data.py [--out data/heldout_rain] [--seed 0]
        [--force]

A check that a demo recipe is not tuned to the demo photographs or to its
rain (docs/training_notes.md): the same layout and split rules as
``tools/make_demo_data.py`` (unpaired trainA/trainB halves, test crops from
the bottom strip), but

- **photos**: the two sample photographs shipped inside scikit-learn
  (``china.jpg``, ``flower.jpg``) and matplotlib's ``grace_hopper.jpg``,
  none of which the demo data uses (6 test pairs);
- **rain**: :data:`RAIN`, thicker (2 px), longer (28 px), sparser streaks in
  three directions up to ±25 degrees, with a 5 % haze veil.

Train a demo config on it with ``--cfg-options`` setting the three
dataloaders' ``dataset.data_root`` to the output folder.
"""
import sys

import numpy as np

from lowvis.datasets import demo_data
from lowvis.datasets.transforms.synthetic_rain import synthesize_rain

#: the held-out rain model (compare lowvis.datasets.demo_data.RAIN)
RAIN = dict(density=0.0015, length=28.0, width=2.0, intensity=0.45,
            layers=2, jitter=0.3, haze=0.05)
ANGLE_RANGE = (-25.0, 25.0)
_SPLIT_IDS = {'trainA': 11, 'testA': 13}


def load_heldout_sources():
    """``([(name, uint8 HxWx3 RGB, 'AB')], [(name, reason)])``."""
    import matplotlib.cbook as cbook
    from PIL import Image
    from sklearn.datasets import load_sample_image
    loaders = [('china', lambda: load_sample_image('china.jpg')),
               ('flower', lambda: load_sample_image('flower.jpg'))]

    def hopper():
        with cbook.get_sample_data('grace_hopper.jpg') as f:
            return np.asarray(Image.open(f).convert('RGB'))

    loaders.append(('hopper', hopper))
    photos, skipped = [], []
    for name, load in loaders:
        try:
            img = np.ascontiguousarray(load()[..., :3], dtype=np.uint8)
        except Exception as err:  # a package without its sample data
            skipped.append((name, f'{type(err).__name__}: {err}'))
            continue
        photos.append((name, demo_data.shrink(img), 'AB'))
    return photos, skipped


def add_heldout_rain(img, seed, split, index):
    rng = np.random.default_rng((seed, _SPLIT_IDS[split], index))
    angle = float(rng.uniform(*ANGLE_RANGE))
    return synthesize_rain(img, rng, angle=angle, **RAIN)[0]


def make_heldout_data(out_dir='data/heldout_rain', seed=0, force=False):
    return demo_data.build_demo_data(out_dir, seed, force, add_heldout_rain,
                                     sources=load_heldout_sources)


def main(argv=None):
    return demo_data.cli_main(make_heldout_data, 'Build the held-out rain '
                              'dataset (other photos, other rain).',
                              'data/heldout_rain', argv)


if __name__ == '__main__':
    sys.exit(main())
