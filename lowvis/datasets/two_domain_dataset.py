"""The base of lowvis's datasets: images of two domains in two folders."""
from typing import Callable, List, Sequence, Tuple, Union

from mmengine.dataset import BaseDataset

from lowvis.utils.config_errors import check_kwargs

from .folders import check_data_root, domain_images
from .scope import lowvis_scope_if_unset

__all__ = ['TwoDomainDataset']


class TwoDomainDataset(BaseDataset):
    """Images of domain A (degraded) and domain B (clean), one folder each.

    Holds what the unpaired training set and the paired test set share:
    the two folder arguments, the refusal of an unknown keyword (reported
    under the subclass's name with every accepted argument, before mmengine
    sees it), and building mmengine's ``BaseDataset`` in lowvis's registry
    scope. A subclass implements ``load_data_list`` and reads its files with
    :meth:`domain_paths`.

    Args:
        data_root (str): dataset folder; ``''`` if the folders are absolute.
        dir_A (str | list[str]): folder(s) of A images, relative to
            ``data_root`` or absolute; several are concatenated.
        dir_B (str | list[str]): folder(s) of B images, likewise.
        pipeline (list[dict | callable]): transforms.
        test_mode (bool): as in mmengine's ``BaseDataset``.
        **kwargs: other ``BaseDataset`` arguments.

    Raises:
        ConfigError: a keyword that neither the subclass, this class nor
            ``BaseDataset`` accepts.
    """

    def __init__(self,
                 data_root: str,
                 dir_A: Union[str, Sequence[str]],
                 dir_B: Union[str, Sequence[str]],
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 **kwargs) -> None:
        self.dir_A = dir_A
        self.dir_B = dir_B
        check_kwargs(type(self).__name__, kwargs, type(self).__init__,
                     TwoDomainDataset.__init__, BaseDataset.__init__)
        with lowvis_scope_if_unset():
            super().__init__(
                data_root=data_root,
                data_prefix=dict(),
                pipeline=list(pipeline),
                test_mode=test_mode,
                **kwargs)

    def domain_paths(self) -> Tuple[List[str], List[str]]:
        """The sorted image paths of ``dir_A`` and of ``dir_B``.

        Raises:
            DataError: ``data_root`` or a folder is missing, or a folder
                holds no image.
        """
        check_data_root(self.data_root)
        return (domain_images(self.data_root, self.dir_A, 'dir_A'),
                domain_images(self.data_root, self.dir_B, 'dir_B'))
