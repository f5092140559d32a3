"""Safe, atomic checkpoint files made of plain data.

* :func:`to_plain` / :func:`from_plain` turn what mmengine puts in a
  checkpoint (the message hub's ``HistoryBuffer`` objects, numpy arrays and
  scalars) into tensors, numbers and strings, and back, so checkpoints load
  with ``torch.load(weights_only=True)`` and no allow-listed globals.
* :class:`AtomicLocalBackend` writes to a temporary file, fsyncs and renames,
  so a run killed mid-save never leaves a truncated newest checkpoint.
* :func:`load_local_checkpoint` loads with ``weights_only=True`` and explains
  failures in one line; :func:`install_safe_loading` registers it with
  mmengine's ``CheckpointLoader`` for paths marked by :func:`safe_uri` only
  (the lowvis runner marks the checkpoints it reads), so importing lowvis
  changes nothing for other code's checkpoints.
"""
import os
import pickle
import random
import tempfile
import zipfile

import numpy as np
import torch
from mmengine.fileio import LocalBackend, register_backend
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

from lowvis.utils.errors import CheckpointError

#: prefix marking a checkpoint path for :func:`load_local_checkpoint`
SAFE_SCHEME = 'lowvis-safe://'
_BUFFER, _ARRAY = '__history_buffer__', '__ndarray__'


def to_plain(obj, where='checkpoint'):
    """Recursively convert ``obj`` to tensors, numbers, strings and dicts."""
    if isinstance(obj, HistoryBuffer):
        logs, counts = obj.data
        return {_BUFFER: True, 'log_history': torch.from_numpy(np.array(logs)),
                'count_history': torch.from_numpy(np.array(counts)),
                'max_length': int(obj.max_length)}
    if isinstance(obj, np.ndarray):
        return {_ARRAY: torch.from_numpy(np.ascontiguousarray(obj))}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return type(obj)((k, to_plain(v, f'{where}.{k}'))
                         for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_plain(v, f'{where}[{i}]')
                         for i, v in enumerate(obj))
    if obj is None or isinstance(obj, (str, bytes, int, float, bool,
                                       torch.Tensor, torch.dtype)):
        return obj
    raise CheckpointError(f'cannot store {type(obj).__name__} at {where} as '
                          'plain data; convert it in before_save_checkpoint')


def from_plain(obj):
    """Inverse of :func:`to_plain`."""
    if isinstance(obj, dict):
        if obj.get(_BUFFER) is True:
            return HistoryBuffer(obj['log_history'].numpy(),
                                 obj['count_history'].numpy(),
                                 obj['max_length'])
        if _ARRAY in obj and len(obj) == 1:
            return obj[_ARRAY].numpy()
        return type(obj)((k, from_plain(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(from_plain(v) for v in obj)
    return obj


def get_rng_states():
    """States of Python's, numpy's and torch's global RNGs as plain data."""
    version, py_state, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    states = {
        'python': {'version': version,
                   'state': torch.tensor(py_state, dtype=torch.int64),
                   'gauss': gauss},
        'numpy': {'name': name, 'keys': torch.from_numpy(keys.astype(np.int64)),
                  'pos': int(pos), 'has_gauss': int(has_gauss),
                  'cached': float(cached)},
        'torch': torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def set_rng_states(states):
    """Restore what :func:`get_rng_states` returned."""
    py = states['python']
    random.setstate((py['version'], tuple(py['state'].tolist()), py['gauss']))
    npy = states['numpy']
    np.random.set_state((npy['name'], npy['keys'].numpy().astype(np.uint32),
                         npy['pos'], npy['has_gauss'], npy['cached']))
    torch.set_rng_state(states['torch'])
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


def atomic_write_bytes(data, path):
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.',
                               suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)



@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend whose ``put`` is atomic."""

    def put(self, obj, filepath):
        atomic_write_bytes(obj, str(filepath))


def load_local_checkpoint(filename, map_location=None):
    """Load a local checkpoint with ``weights_only=True``.

    Raises :class:`CheckpointError` with one line for a missing, truncated or
    unsafe file.
    """
    filename = os.path.expanduser(str(filename))
    if not os.path.isfile(filename):
        raise CheckpointError(f'checkpoint not found: {filename}')
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=True)
    except pickle.UnpicklingError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else ''
        raise CheckpointError(
            f'refusing to load {filename}: it needs arbitrary code to '
            f'unpickle ({first}); only plain-data checkpoints are loaded')
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError) as e:
        raise CheckpointError(f'corrupt or truncated checkpoint {filename}: '
                              f'{type(e).__name__}: '
                              f'{str(e).splitlines()[0] if str(e) else ""}')


def safe_uri(path):
    """``path`` marked for :func:`load_local_checkpoint` (None stays None)."""
    if path is None or str(path).startswith(SAFE_SCHEME):
        return path
    return SAFE_SCHEME + str(path)


def load_from_lowvis_safe(filename, map_location=None):
    return load_local_checkpoint(str(filename)[len(SAFE_SCHEME):],
                                 map_location)


def install_safe_loading():
    """Let mmengine load :func:`safe_uri` paths with ``weights_only=True``.

    Registers a loader for the :data:`SAFE_SCHEME` prefix only; mmengine's
    own loaders (local files, URLs, ...) stay as they are. Idempotent.
    """
    CheckpointLoader.register_scheme(prefixes=SAFE_SCHEME,
                                     loader=load_from_lowvis_safe, force=True)
