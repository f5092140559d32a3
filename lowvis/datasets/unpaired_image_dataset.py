"""Unpaired training data: degraded images (domain A), clean images (B)."""
import os.path as osp
from typing import Callable, List, Sequence, Tuple, Union

import numpy as np
from mmengine.dataset import force_full_init

from lowvis.registry import DATASETS
from lowvis.utils.errors import ConfigError

from .sample_rng import seeded_global_rng
from .two_domain_dataset import TwoDomainDataset

__all__ = ['UnpairedImageDataset', 'draw_b_index']


def draw_b_index(seed: int, epoch: int, index: int, num_b: int) -> int:
    """The B image shown with A image ``index`` in ``epoch``: a pure function.

    Needs no state, so it is identical in every dataloader worker and repeats
    exactly when training resumes.
    """
    return int(np.random.default_rng([seed, epoch, index]).integers(num_b))


@DATASETS.register_module()
class UnpairedImageDataset(TwoDomainDataset):
    """Images of domain A, each shown with a B image drawn per epoch.

    Layout (CycleGAN's): ``data_root/trainA/`` degraded (e.g. rainy) images,
    ``data_root/trainB/`` clean images, unrelated to A. See
    ``docs/datasets.md``.

    ``len(dataset)`` is the number of A images. Index ``epoch * len + i``
    means A image ``i`` in ``epoch`` (what :class:`UnpairedInfiniteSampler`
    yields); an index below ``len`` is epoch 0. The B image for ``(epoch,
    i)`` is :func:`draw_b_index` ``(seed, epoch, i, num_B)``: the pairing
    changes every epoch, independently of A's order, and is reproducible.

    Args:
        data_root (str): dataset folder; ``''`` if the folders are absolute.
        dir_A (str | list[str]): folder(s) of A images, relative to
            ``data_root`` or absolute. Several folders are concatenated
            (e.g. synthetic rainy plus real rainy photos).
        dir_B (str | list[str]): folder(s) of B images, likewise.
        pipeline (list[dict | callable]): transforms.
        seed (int): seed of the B draw, >= 0.
        test_mode (bool): as in mmengine's ``BaseDataset``.
        **kwargs: other ``BaseDataset`` arguments (``serialize_data``,
            ``lazy_init``, ``indices``, ``max_refetch``, ...).

    Each ``get_data_info`` dict holds ``img_A_path``, ``img_B_path``,
    ``name`` (stem of the A file) and ``sample_idx`` (``i``).

    Raises:
        DataError: ``data_root`` or a folder is missing, or a folder holds no
            image.
    """

    def __init__(self,
                 data_root: str,
                 dir_A: Union[str, Sequence[str]] = 'trainA',
                 dir_B: Union[str, Sequence[str]] = 'trainB',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 seed: int = 0,
                 test_mode: bool = False,
                 **kwargs) -> None:
        if not isinstance(seed, int) or seed < 0:
            raise ConfigError(f'seed must be an int >= 0, got {seed!r}')
        self.seed = seed
        self._b_paths = np.array([], dtype=str)
        super().__init__(data_root, dir_A, dir_B, pipeline, test_mode,
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        """List A images as data infos; keep B paths apart."""
        a_paths, b_paths = self.domain_paths()
        # A numpy string array: workers reading it do not touch per-item
        # refcounts, so the pages stay shared (like serialize_data does).
        self._b_paths = np.array(b_paths)
        return [
            dict(img_A_path=p, name=osp.splitext(osp.basename(p))[0])
            for p in a_paths
        ]

    @property
    @force_full_init
    def b_paths(self) -> List[str]:
        """Paths of all B images."""
        return [str(p) for p in self._b_paths]

    @force_full_init
    def split_index(self, idx: int) -> Tuple[int, int]:
        """``(epoch, i)`` of a sampler index ``epoch * len(self) + i``."""
        size = len(self)
        if idx < 0:
            if idx < -size:
                raise IndexError(f'index {idx} out of range for {size} items')
            return 0, idx + size
        return divmod(int(idx), size)

    @force_full_init
    def get_data_info(self, idx: int) -> dict:
        """Data info for a (possibly epoch-offset) index, with its B path."""
        epoch, i = self.split_index(idx)
        info = super().get_data_info(i)
        k = draw_b_index(self.seed, epoch, i, len(self._b_paths))
        info['img_B_path'] = str(self._b_paths[k])
        return info

    def prepare_data(self, idx):
        """Load and transform one sample with its own random stream.

        The pipeline's random draws (crop, flip, ...) are seeded from
        ``(seed, epoch, i)`` (see :func:`seeded_global_rng`), so a sample is
        identical however many workers load it and when a run resumes.
        """
        epoch, i = self.split_index(idx)
        with seeded_global_rng(self.seed, epoch, i):
            return super().prepare_data(idx)
