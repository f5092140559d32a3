from .channels_last_hook import ChannelsLastHook, to_channels_last
from .plain_checkpoint_hook import PlainCheckpointHook
from .save_outputs_hook import SaveOutputsHook
from .translation_visualization_hook import TranslationVisualizationHook

__all__ = ['ChannelsLastHook', 'PlainCheckpointHook', 'SaveOutputsHook',
           'TranslationVisualizationHook', 'to_channels_last']
