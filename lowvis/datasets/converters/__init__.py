"""Converters from public deraining layouts to lowvis's layout.

Each ``convert_*(src, out, ...)`` writes ``trainA/ trainB/ testA/ testB/``
under ``out`` and returns the number of files per folder. The command-line
wrappers are ``tools/dataset_converters/*.py``; layouts are described in
``docs/datasets.md``.
"""
from .common import format_counts, run_converter
from .ddn_data import convert_ddn_data
from .did_data import DID_TRAIN_DIRS, convert_did_data
from .rain100 import convert_rain100
from .rain13k import convert_rain13k
from .rain800 import convert_rain800
from .spa_data import convert_spa_data, read_pair_list

__all__ = [
    'convert_rain800', 'convert_did_data', 'DID_TRAIN_DIRS',
    'convert_ddn_data', 'convert_spa_data', 'read_pair_list',
    'convert_rain100', 'convert_rain13k', 'format_counts', 'run_converter'
]
