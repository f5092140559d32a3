"""Opt-in channels_last (NHWC) memory format for the model's weights."""
import torch
from mmengine.dist import get_world_size
from mmengine.hooks import Hook

from lowvis.engine.model_utils import bare_model
from lowvis.registry import HOOKS
from lowvis.utils.errors import ConfigError

__all__ = ['ChannelsLastHook', 'to_channels_last']


def to_channels_last(model):
    """Put ``model``'s 4-D weights in channels_last, in place.

    The parameters stay the same objects (an optimizer built before keeps
    them); convolutions then give channels_last outputs, the layout CUDA's
    tensor cores prefer. Refused off CUDA: ``InstanceNorm2d`` (in every
    lowvis generator and discriminator) drops channels_last, so both layouts
    mix through every block, and on the CPU build we test on its backward is
    wrong for channels_last incoming gradients.

    Raises:
        ConfigError: a parameter is not on a CUDA device.
    """
    devices = {p.device.type for p in model.parameters()}
    if devices != {'cuda'}:
        raise ConfigError(
            'channels_last is CUDA-only: the model is on '
            f'{", ".join(sorted(devices))}, and InstanceNorm2d\'s backward '
            'is wrong for channels_last gradients on the CPU; remove '
            'ChannelsLastHook (or train on a GPU)')
    return model.to(memory_format=torch.channels_last)


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Opt-in: ``custom_hooks += [dict(type='ChannelsLastHook')]``.

    Converts the model with :func:`to_channels_last` before the run (one
    process; a multi-process run is refused, as DDP's gradient buckets are
    laid out before hooks run). Not yet measured on a GPU here:
    ``tools/device_check.sh`` measures it against the default layout.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner):
        if get_world_size() > 1:
            raise ConfigError('ChannelsLastHook: single-process runs only '
                              '(DDP lays out its gradient buckets first)')
        model = bare_model(runner.model)
        to_channels_last(model)
