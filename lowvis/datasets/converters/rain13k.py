"""Rain13K packaging (MPRNet, Restormer): input/ + target/ by sorted order."""
import os.path as osp
from typing import Dict

from lowvis.utils import DataError

from .common import images_in, place, require_dir, stem_of

__all__ = ['convert_rain13k']


def convert_rain13k(src: str, out: str, split: str) -> Dict[str, int]:
    """Link an ``input/`` + ``target/`` folder pair into the layout.

    MPRNet and Restormer package Rain13K (training) and Rain100H, Rain100L,
    Test100, Test1200, Test2800 (tests) this way; the i-th file of
    ``input/`` pairs with the i-th of ``target/`` in sorted name order
    (Python ``sorted``, as those loaders do), whatever the names.

    Args:
        src (str): e.g. ``train/Rain13K`` or ``test/Test100``.
        out (str): output root.
        split (str): ``'train'``: ``trainA/`` and ``trainB/`` under their
            own names; ``'test'``: ``testA/<input stem>.*`` and
            ``testB/<input stem>.*`` so the pairs match by stem.

    Returns:
        dict: number of files written per output folder.

    Raises:
        DataError: a folder is missing or empty, or the two folders hold
            different numbers of images.
    """
    if split not in ('train', 'test'):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    require_dir(src, 'Rain13K source')
    inputs = images_in(osp.join(src, 'input'), 'Rain13K input')
    targets = images_in(osp.join(src, 'target'), 'Rain13K target')
    if len(inputs) != len(targets):
        raise DataError(f'{src}: input/ has {len(inputs)} images but '
                        f'target/ has {len(targets)}; they pair by sorted '
                        'order, so the counts must match')
    domains = ('testA', 'testB') if split == 'test' else ('trainA', 'trainB')
    for rainy, clean in zip(inputs, targets):
        place(rainy, out, domains[0], stem_of(rainy))
        place(clean, out, domains[1],
              stem_of(rainy) if split == 'test' else stem_of(clean))
    return {domains[0]: len(inputs), domains[1]: len(inputs)}
