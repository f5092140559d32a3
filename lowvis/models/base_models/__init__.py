from .base_unpaired_translation_model import (BaseUnpairedTranslationModel,
                                              DomainModuleDict, frozen)

__all__ = ['BaseUnpairedTranslationModel', 'DomainModuleDict', 'frozen']
