"""Checks a tool runs before iteration 1, so that a bad config or a bad image
fails in seconds, in one line, instead of hours into a run.

:func:`run_startup_checks` (called by ``tools/train.py`` and
``tools/test.py``, skipped with ``--skip-data-check`` or the config key
``skip_data_check = True`` for the data part):

* **config** (:mod:`lowvis.engine.config_checks`): every component's type
  and arguments, and top-level keys close to a known one;
* **data** (:func:`check_data`): every image of the datasets the run reads
  (training and validation for ``train``, test for ``test``) decodes; test
  pairs have equal sizes; training images smaller than ``RandomCrop``'s
  crop are reported with the option that pads them; grey test images
  scored against colour ground truth are warned (lowvis replicates grey to
  three channels, so PSNR then also counts the missing colour).

Measured with ``tools/benchmark_startup_checks.py`` (10,000 128x128 RGB
PNGs, one thread, a shared 2-core machine): the header check (PIL open +
verify) takes 0.26-0.34 ms per file (3 s for 10,000), a full decode (cv2)
0.61-0.63 ms; so the header check is what runs.
"""
import sys
from typing import List, Optional, Tuple

from lowvis import registry as R
from lowvis.utils.errors import DataError

from .config_checks import check_components, check_overrides

__all__ = ['run_startup_checks', 'check_components', 'check_data',
           'check_overrides', 'image_header']

_GREY_MODES = ('1', 'L', 'LA', 'I', 'F', 'I;16', 'I;16B', 'I;16L')
_PROGRESS_FROM = 1000  # files; a progress bar from this many on


def run_startup_checks(cfg, phase: str, skip_data: bool = False) -> None:
    """All checks for ``phase`` (``'train'`` or ``'test'``).

    Raises:
        ConfigError: an unknown type, argument or a wrong value type.
        DataError / ImageReadError: an image that does not decode, test
            pairs of different sizes, training images smaller than a crop
            that does not pad.
    """
    check_components(cfg)
    if not (skip_data or cfg.get('skip_data_check', False)):
        check_data(cfg, phase)


# ------------------------------------------------------------------- data
def image_header(path: str) -> Tuple[int, int, bool]:
    """``(height, width, is_grey)`` of an image file as lowvis reads it.

    Reads the header and checks the file's structure (PIL ``verify``:
    chunk checksums of PNG, no pixel decoding); JPEG sizes follow the EXIF
    orientation. A file PIL cannot read is decoded in full with
    :func:`lowvis.datasets.read_image`, whose error is raised.
    """
    from PIL import Image
    try:
        with Image.open(path) as img:
            width, height = img.size
            grey = img.mode in _GREY_MODES
            if img.format == 'JPEG' and \
                    img.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            img.verify()
        return height, width, grey
    except Exception:  # not readable by PIL: lowvis's reader decides
        from lowvis.datasets import read_image
        shape = read_image(path).shape
        return shape[0], shape[1], False


def _dataset_samples(dataset_cfg) -> Tuple[List[dict], List[str]]:
    """``(samples, extra_paths)`` of a dataset: the ``*_path`` keys of each
    sample and paths outside samples (an unpaired dataset's B images)."""
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('lowvis'):
        dataset = R.DATASETS.build(dataset_cfg)
    samples = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        samples.append({k: v for k, v in info.items()
                        if k.endswith('_path') and isinstance(v, str)})
    if hasattr(dataset, 'b_paths'):
        samples = [{k: v for k, v in s.items() if k != 'img_B_path'}
                   for s in samples]
    return samples, list(getattr(dataset, 'b_paths', []))


def _headers(paths: List[str], desc: str) -> dict:
    from tqdm import tqdm
    unique = list(dict.fromkeys(paths))
    bar = tqdm(unique, desc=desc, unit='image', file=sys.stderr,
               disable=len(unique) < _PROGRESS_FROM, leave=False)
    return {p: image_header(p) for p in bar}


def _crop(pipeline) -> Tuple[Optional[tuple], Optional[dict]]:
    """``(size before the crop, RandomCrop cfg)``: the size is that of a
    preceding ``Resize`` (or None: the file's)."""
    size = None
    for step in pipeline or []:
        kind = step.get('type') if isinstance(step, dict) else None
        if kind == 'Resize':
            s = step.get('size')
            size = (s, s) if isinstance(s, int) else tuple(s)
        if kind == 'RandomCrop':
            return size, step
    return None, None


def check_data(cfg, phase: str) -> None:
    """Decode-check (header level) the images of ``phase``'s datasets, then
    check pair sizes, crop sizes and grey-vs-colour pairs (see module)."""
    splits = ('train', 'val') if phase == 'train' else ('test',)
    for split in splits:
        loader = cfg.get(f'{split}_dataloader')
        if not isinstance(loader, dict) or 'dataset' not in loader:
            continue
        samples, extra = _dataset_samples(loader['dataset'])
        paths = [p for s in samples for p in s.values()] + extra
        headers = _headers(paths, f'checking {split} images')
        if split == 'train':
            _check_crop(loader['dataset'].get('pipeline'), headers)
        else:
            _check_pairs(samples, headers, split)


def _check_crop(pipeline, headers):
    resized, crop = _crop(pipeline)
    if crop is None or resized is not None:
        return
    size = crop.get('crop_size')
    crop_h, crop_w = (size, size) if isinstance(size, int) else size
    small = [(p, h, w) for p, (h, w, _) in headers.items()
             if h < crop_h or w < crop_w]
    if not small:
        return
    path, h, w = small[0]
    text = (f'{len(small)} training image(s) are smaller than the '
            f'RandomCrop crop {crop_h}x{crop_w} (first: {path}, {h}x{w} HxW)')
    if crop.get('pad_if_smaller', 'reflect') == 'error':
        raise DataError(f"{text}; RandomCrop(pad_if_smaller='reflect') pads "
                        'them, or remove them or lower crop_size')
    _warn(f"{text}; RandomCrop reflect-pads them (pad_if_smaller='reflect';"
          " 'error' refuses them)")


def _check_pairs(samples, headers, split):
    pairs = [(s['img_A_path'], s['img_B_path']) for s in samples
             if 'img_A_path' in s and 'img_B_path' in s]
    wrong = [(a, b) for a, b in pairs if headers[a][:2] != headers[b][:2]]
    if wrong:
        a, b = wrong[0]
        more = f' ({len(wrong) - 1} more pair(s) differ)' \
            if len(wrong) > 1 else ''
        raise DataError(
            f'{split} pair of different sizes: {a} is {headers[a][0]}x'
            f'{headers[a][1]} but {b} is {headers[b][0]}x{headers[b][1]} '
            f'(HxW){more}; the output is scored against its ground truth '
            'pixel by pixel, so both must have one size')
    grey = [(a, b) for a, b in pairs if headers[a][2] and not headers[b][2]]
    if grey:
        _warn(f'{len(grey)} {split} input(s) are grey but their ground '
              f'truth is colour (first: {grey[0][0]}); lowvis reads grey as '
              'three equal channels, so PSNR/SSIM also count the missing '
              'colour (convert the inputs, or the ground truth, to one kind)')


def _warn(message: str) -> None:
    from mmengine.dist import get_rank
    if get_rank() == 0:
        print(f'warning: {message}', file=sys.stderr)
