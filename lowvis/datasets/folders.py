"""Find the image folders of a dataset and fail with one clear line."""
import os.path as osp
from typing import Dict, Iterable, List, Sequence, Tuple, Union

from lowvis.utils import DataError

from .image_io import IMAGE_EXTENSIONS, list_images

__all__ = [
    'check_data_root', 'domain_images', 'check_same_keys', 'pair_by_stem'
]

DOCS_HINT = 'see docs/datasets.md'
_SHOWN = 10  # unmatched names quoted in an error message


def check_data_root(data_root: str) -> None:
    """Raise :class:`DataError` if ``data_root`` is given but not a folder.

    An empty ``data_root`` means folders are absolute or relative to the
    working directory.
    """
    if data_root and not osp.isdir(data_root):
        raise DataError(
            f'data root {data_root!r} is not a folder; it should hold '
            f'trainA/ trainB/ testA/ testB/ ({DOCS_HINT})')


def domain_images(data_root: str, dirs: Union[str, Sequence[str]],
                  role: str) -> List[str]:
    """All images of one domain, folder by folder, each folder sorted.

    Args:
        data_root (str): joined with each relative folder.
        dirs (str | list[str]): folder(s), relative to ``data_root`` or
            absolute.
        role (str): argument name for messages, e.g. ``'dir_A'``.

    Raises:
        DataError: a folder is missing or holds no image.
    """
    if isinstance(dirs, str):
        dirs = [dirs]
    if not dirs:
        raise DataError(f'{role} is empty; give at least one image folder '
                        f'({DOCS_HINT})')
    paths = []
    for folder in dirs:
        full = folder if osp.isabs(folder) else osp.join(data_root, folder)
        if not osp.isdir(full):
            raise DataError(f'{role} folder {full} does not exist '
                            f'({DOCS_HINT})')
        found = list_images(full)
        if not found:
            exts = ' '.join(e[1:] for e in IMAGE_EXTENSIONS)
            raise DataError(f'{role} folder {full} holds no image '
                            f'({exts}); {DOCS_HINT}')
        paths.extend(found)
    return paths


def _by_stem(paths: List[str], where: str) -> Dict[str, str]:
    """Map file stem -> path; two files with one stem are an error."""
    stems: Dict[str, str] = {}
    for path in paths:
        stem = osp.splitext(osp.basename(path))[0]
        if stem in stems:
            raise DataError(f'{where} has two images with stem {stem!r}: '
                            f'{stems[stem]} and {path}; keep one')
        stems[stem] = path
    return stems


def _quote(names: List[str]) -> str:
    """``'3 (a, b, c)'``, at most ``_SHOWN`` names then a count."""
    shown = ', '.join(names[:_SHOWN])
    more = f', ... {len(names) - _SHOWN} more' if len(names) > _SHOWN \
        else ''
    return f'{len(names)} ({shown}{more})'


def check_same_keys(a_keys: Iterable[str], b_keys: Iterable[str],
                    where_a: str, where_b: str) -> None:
    """Raise :class:`DataError` unless both sides have the same keys (stems).

    The message lists the first unmatched names of each side and counts.
    """
    a_keys, b_keys = set(a_keys), set(b_keys)
    only_a = sorted(a_keys - b_keys)
    only_b = sorted(b_keys - a_keys)
    if not only_a and not only_b:
        return
    parts = []
    if only_a:
        parts.append(f'{_quote(only_a)} in {where_a} without ground truth')
    if only_b:
        parts.append(f'{_quote(only_b)} in {where_b} without a degraded '
                     'image')
    raise DataError('files do not pair up by stem: ' + '; '.join(parts) +
                    f' ({DOCS_HINT})')


def pair_by_stem(a_paths: List[str], b_paths: List[str], where_a: str,
                 where_b: str) -> List[Tuple[str, str, str]]:
    """Match degraded and ground-truth files by stem.

    Args:
        a_paths, b_paths (list[str]): files of each side.
        where_a, where_b (str): folder names for messages.

    Returns:
        list[tuple]: ``(stem, a_path, b_path)`` sorted by stem.

    Raises:
        DataError: a stem occurs twice on one side, or some files have no
            partner (see :func:`check_same_keys`).
    """
    a_map = _by_stem(a_paths, where_a)
    b_map = _by_stem(b_paths, where_b)
    check_same_keys(a_map, b_map, where_a, where_b)
    return [(s, a_map[s], b_map[s]) for s in sorted(a_map)]
