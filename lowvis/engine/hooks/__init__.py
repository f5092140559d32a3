from .plain_checkpoint_hook import PlainCheckpointHook
from .translation_visualization_hook import TranslationVisualizationHook

__all__ = ['PlainCheckpointHook', 'TranslationVisualizationHook']
