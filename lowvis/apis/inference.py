"""Load a trained model and restore images of any size with it.

:func:`init_model` builds the model a config describes and loads a
checkpoint's weights into it (``weights_only`` loading, one-line errors).
:func:`restore` runs the model's restoring generator (``A2B`` for the
deraining models) on a numpy image, tiling it when it is large.

Image conventions of :func:`restore`:

* colour images are ``HxWx3`` **RGB**; ``HxWx4`` is RGBA, whose alpha is
  copied to the output unchanged; ``HxW`` (or ``HxWx1``) grayscale is
  replicated to RGB for the network and the restored RGB is turned back
  into gray with the BT.601 luma weights (0.299, 0.587, 0.114);
* ``uint8`` (0-255) or ``uint16`` (0-65535); the output has the input's
  dtype, shape and size. A 16-bit image is **not** quantised to 8 bits: it
  is scaled to the model's float range directly
  (``x / 65535 * 2 - 1``, the same range an 8-bit image maps to with
  ``x / 255 * 2 - 1``) and the output scaled back with 16-bit precision.
"""
import contextlib
import os.path as osp
import warnings

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from lowvis.deploy.image_layout import from_network, split_layout, to_network
from lowvis.engine.checkpoint_io import load_local_checkpoint
from lowvis.registry import MODELS
from lowvis.utils.errors import CheckpointError, ConfigError
from lowvis.utils.plugin_imports import import_config_plugins
from .norm_stats import SharedInstanceNormStats
from .tiling import pad_to_multiple, tiled_forward

__all__ = ['init_model', 'load_weights', 'read_checkpoint', 'restore',
           'restoring_generator']

_NORM_STATS = ('tile', 'global')


def _as_config(config):
    if isinstance(config, Config):
        return config
    if not isinstance(config, str) or not osp.isfile(config):
        raise ConfigError(f'config file not found: {config}')
    import_config_plugins(config)  # one-line errors for broken plugins
    return Config.fromfile(config)


def config_model_type(cfg):
    """Class name of ``cfg.model`` without a scope (``'lowvis.X'`` -> X)."""
    model_type = cfg.model.get('type', '')
    return model_type.split('.')[-1] if isinstance(model_type, str) \
        else getattr(model_type, '__name__', str(model_type))


def check_model_type(checkpoint, path, expected):
    """Raise :class:`CheckpointError` if ``meta.model_type`` differs.

    Args:
        checkpoint (dict): a loaded checkpoint.
        path (str): its file, for the message.
        expected (str): the config's model class name.
    """
    meta = checkpoint.get('meta') or {}
    found = meta.get('model_type') if isinstance(meta, dict) else None
    if found is not None and found != expected:
        raise CheckpointError(
            f'checkpoint {path} holds a {found} model but the config builds '
            f'a {expected}; pass the config it was trained with')


def read_checkpoint(path, cfg):
    """Load ``path`` (``weights_only``) and check it fits ``cfg``'s model type.

    Returns:
        dict: the checkpoint.

    Raises:
        CheckpointError: missing, corrupt, unsafe, not a dict, or written by
            another model type.
    """
    checkpoint = load_local_checkpoint(path, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f'checkpoint {path} is not a dict of weights')
    check_model_type(checkpoint, path, config_model_type(cfg))
    return checkpoint


def load_weights(model, checkpoint, path):
    """Load a checkpoint's ``state_dict`` into ``model``.

    The restoring generator's weights must match exactly; other parts of the
    model (discriminators, heads) that are missing or extra only warn, so a
    checkpoint stripped down to its generators still loads.

    Raises:
        CheckpointError: weights missing or of another shape (names ``path``).
    """
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f'checkpoint {path} is not a dict of weights')
    state = checkpoint.get('state_dict', checkpoint)
    expected = model.state_dict()
    for key, value in state.items():
        if key in expected and hasattr(value, 'shape') and \
                not key.endswith('_extra_state') and \
                tuple(value.shape) != tuple(expected[key].shape):
            raise CheckpointError(
                f'checkpoint {path} does not fit the config\'s model: {key} '
                f'has shape {tuple(value.shape)}, the model '
                f'{tuple(expected[key].shape)}; pass the config it was '
                'trained with')
    result = model.load_state_dict(state, strict=False)
    direction = getattr(model, 'test_direction', None)
    essential = f'generators.{direction}.' if direction else ''
    missing = [k for k in result.missing_keys if k.startswith(essential)]
    if missing:
        raise CheckpointError(
            f'checkpoint {path} lacks {len(missing)} weights of the model '
            f'(first: {missing[0]}); pass the config it was trained with')
    others = [k for k in result.missing_keys + result.unexpected_keys
              if not k.endswith('_extra_state')]
    if others:
        warnings.warn(f'{path}: {len(others)} weights outside the restoring '
                      f'generator are missing or unexpected (first: '
                      f'{others[0]})')


