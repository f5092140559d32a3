"""Rain100H / Rain100L (PReNet packaging): rain-N.png with norain-N.png."""
import os
import os.path as osp
import re
from typing import Dict, List

from lowvis.utils import DataError

from ..folders import check_same_keys
from ..image_io import IMAGE_EXTENSIONS
from .common import place, require_dir

__all__ = ['convert_rain100']

_NAME = re.compile(r'^(rain|norain)-(\d+)$')


def _find(src: str) -> Dict[str, List[str]]:
    """``rain-N`` and ``norain-N`` images under ``src``, at any depth.

    Masks (``rainregion-*``, ``rainstreak-*``) and other files are ignored.
    Both kinds are keyed by ``rain-N`` with N as an int, so ``rain-1`` pairs
    with ``norain-001``.
    """
    found: Dict[str, List[str]] = {'rain': [], 'norain': []}
    for folder, _, names in os.walk(src):
        for name in sorted(names):
            stem, ext = osp.splitext(name)
            match = _NAME.match(stem)
            if match and ext.lower() in IMAGE_EXTENSIONS:
                found[match.group(1)].append(osp.join(folder, name))
    return found


def _number(path: str) -> int:
    return int(_NAME.match(osp.splitext(osp.basename(path))[0]).group(2))


def convert_rain100(src: str, out: str, split: str = 'test') -> Dict[str, int]:
    """Link Rain100H/L (or RainTrainH/L) pairs into the layout.

    Rainy ``rain-N`` and clean ``norain-N`` images are searched under
    ``src`` at any depth (``rainy/rain-001.png`` next to ``norain-001.png``
    and flat folders both work) and paired by the number N.

    Args:
        src (str): the Rain100H/Rain100L (or RainTrainH/L) folder.
        out (str): output root.
        split (str): ``'test'``: ``testA/rain-N.*`` with
            ``testB/rain-N.*`` (the clean image under the rainy stem);
            ``'train'``: ``trainA/rain-N.*`` and ``trainB/norain-N.*``.

    Returns:
        dict: number of files written per output folder.

    Raises:
        DataError: ``src`` is missing, holds no ``rain-N`` image, or some
            numbers lack a partner.
    """
    if split not in ('train', 'test'):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    require_dir(src, 'Rain100 source')
    found = _find(src)
    if not found['rain']:
        raise DataError(f'Rain100 source {src} holds no rain-N image '
                        '(see docs/datasets.md)')
    # Pair on a normalised key 'N' so zero padding does not matter.
    rain = {str(_number(p)): p for p in found['rain']}
    clean = {str(_number(p)): p for p in found['norain']}
    check_same_keys(rain, clean, f'{src} (rain-N)', f'{src} (norain-N)')
    domains = ('testA', 'testB') if split == 'test' else ('trainA', 'trainB')
    for key in sorted(rain, key=int):
        rain_stem = osp.splitext(osp.basename(rain[key]))[0]
        clean_stem = osp.splitext(osp.basename(clean[key]))[0]
        place(rain[key], out, domains[0], rain_stem)
        place(clean[key], out, domains[1],
              rain_stem if split == 'test' else clean_stem)
    return {domains[0]: len(rain), domains[1]: len(rain)}
