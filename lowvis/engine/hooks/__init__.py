from .gan_diagnostics_hook import GANDiagnosticsHook
from .plain_checkpoint_hook import PlainCheckpointHook
from .save_outputs_hook import SaveOutputsHook
from .translation_visualization_hook import TranslationVisualizationHook

__all__ = ['GANDiagnosticsHook', 'PlainCheckpointHook', 'SaveOutputsHook',
           'TranslationVisualizationHook']
