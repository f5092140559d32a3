from .channels_last_hook import ChannelsLastHook, to_channels_last
from .gan_diagnostics_hook import GANDiagnosticsHook
from .interrupt_hook import InterruptHook
from .plain_checkpoint_hook import PlainCheckpointHook
from .run_header_hook import RunHeaderHook
from .save_outputs_hook import SaveOutputsHook
from .translation_visualization_hook import TranslationVisualizationHook
from .validation_images_hook import ValidationImagesHook

__all__ = ['ChannelsLastHook', 'GANDiagnosticsHook', 'InterruptHook',
           'PlainCheckpointHook', 'RunHeaderHook', 'SaveOutputsHook',
           'TranslationVisualizationHook', 'ValidationImagesHook',
           'to_channels_last']
