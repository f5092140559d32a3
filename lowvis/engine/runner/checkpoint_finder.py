"""Find the newest complete checkpoint of a work dir."""
import glob
import os.path as osp
import re
import warnings

from lowvis.engine.checkpoint_io import load_local_checkpoint
from lowvis.utils.errors import CheckpointError


def _iteration(path):
    match = re.search(r'iter_(\d+)\.pth$', path)
    return int(match.group(1)) if match else -1


def find_resumable_checkpoint(work_dir):
    """Return the newest ``iter_*.pth`` in ``work_dir`` that loads, or None.

    Checkpoints are tried newest first; one that fails to load (truncated,
    corrupt) is skipped with a warning naming it.
    """
    candidates = sorted(glob.glob(osp.join(work_dir, 'iter_*.pth')),
                        key=_iteration, reverse=True)
    for path in candidates:
        try:
            ckpt = load_local_checkpoint(path, map_location='cpu')
        except CheckpointError as e:
            warnings.warn(f'skipping checkpoint {path}: {e}')
            continue
        if isinstance(ckpt, dict) and 'meta' in ckpt and 'state_dict' in ckpt:
            return path
        warnings.warn(f'skipping checkpoint {path}: not a training checkpoint')
    return None
