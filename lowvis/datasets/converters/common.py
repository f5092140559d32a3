"""Building blocks shared by the dataset converters.

Converters write lowvis's layout (``trainA/ trainB/ testA/ testB/``).
Files that need no change are hard-linked (copied where links fail, e.g.
across file systems), never re-encoded; images that must be cut (side-by-side
pairs) are written as lossless PNG.
"""
import os
import os.path as osp
import shutil
import sys
from typing import Callable, Dict, List, Tuple

import numpy as np

from lowvis.utils import DataError, LowvisError

from ..image_io import list_images, read_image, write_image

__all__ = [
    'DOMAINS', 'require_dir', 'images_in', 'place', 'split_halves',
    'stem_of', 'split_side_by_side', 'format_counts', 'run_converter'
]

DOMAINS = ('trainA', 'trainB', 'testA', 'testB')
_HINT = 'see docs/datasets.md'


def require_dir(path: str, what: str) -> str:
    """Return ``path`` if it is a folder, else raise a one-line DataError."""
    if not osp.isdir(path):
        raise DataError(f'{what} folder {path} does not exist ({_HINT})')
    return path


def images_in(folder: str, what: str) -> List[str]:
    """Sorted images of an existing, non-empty folder (else DataError)."""
    paths = list_images(require_dir(folder, what))
    if not paths:
        raise DataError(f'{what} folder {folder} holds no image ({_HINT})')
    return paths


def stem_of(path: str) -> str:
    """File name without folder and extension."""
    return osp.splitext(osp.basename(path))[0]


def place(src: str, out: str, domain: str, stem: str) -> str:
    """Hard-link (or copy) ``src`` to ``out/domain/stem<src ext>``.

    An existing file of that name is replaced. Returns the new path.
    """
    ext = osp.splitext(src)[1]
    dst = osp.join(out, domain, stem + ext)
    os.makedirs(osp.dirname(dst), exist_ok=True)
    if osp.lexists(dst):
        os.remove(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


def split_halves(path: str, rainy_half: str) -> Tuple[np.ndarray, np.ndarray]:
    """Cut a side-by-side pair into ``(rainy, clean)`` RGB uint8 arrays.

    Args:
        path (str): image with two equal halves side by side.
        rainy_half (str): ``'left'`` or ``'right'``: where the rainy one is.

    Raises:
        DataError: the width is odd, so the halves cannot be equal.
    """
    if rainy_half not in ('left', 'right'):
        raise ValueError(f"rainy_half must be 'left' or 'right', "
                         f'got {rainy_half!r}')
    img = read_image(path)
    width = img.shape[1]
    if width % 2:
        raise DataError(f'{path} is {width} px wide (odd): not two equal '
                        'side-by-side halves')
    left, right = img[:, :width // 2], img[:, width // 2:]
    return (left, right) if rainy_half == 'left' else (right, left)


def split_side_by_side(folder: str, out: str, domains: Tuple[str, str],
                       rainy_half: str, what: str,
                       prefix: str = '') -> int:
    """Split every side-by-side image of ``folder`` into two PNG files.

    The rainy half goes to ``out/domains[0]/<prefix><stem>.png``, the clean
    half to ``out/domains[1]/`` under the same name. Returns the count.
    """
    paths = images_in(folder, what)
    for path in paths:
        rainy, clean = split_halves(path, rainy_half)
        name = prefix + stem_of(path) + '.png'
        write_image(osp.join(out, domains[0], name), rainy)
        write_image(osp.join(out, domains[1], name), clean)
    return len(paths)


def format_counts(counts: Dict[str, int]) -> str:
    """``'trainA: 700, trainB: 700, ...'`` in layout order."""
    return ', '.join(f'{d}: {counts[d]}' for d in DOMAINS if d in counts)


def run_converter(convert: Callable[..., Dict[str, int]], src: str, out: str,
                  **kwargs) -> int:
    """Run a converter for a command-line tool; return the exit status.

    Prints the counts on success, or the error's one-line message (no
    traceback) on a :class:`LowvisError`.
    """
    try:
        counts = convert(src, out, **kwargs)
    except LowvisError as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    print(f'wrote {out}: {format_counts(counts)}')
    return 0
