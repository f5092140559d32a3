from .unpaired_data_preprocessor import UnpairedDataPreprocessor

__all__ = ['UnpairedDataPreprocessor']
