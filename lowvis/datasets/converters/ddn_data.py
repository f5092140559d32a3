"""DDN-Data (Rain12600 / Rain1400): rainy_image/ + ground_truth/."""
import os.path as osp
import re
from typing import Dict

from lowvis.utils import DataError

from .common import images_in, place, require_dir, stem_of

__all__ = ['convert_ddn_data']

_RAINY_STEM = re.compile(r'^(\d+)_(\d+)$')


def _ground_truth_by_id(folder: str) -> Dict[int, str]:
    found = {}
    for path in images_in(folder, 'DDN-Data ground_truth'):
        if stem_of(path).isdigit():
            found[int(stem_of(path))] = path
    return found


def _scene_of(path: str, truth: Dict[int, str], src: str) -> int:
    """Scene id ``i`` of ``{i}_{j}.<ext>``, checked to have ground truth."""
    match = _RAINY_STEM.match(stem_of(path))
    if not match:
        raise DataError(f'DDN-Data rainy image {path} is not named '
                        '{i}_{j}.<ext> (scene_rain)')
    scene = int(match.group(1))
    if scene not in truth:
        raise DataError(f'DDN-Data rainy image {path} has no ground '
                        f'truth {scene}.<ext> in {src}/ground_truth')
    return scene


def convert_ddn_data(src: str,
                     out: str,
                     split: str = 'auto',
                     test_from: int = 901) -> Dict[str, int]:
    """Link DDN-Data's rainy images and their ground truth into the layout.

    ``rainy_image/{i}_{j}.jpg`` (14 rain versions ``j`` of scene ``i``)
    pairs with ``ground_truth/{i}.jpg``. Training: every rainy image to
    ``trainA/``, each ground-truth scene once to ``trainB/``. Test: rainy
    images to ``testA/`` and, for each, its ground truth to
    ``testB/{i}_{j}.jpg`` (a hard link, so no extra space where links work).

    Args:
        src (str): folder holding ``rainy_image/`` and ``ground_truth/``
            (e.g. ``Rain12600/`` or ``Rain1400/``; run once per folder).
        out (str): output root.
        split (str): ``'auto'``: scenes ``i < test_from`` are training,
            the others test (DDN: 1-900 train, 901-1000 test); ``'train'``
            or ``'test'``: all of them.
        test_from (int): first test scene id for ``'auto'``.

    Returns:
        dict: number of files written per output folder.

    Raises:
        DataError: a folder is missing or empty, a rainy file is not named
            ``{i}_{j}``, or a scene has no ground truth (checked before
            anything is written).
    """
    if split not in ('auto', 'train', 'test'):
        raise ValueError(f"split must be 'auto', 'train' or 'test', "
                         f'got {split!r}')
    require_dir(src, 'DDN-Data source')
    rainy = images_in(osp.join(src, 'rainy_image'), 'DDN-Data rainy_image')
    truth = _ground_truth_by_id(osp.join(src, 'ground_truth'))
    plan = [(path, _scene_of(path, truth, src)) for path in rainy]
    counts = dict.fromkeys(('trainA', 'trainB', 'testA', 'testB'), 0)
    train_scenes = set()
    for path, scene in plan:
        if split == 'test' or (split == 'auto' and scene >= test_from):
            place(path, out, 'testA', stem_of(path))
            place(truth[scene], out, 'testB', stem_of(path))
            counts['testA'] += 1
            counts['testB'] += 1
        else:
            place(path, out, 'trainA', stem_of(path))
            counts['trainA'] += 1
            train_scenes.add(scene)
    for scene in sorted(train_scenes):
        place(truth[scene], out, 'trainB', stem_of(truth[scene]))
    counts['trainB'] = len(train_scenes)
    return {k: v for k, v in counts.items() if v}
