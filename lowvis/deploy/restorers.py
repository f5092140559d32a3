"""One ``image -> restored image`` callable for either back-end.

Used by ``tools/restore.py`` and ``tools/web_demo.py``. The ONNX Runtime
back-end imports no torch; the torch back-end imports :mod:`lowvis.apis`
only when it is chosen.
"""
from lowvis.utils.errors import ConfigError

__all__ = ['BACKENDS', 'check_backend_options', 'build_restorer']

BACKENDS = ('torch', 'onnxruntime')


def check_backend_options(backend, model=None, config=None, checkpoint=None,
                          norm_stats='tile', device='cpu', fp16=False):
    """One-line :class:`ConfigError` for options ``backend`` cannot honour
    (ONNX Runtime: ``model`` only, per-tile statistics, CPU, float32;
    torch: ``config`` and ``checkpoint``)."""
    if backend not in BACKENDS:
        raise ConfigError(f'--backend must be one of {BACKENDS}, got '
                          f'{backend!r}')
    if backend == 'onnxruntime':
        needed = {'model': model}
        unusable = [('config', config), ('checkpoint', checkpoint),
                    ('norm-stats global', norm_stats == 'global'),
                    ('device ' + device, device != 'cpu'), ('fp16', fp16)]
    else:
        needed = {'config': config, 'checkpoint': checkpoint}
        unusable = [('model', model)]
    for name, value in needed.items():
        if value is None:
            raise ConfigError(f'--backend {backend} needs --{name}')
    for name, given in unusable:
        if given:
            raise ConfigError(f'--{name} cannot be used with --backend '
                              f'{backend}')
    if backend == 'torch':
        import torch
        if device.startswith('cuda') and not torch.cuda.is_available():
            raise ConfigError(f'--device {device}: no CUDA GPU is available '
                              'here; use --device cpu')
        if fp16 and not device.startswith('cuda'):
            raise ConfigError('--fp16 needs --device cuda')


def build_restorer(backend, model=None, config=None, checkpoint=None,
                   tile=256, tile_overlap=32, norm_stats='tile',
                   device='cpu', fp16=False):
    """``restorer(image) -> image`` (same shape and dtype; see
    :func:`lowvis.apis.restore`), after :func:`check_backend_options`.

    Args:
        backend (str): ``'torch'`` or ``'onnxruntime'``.
        model (str | None): ``.onnx`` file (onnxruntime).
        config / checkpoint (str | None): model config and ``.pth`` (torch).
        tile, tile_overlap, norm_stats, device, fp16: as
            :func:`lowvis.apis.restore` takes them.
    """
    check_backend_options(backend, model, config, checkpoint, norm_stats,
                          device, fp16)
    if backend == 'onnxruntime':
        from .onnx_restorer import OnnxRestorer
        runtime = OnnxRestorer(model)
        return lambda img: runtime.restore(img, tile=tile,
                                           tile_overlap=tile_overlap)
    from lowvis.apis import init_model, restore
    net = init_model(config, checkpoint, device=device)
    return lambda img: restore(net, img, tile=tile, tile_overlap=tile_overlap,
                               norm_stats=norm_stats, fp16=fp16)
