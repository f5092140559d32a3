"""SPA-Data (SPANet, real rain): list file for training, rain/ + gt/ test."""
import os.path as osp
from typing import Dict, List, Optional, Tuple

from lowvis.utils import DataError

from ..folders import pair_by_stem
from .common import images_in, place, require_dir, stem_of

__all__ = ['convert_spa_data', 'read_pair_list']


def _resolve(src: str, listed: str, list_file: str, line_no: int) -> str:
    """A path from the list, relative to ``src`` (leading ``/``, ``./`` ok)."""
    rel = listed[2:] if listed.startswith('./') else listed.lstrip('/')
    path = osp.join(src, rel)
    if not osp.isfile(path):
        raise DataError(f'{list_file} line {line_no}: {listed} is not a file '
                        f'under {src}')
    return path


def read_pair_list(src: str, list_file: str) -> List[Tuple[str, str]]:
    """Read ``<rain_path> <gt_path>`` lines; paths relative to ``src``.

    Blank lines are skipped. Raises DataError on a malformed line or a
    missing file (with the line number).
    """
    if not osp.isfile(list_file):
        raise DataError(f'SPA-Data list file {list_file} does not exist '
                        '(see docs/datasets.md)')
    pairs = []
    with open(list_file, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2:
                raise DataError(
                    f'{list_file} line {line_no}: expected '
                    f'"<rain_path> <gt_path>", got {line.strip()!r}')
            pairs.append(tuple(
                _resolve(src, p, list_file, line_no) for p in fields))
    if not pairs:
        raise DataError(f'SPA-Data list file {list_file} lists no pair')
    return pairs


def _unique_by_stem(paths: List[str], what: str) -> Dict[str, str]:
    """Stem -> path for distinct paths; two paths, one stem: DataError."""
    by_stem: Dict[str, str] = {}
    for path in paths:
        stem = stem_of(path)
        if by_stem.setdefault(stem, path) != path:
            raise DataError(f'SPA-Data {what}: {by_stem[stem]} and {path} '
                            'share a file name; they would collide')
    return by_stem


def _convert_train(src: str, out: str, list_file: str) -> Dict[str, int]:
    pairs = read_pair_list(src, list_file)
    rains = _unique_by_stem([r for r, _ in pairs], 'training rain images')
    # Many rainy frames share one clean image: link each clean one once.
    gts = _unique_by_stem([g for _, g in pairs], 'training clean images')
    for stem, path in rains.items():
        place(path, out, 'trainA', stem)
    for stem, path in gts.items():
        place(path, out, 'trainB', stem)
    return dict(trainA=len(rains), trainB=len(gts))


def _convert_test(src: str, out: str, test_dir: str) -> Dict[str, int]:
    root = require_dir(osp.join(src, test_dir), 'SPA-Data test')
    rain_dir, gt_dir = osp.join(root, 'rain'), osp.join(root, 'gt')
    pairs = pair_by_stem(
        images_in(rain_dir, 'SPA-Data test rain'),
        images_in(gt_dir, 'SPA-Data test gt'), rain_dir, gt_dir)
    for stem, rain, gt in pairs:
        place(rain, out, 'testA', stem)
        place(gt, out, 'testB', stem)
    return dict(testA=len(pairs), testB=len(pairs))


def convert_spa_data(src: str,
                     out: str,
                     list_file: Optional[str] = 'real_world.txt',
                     test_dir: Optional[str] = 'real_test_1000'
                     ) -> Dict[str, int]:
    """Link SPA-Data's training pairs and its test set into the layout.

    Training: ``list_file`` lists ``<rain_path> <gt_path>`` per line
    (``real_world/000/000-f/000-f_x_y.png`` with
    ``real_world_gt/000/000_x_y.png``), paths relative to ``src``. Rainy
    images go to ``trainA/`` and each distinct clean image once to
    ``trainB/``, under their own stems. Test: ``test_dir/rain/`` and
    ``test_dir/gt/`` with matching stems go to ``testA/`` and ``testB/``.

    Args:
        src (str): SPA-Data root.
        out (str): output root.
        list_file (str | None): relative to ``src`` or absolute; None or
            ``''`` skips training.
        test_dir (str | None): relative to ``src`` or absolute; None or
            ``''`` skips the test set.

    Returns:
        dict: number of files written per output folder.

    Raises:
        DataError: a folder, list file or listed file is missing, a line is
            malformed, or test files do not pair up by stem.
    """
    require_dir(src, 'SPA-Data source')
    counts = {}
    if list_file:
        counts.update(_convert_train(src, out, osp.join(src, list_file)))
    if test_dir:
        counts.update(_convert_test(src, out, test_dir))
    return counts