def init_model(config, checkpoint=None, device='cpu'):
    """Build a model from a config and load a checkpoint into it.

    Args:
        config (str | Config): config file or loaded config.
        checkpoint (str | None): ``.pth`` file written by training; ``None``
            keeps the freshly initialised weights.
        device (str | torch.device): where to put the model.

    Returns:
        nn.Module: the model in eval mode, with ``cfg`` set to the config.

    Raises:
        ConfigError: the config file is missing.
        CheckpointError: the checkpoint is missing, corrupt, unsafe, of
            another model type, or does not fit the model.
    """
    cfg = _as_config(config)
    init_default_scope(cfg.get('default_scope', 'lowvis'))
    if checkpoint is not None:
        ckpt = read_checkpoint(checkpoint, cfg)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_weights(model, ckpt, checkpoint)
    model.cfg = cfg
    return model.to(device).eval()


def restoring_generator(model):
    """The network :func:`restore` runs: the generator of
    ``model.test_direction`` for translation models, else ``model`` itself
    (any module mapping ``[N, 3, H, W]`` in [-1, 1] to the same)."""
    generators = getattr(model, 'generators', None)
    direction = getattr(model, 'test_direction', None)
    if generators is not None and direction is not None:
        return generators[direction]
    return model


def _make_runner(net, device, fp16):
    """Pad to a multiple of 4 (at least 16 px), run ``net`` on ``device``,
    crop back."""

    @torch.no_grad()
    def run(x):
        padded, (height, width) = pad_to_multiple(x, 4, min_size=16)
        padded = padded.to(device)
        autocast = torch.autocast('cuda', dtype=torch.float16) if fp16 \
            else contextlib.nullcontext()
        with autocast:
            out = net(padded)
        return out[:, :, :height, :width].float()

    return run


def _downscaled(x, max_side):
    """``x`` shrunk (area) so its longer side is at most ``max_side``."""
    height, width = x.shape[-2:]
    scale = max_side / max(height, width)
    if scale >= 1:
        return x
    size = (max(4, round(height * scale)), max(4, round(width * scale)))
    return torch.nn.functional.interpolate(x, size=size, mode='area')


def restore(model, image, tile=256, tile_overlap=32, norm_stats='tile',
            stats_size=1024, fp16=False):
    """Restore one image of any size with a model's restoring generator.

    Args:
        model (nn.Module): from :func:`init_model` (or a bare generator).
        image (np.ndarray): ``HxWx3`` RGB, ``HxWx4`` RGBA or ``HxW`` gray,
            ``uint8`` or ``uint16`` (see the module docstring).
        tile (int): tile side in pixels (rounded up to a multiple of 4);
            ``0`` restores the whole image in one pass. An image that fits
            in one tile gives exactly the untiled result.
        tile_overlap (int): pixels neighbouring tiles share; blended with a
            raised-cosine ramp.
        norm_stats (str): ``'tile'``: each tile's instance-norm layers use
            that tile's statistics; ``'global'``: they all use statistics
            recorded on the whole image, shrunk to ``stats_size``, which
            keeps the tiled result close to the untiled one.
        stats_size (int): longer side of the image for the ``'global'``
            statistics pass (never enlarged).
        fp16 (bool): float16 autocast; needs the model on a CUDA device.

    Returns:
        np.ndarray: same shape and dtype as ``image``.
    """
    if norm_stats not in _NORM_STATS:
        raise ValueError(f'norm_stats must be one of {_NORM_STATS}, got '
                         f'{norm_stats!r}')
    rgb, alpha, was_gray = split_layout(image)
    net = restoring_generator(model)
    device = next(net.parameters()).device
    if fp16 and device.type != 'cuda':
        raise ValueError('fp16 needs the model on a CUDA device; it is on '
                         f'{device}')
    tile = -(-tile // 4) * 4 if tile > 0 else 0
    x = torch.from_numpy(to_network(rgb))
    run = _make_runner(net, device, fp16)
    height, width = x.shape[-2:]
    single = tile == 0 or (height <= tile and width <= tile)
    if norm_stats == 'global' and not single:
        with SharedInstanceNormStats(net) as shared:
            run(_downscaled(x, stats_size))
            shared.mode = 'apply'
            out = tiled_forward(run, x, tile, tile_overlap, 3)
    else:
        out = tiled_forward(run, x, tile, tile_overlap, 3)
    return from_network(out[0].numpy(), image, alpha, was_gray)
