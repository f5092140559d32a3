"""Checks a tool runs before iteration 1, so that a bad config or a bad image
fails in seconds, in one line, instead of hours into a run.

:func:`run_startup_checks` (called by ``tools/train.py`` and
``tools/test.py``, skipped with ``--skip-data-check`` or the config key
``skip_data_check = True`` for the data part):

* **components**: every ``type=`` in the model, datasets, pipelines,
  samplers, hooks, optimizers, optimizer wrappers, parameter schedulers,
  loops, evaluators and visualizer is looked up in its registry and its
  arguments checked against the class's signature (and those of the bases
  its ``**kwargs`` reach, and for ``CheckpointHook`` of
  ``Runner.save_checkpoint``, which receives its extra arguments), values
  against simple annotations (``int``, ``float``, ``str``, sequences);
* **top-level keys**: a config key close to one the Runner reads (e.g.
  ``train_cfgg``) is warned with the closest known key;
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
import difflib
import inspect
import sys
from typing import Iterable, List, Optional, Tuple

from mmengine.hooks import CheckpointHook
from mmengine.runner import Runner

from lowvis import registry as R
from lowvis.utils.config_errors import (accepted_arguments,
                                        bad_argument_message,
                                        check_override_types,
                                        check_value_type,
                                        unknown_type_message)
from lowvis.utils.errors import ConfigError, DataError

__all__ = ['run_startup_checks', 'check_components', 'check_data',
           'check_overrides', 'image_header']

# keys the Runner reads besides its __init__ arguments, and lowvis's own
_EXTRA_KEYS = {'model_wrapper_cfg', 'custom_imports', 'default_scope',
               '_base_', 'skip_data_check', 'compile', 'strategy'}
_GREY_MODES = ('1', 'L', 'LA', 'I', 'F', 'I;16', 'I;16B', 'I;16L')
_PROGRESS_FROM = 1000  # files; a progress bar from this many on
# kwargs a class passes on to another callable: validated against it
_FORWARDED = ((CheckpointHook, Runner.save_checkpoint),)
# which registry a nested component is built from, by its key
_NESTED = {'pipeline': 'TRANSFORMS', 'optimizer': 'OPTIMIZERS',
           'metrics': 'METRICS', 'vis_backends': 'VISBACKENDS',
           'sampler': 'DATA_SAMPLERS', 'batch_sampler': 'DATA_SAMPLERS',
           'collate_fn': 'FUNCTIONS', 'dataset': 'DATASETS',
           'datasets': 'DATASETS', 'data_preprocessor': 'MODELS'}
# arguments the Runner passes itself (not config keys)
_PASSED = {'runner', 'dataloader', 'evaluator', 'params', 'module'}


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


# ----------------------------------------------------------------- config
def check_overrides(cfg, options: dict) -> None:
    """Before ``--cfg-options`` are merged: refuse a value of another kind
    than the one it replaces; warn about a new top-level key."""
    if not options:
        return
    check_override_types(cfg, options)
    for key in options:  # a near miss is warned by check_components
        top = key.split('.')[0]
        if top not in cfg and top not in _known_keys() and \
                not _closest(top, 0.8):
            _warn(f"--cfg-options {key}: '{top}' is not a config key the "
                  f'runner reads, so it changes nothing{_closest(top)}')


def _known_keys():
    return set(inspect.signature(Runner.__init__).parameters) | _EXTRA_KEYS


def _closest(key, cutoff=0.6):
    close = difflib.get_close_matches(key, sorted(_known_keys()), n=1,
                                      cutoff=cutoff)
    return f"; did you mean '{close[0]}'?" if close else ''


def check_components(cfg) -> None:
    """Look up every component of ``cfg`` and check its arguments."""
    for key in cfg:
        if key not in _known_keys() and _closest(key, 0.8):
            _warn(f"config key '{key}' is not read by the runner"
                  f'{_closest(key, 0.8)}')
    _check(cfg.get('model'), 'MODELS', 'model')
    _check(cfg.get('model_wrapper_cfg'), 'MODEL_WRAPPERS',
           'model_wrapper_cfg')
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if isinstance(loader, dict):
            for key, value in loader.items():
                _check(value, _NESTED.get(key), f'{split}_dataloader.{key}')
        _check_loop(cfg.get(f'{split}_cfg'), split)
    for key in ('val_evaluator', 'test_evaluator'):
        for i, metric in _items(cfg.get(key)):
            registry = 'EVALUATOR' if isinstance(metric, dict) and \
                R.EVALUATOR.get(metric.get('type')) else 'METRICS'
            _check(metric, registry, key + i)
    for name, hook in (cfg.get('default_hooks') or {}).items():
        _check(hook, 'HOOKS', f'default_hooks.{name}')
    for i, hook in _items(cfg.get('custom_hooks')):
        _check(hook, 'HOOKS', 'custom_hooks' + i)
    _check_optim_wrapper(cfg.get('optim_wrapper'))
    schedulers = cfg.get('param_scheduler')
    if isinstance(schedulers, dict) and 'type' not in schedulers:
        schedulers = [s for group in schedulers.values()
                      for _, s in _items(group)]
    for i, scheduler in _items(schedulers):
        _check(scheduler, 'PARAM_SCHEDULERS', 'param_scheduler' + i)
    _check(cfg.get('visualizer'), 'VISUALIZERS', 'visualizer')
    _check(cfg.get('log_processor'), 'LOG_PROCESSORS', 'log_processor')


def _items(value) -> Iterable[Tuple[str, object]]:
    """``('.i', item)`` of a list, ``('', value)`` of one item."""
    if isinstance(value, (list, tuple)):
        return [(f'.{i}', v) for i, v in enumerate(value)]
    return [] if value is None else [('', value)]


def _check_loop(loop, split):
    if not isinstance(loop, dict) or not loop:
        return
    if 'type' in loop:
        _check(loop, 'LOOPS', f'{split}_cfg')
        return
    from mmengine.runner import (EpochBasedTrainLoop, IterBasedTrainLoop,
                                 TestLoop, ValLoop)
    args = {k: v for k, v in loop.items() if k != 'by_epoch'}
    cls = {'val': ValLoop, 'test': TestLoop}.get(split) or (
        EpochBasedTrainLoop if loop.get('by_epoch') else IterBasedTrainLoop)
    _check_args(cls, args, f'{split}_cfg')


def _check_optim_wrapper(cfg):
    if not isinstance(cfg, dict):
        return
    if 'constructor' in cfg and isinstance(cfg['constructor'], str) and \
            R.OPTIM_WRAPPER_CONSTRUCTORS.get(cfg['constructor']) is None:
        raise ConfigError(unknown_type_message(
            cfg['constructor'], R.OPTIM_WRAPPER_CONSTRUCTORS,
            'optim_wrapper.constructor'))
    wrappers = [('optim_wrapper', cfg)] if 'optimizer' in cfg else [
        (f'optim_wrapper.{k}', v) for k, v in cfg.items()
        if isinstance(v, dict) and 'optimizer' in v]
    for where, wrapper in wrappers:
        args = {k: v for k, v in wrapper.items()
                if k not in ('type', 'paramwise_cfg', 'constructor')}
        _check(dict(args, type=wrapper.get('type', 'OptimWrapper')),
               'OPTIM_WRAPPERS', where)


def _registry(name):
    return getattr(R, name)


def _resolve(cfg, registry_name, where):
    """The class of ``cfg['type']``: in ``registry_name`` or, for a nested
    component without a known home, in any lowvis registry."""
    obj_type = cfg['type']
    if not isinstance(obj_type, str):
        return obj_type if callable(obj_type) else None
    registry = _registry(registry_name)
    cls = registry.get(obj_type)
    if cls is None and registry_name == 'MODELS':
        for other in vars(R).values():
            if isinstance(other, type(registry)) and other.get(obj_type):
                return other.get(obj_type)
    if cls is None:
        raise ConfigError(unknown_type_message(obj_type, registry, where))
    return cls


def _check(cfg, registry_name: Optional[str], where: str) -> None:
    """Check one component and, recursively, the components it holds."""
    if isinstance(cfg, (list, tuple)):
        for i, item in _items(cfg):
            _check(item, registry_name, where + i)
        return
    if not isinstance(cfg, dict):
        return
    if 'type' not in cfg or registry_name is None:
        for key, value in cfg.items():  # e.g. model.generators.A2B
            if key != 'init_cfg':
                _check(value, _NESTED.get(key, registry_name),
                       f'{where}.{key}')
        return
    cls = _resolve(cfg, registry_name, where)
    if cls is None:
        return
    _check_args(cls, {k: v for k, v in cfg.items() if k != 'type'}, where)
    for key, value in cfg.items():
        if key not in ('type', 'init_cfg'):
            _check(value, _NESTED.get(key, registry_name), f'{where}.{key}')


def _check_args(cls, args: dict, where: str) -> None:
    params, closed = accepted_arguments(cls)
    for base, target in _FORWARDED:
        if inspect.isclass(cls) and issubclass(cls, base):
            extra, closed = accepted_arguments(target)
            params = {**params, **extra}
    params = {k: p for k, p in params.items() if k not in _PASSED}
    name = getattr(cls, '__name__', str(cls))
    for key, value in args.items():
        if key not in params:
            if closed:
                raise ConfigError(bad_argument_message(name, key, params,
                                                       where))
            continue
        check_value_type(name, key, value, params[key].annotation,
                         f'{where}.{key}')


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
