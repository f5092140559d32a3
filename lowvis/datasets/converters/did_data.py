"""DID-Data / Rain1200 (DID-MDN): side-by-side pairs -> lowvis layout."""
import os.path as osp
from typing import Dict, Optional, Sequence

from lowvis.datasets.image_io import list_images

from .common import require_dir, split_side_by_side

__all__ = ['convert_did_data', 'DID_TRAIN_DIRS']

DID_TRAIN_DIRS = ('Rain_Heavy', 'Rain_Medium', 'Rain_Light')


def _image_folder(folder: str) -> str:
    """DID-MDN nests training images in ``train2018new/``; accept both."""
    nested = osp.join(folder, 'train2018new')
    if osp.isdir(folder) and not list_images(folder) and osp.isdir(nested):
        return nested
    return folder


def convert_did_data(src: str,
                     out: str,
                     train_dirs: Sequence[str] = DID_TRAIN_DIRS,
                     test_dir: Optional[str] = None,
                     rainy_half: str = 'left') -> Dict[str, int]:
    """Split DID-Data's side-by-side pairs (rainy LEFT, clean right).

    Training images of each density folder go to ``trainA/`` (rainy half)
    and ``trainB/`` (clean half) as PNG named ``<folder>_<stem>.png`` (the
    three folders reuse the same numbers). Test images (Test1200) go to
    ``testA/`` and ``testB/`` as ``<stem>.png``.

    Args:
        src (str): root holding the training folders (and maybe the test one).
        out (str): output root.
        train_dirs (list[str]): training folders, relative to ``src`` or
            absolute; each holds images directly or in ``train2018new/``.
            Empty to skip.
        test_dir (str | None): the test folder of 1200 pairs, relative to
            ``src`` or absolute; None skips it.
        rainy_half (str): ``'left'`` (DID-MDN's order) or ``'right'``.

    Returns:
        dict: number of images written per output folder.

    Raises:
        DataError: a folder is missing or empty, or an image has an odd width.
    """
    require_dir(src, 'DID-Data source')
    counts = {}
    total = 0
    for name in train_dirs:
        folder = _image_folder(osp.join(src, name))
        prefix = osp.basename(osp.normpath(name)) + '_'
        total += split_side_by_side(folder, out, ('trainA', 'trainB'),
                                    rainy_half, 'DID-Data training',
                                    prefix=prefix)
    if train_dirs:
        counts.update(trainA=total, trainB=total)
    if test_dir:
        n = split_side_by_side(
            osp.join(src, test_dir), out, ('testA', 'testB'), rainy_half,
            'DID-Data test')
        counts.update(testA=n, testB=n)
    return counts
