from .base_unpaired_translation_model import (BaseUnpairedTranslationModel,
                                              DomainModuleDict, frozen)
from .image_pool import ImagePool

__all__ = ['BaseUnpairedTranslationModel', 'DomainModuleDict', 'ImagePool',
           'frozen']
