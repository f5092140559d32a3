"""Paired test data: degraded images with their ground truth, by file stem."""
import os.path as osp
from typing import Callable, List, Sequence, Union

from lowvis.registry import DATASETS

from .folders import pair_by_stem
from .two_domain_dataset import TwoDomainDataset

__all__ = ['PairedImageDataset']


def _describe(data_root: str, dirs: Union[str, Sequence[str]]) -> str:
    dirs = [dirs] if isinstance(dirs, str) else list(dirs)
    full = [d if osp.isabs(d) else osp.join(data_root, d) for d in dirs]
    return full[0] if len(full) == 1 else '+'.join(full)


@DATASETS.register_module()
class PairedImageDataset(TwoDomainDataset):
    """Degraded images (A) and their ground truth (B), matched by stem.

    Layout: ``data_root/testA/rain-001.png`` pairs with
    ``data_root/testB/rain-001.<any ext>``. Every A must have a B and every
    B an A. Images are never resized here: evaluation is at full resolution.

    Args:
        data_root (str): dataset folder; ``''`` if the folders are absolute.
        dir_A (str | list[str]): degraded images, relative or absolute.
        dir_B (str | list[str]): ground-truth images, relative or absolute.
        pipeline (list[dict | callable]): transforms.
        test_mode (bool): as in mmengine's ``BaseDataset``.
        **kwargs: other ``BaseDataset`` arguments.

    Each ``get_data_info`` dict holds ``img_A_path``, ``img_B_path`` and
    ``name`` (the shared stem), sorted by stem.

    Raises:
        DataError: a folder is missing or empty, a stem occurs twice in one
            domain, or some files have no partner (their names are listed).
    """

    def __init__(self,
                 data_root: str,
                 dir_A: Union[str, Sequence[str]] = 'testA',
                 dir_B: Union[str, Sequence[str]] = 'testB',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = True,
                 **kwargs) -> None:
        super().__init__(data_root, dir_A, dir_B, pipeline, test_mode,
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        """Pair A and B files by stem."""
        a_paths, b_paths = self.domain_paths()
        pairs = pair_by_stem(
            a_paths, b_paths,
            _describe(self.data_root, self.dir_A),
            _describe(self.data_root, self.dir_B))
        return [
            dict(img_A_path=a, img_B_path=b, name=stem)
            for stem, a, b in pairs
        ]
