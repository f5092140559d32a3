"""Build the ``lpips`` package's LPIPS network offline.

``lpips.LPIPS`` ships its linear calibration layers in the wheel but fetches
its ImageNet backbone from torchvision's servers on first use, which fails
without network. Here the backbone is built untrained and its weights are
loaded from a local copy of torchvision's file.
"""
import os
import os.path as osp
import warnings

import torch

from lowvis.utils.errors import CheckpointError, ConfigError, \
    MissingWeightsError

ENV_VAR = 'LOWVIS_LPIPS_BACKBONE'
_TORCHVISION_URL = 'https://download.pytorch.org/models/'
BACKBONE_FILES = {
    'alex': 'alexnet-owt-7be5be79.pth',
    'vgg': 'vgg16-397923af.pth',
    'squeeze': 'squeezenet1_1-b8a52dc0.pth',
}


def resolve_backbone_path(net='alex', weights_path=None):
    """Path of the torchvision backbone file: argument, else ``$ENV_VAR``.

    Raises:
        MissingWeightsError: neither is set, or the file does not exist.
    """
    if net not in BACKBONE_FILES:
        raise ConfigError(f'LPIPS net={net!r} is not supported: use one of '
                          f'{tuple(BACKBONE_FILES)}')
    path = weights_path or os.environ.get(ENV_VAR)
    file_name = BACKBONE_FILES[net]
    if path and osp.isfile(path):
        return path
    where = f'not found at {path!r}' if path else 'not given'
    raise MissingWeightsError(
        f"LPIPS(net='{net}') needs torchvision's backbone file {file_name} "
        f'({where}); it cannot be downloaded at run time: get it from '
        f'{_TORCHVISION_URL}{file_name} and pass weights_path=<file> or set '
        f'{ENV_VAR}=<file>')


def _backbone_state_dict(path):
    try:
        state = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as err:  # corrupt, truncated or not a tensor file
        raise CheckpointError(f'cannot read LPIPS backbone weights {path!r} '
                              f'({type(err).__name__}): download the file '
                              'again') from err
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    if not isinstance(state, dict):
        raise CheckpointError(f'LPIPS backbone file {path!r} holds no state '
                              'dict: use the torchvision .pth file')
    return state


def load_backbone(lpips_net, path):
    """Copy torchvision ``features.<i>.*`` weights into lpips's slices.

    lpips keeps torchvision's layer index in its module names
    (``slice2.3.weight`` is ``features.3.weight``), so keys map one to one.
    """
    state = _backbone_state_dict(path)
    mapped = {}
    for key, target in lpips_net.state_dict().items():
        _, index, param = key.split('.', 2)
        source = state.get(f'features.{index}.{param}')
        if source is None or source.shape != target.shape:
            raise CheckpointError(
                f'LPIPS backbone file {path!r} does not match the network: '
                f'features.{index}.{param} is missing or has another shape '
                '(is it the file for the chosen net?)')
        mapped[key] = source
    lpips_net.load_state_dict(mapped)


def build_lpips(net='alex', weights_path=None):
    """LPIPS v0.1 network with calibrated linear layers, in eval mode.

    Args:
        net (str): backbone, ``'alex'`` (the usual choice), ``'vgg'`` or
            ``'squeeze'``.
        weights_path (str | None): torchvision's backbone file (see
            :data:`BACKBONE_FILES`); ``None`` reads ``$LOWVIS_LPIPS_BACKBONE``.

    Returns:
        lpips.LPIPS: call it on two ``float Tensor[N, 3, H, W]`` RGB images
        in [-1, 1]; returns ``Tensor[N, 1, 1, 1]`` distances (0 = same).
    """
    path = resolve_backbone_path(net, weights_path)
    import lpips  # noqa: deferred, it imports torchvision's model zoo
    with warnings.catch_warnings():
        # lpips still passes torchvision's deprecated ``pretrained=False``.
        warnings.simplefilter('ignore', UserWarning)
        model = lpips.LPIPS(pretrained=True, net=net, pnet_rand=True,
                            verbose=False)
    load_backbone(model.net, path)
    return model.eval().requires_grad_(False)
