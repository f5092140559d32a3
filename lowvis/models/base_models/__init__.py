from .base_unpaired_translation_model import (BaseUnpairedTranslationModel,
                                              DomainModuleDict, frozen)
from .contrastive_branch import ContrastiveBranch, SidePatches
from .image_pool import ImagePool

__all__ = ['BaseUnpairedTranslationModel', 'ContrastiveBranch',
           'DomainModuleDict', 'ImagePool', 'SidePatches', 'frozen']
