"""tools/make_heldout_data.py: other photographs, other rain, same layout."""
import os.path as osp

import numpy as np

from lowvis.datasets import demo_data
from lowvis.utils.image_io import list_images, read_image
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
heldout = load_tool('make_heldout_data.py')


def test_heldout_set_is_disjoint_from_the_demo_and_reproducible(tmp_path):
    out = str(tmp_path / 'a')
    summary = heldout.make_heldout_data(out, seed=0)
    assert summary['skipped'] == []
    assert summary['counts'] == {'trainA': 96, 'trainB': 96, 'testA': 6,
                                 'testB': 6}
    assert 15 < summary['mean_psnr'] < 21  # rain visibly degrades
    demo_names = {name for name, _, _ in demo_data.load_sources()[0]}
    stems = {osp.basename(p).split('_')[0]
             for p in list_images(osp.join(out, 'testB'))}
    assert stems == {'china', 'flower', 'hopper'}
    assert not stems & demo_names
    again = str(tmp_path / 'b')
    heldout.make_heldout_data(again, seed=0)
    for path in list_images(osp.join(out, 'testA')):
        other = osp.join(again, 'testA', osp.basename(path))
        assert np.array_equal(read_image(path), read_image(other))


def test_heldout_rain_differs_from_the_demo_rain():
    clean = np.full((64, 64, 3), 60, np.uint8)
    ours = heldout.add_heldout_rain(clean, 0, 'testA', 0)
    demo = demo_data.add_rain(clean, 0, 'testA', 0)
    assert not np.array_equal(ours, demo)
    # the haze veil lifts every pixel, streaks or not
    assert ours.min() > clean.min()
