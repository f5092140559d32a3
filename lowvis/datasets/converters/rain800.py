"""Rain800 (ID-CGAN): side-by-side JPEG pairs -> lowvis layout."""
import os.path as osp
from typing import Dict, Optional

from .common import require_dir, split_side_by_side

__all__ = ['convert_rain800']


def convert_rain800(src: str,
                    out: str,
                    rainy_half: str = 'right',
                    train_dir: Optional[str] = 'training',
                    test_dir: Optional[str] = 'test_syn') -> Dict[str, int]:
    """Split Rain800's side-by-side pairs into trainA/B and testA/B.

    Each source image holds a clean and a rainy image side by side; the
    original ID-CGAN release has the **rainy one on the right** (its loader
    trains B-to-A), but third-party copies differ: check one image and set
    ``rainy_half``. Halves are written as PNG under the source stem, so
    ``trainA/1.png`` and ``trainB/1.png`` come from the same pair (unpaired
    training draws B independently, so this pairing does not leak).

    Args:
        src (str): Rain800 root holding ``train_dir`` and ``test_dir``.
        out (str): output root (created; files of the same name replaced).
        rainy_half (str): ``'right'`` (default) or ``'left'``.
        train_dir (str | None): training folder (700 pairs); None or ``''``
            skips it. Relative to ``src`` or absolute.
        test_dir (str | None): test folder (Test100: 100 pairs); None or
            ``''`` skips it.

    Returns:
        dict: number of images written per output folder.

    Raises:
        DataError: ``src`` or a requested folder is missing or empty, or an
            image has an odd width.
    """
    require_dir(src, 'Rain800 source')
    counts = {}
    if train_dir:
        n = split_side_by_side(
            osp.join(src, train_dir), out, ('trainA', 'trainB'), rainy_half,
            'Rain800 training')
        counts.update(trainA=n, trainB=n)
    if test_dir:
        n = split_side_by_side(
            osp.join(src, test_dir), out, ('testA', 'testB'), rainy_half,
            'Rain800 test')
        counts.update(testA=n, testB=n)
    return counts
