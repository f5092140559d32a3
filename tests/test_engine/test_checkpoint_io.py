import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

from lowvis.engine.checkpoint_io import (atomic_write_bytes, from_plain,
                                         get_rng_states, install_safe_loading,
                                         load_local_checkpoint, safe_uri,
                                         set_rng_states, to_plain)
from lowvis.utils.errors import CheckpointError

HERE = os.path.dirname(os.path.abspath(__file__))
FAULT_ENV = 'LOWVIS_FAULT_BEFORE_RENAME'  # fault_injection.py


def test_message_hub_values_round_trip_through_weights_only_load(tmp_path):
    buf = HistoryBuffer()
    for v in (1.0, 2.0, 4.5):
        buf.update(v)
    state = {'log_scalars': {'train/loss': buf},
             'runtime_info': {'iter': np.int64(7), 'arr': np.arange(3)}}
    path = tmp_path / 'c.pth'
    torch.save(to_plain(state), path)
    loaded = from_plain(torch.load(path, weights_only=True))
    rebuilt = loaded['log_scalars']['train/loss']
    assert isinstance(rebuilt, HistoryBuffer)
    assert rebuilt.mean() == pytest.approx(buf.mean())
    assert rebuilt.current() == 4.5
    assert loaded['runtime_info']['iter'] == 7
    np.testing.assert_array_equal(loaded['runtime_info']['arr'], np.arange(3))


def test_unconvertible_object_is_named():
    with pytest.raises(CheckpointError, match=r'checkpoint\.bad'):
        to_plain({'bad': object()})


def test_rng_states_restore_every_generator():
    states = get_rng_states()
    first = (np.random.rand(), torch.rand(1).item(), __import__('random').random())
    set_rng_states(from_plain(to_plain(states)))
    again = (np.random.rand(), torch.rand(1).item(), __import__('random').random())
    assert first == again


class Evil:

    def __reduce__(self):
        return (os.system, ('echo pwned',))


def test_unsafe_checkpoint_is_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'x': Evil()}, path)
    with pytest.raises(CheckpointError, match='refusing to load'):
        load_local_checkpoint(path)
    # the lowvis runner marks what it reads; mmengine then loads it with ours
    install_safe_loading()
    with pytest.raises(CheckpointError, match='refusing to load'):
        CheckpointLoader.load_checkpoint(safe_uri(path))


def test_importing_lowvis_leaves_mmengine_loading_alone(tmp_path):
    """Other code's checkpoints load as mmengine loads them in a process
    that imported lowvis and installed its safe loader: a file that needs
    pickled classes (here a numpy scalar) loads where the user allowed it
    (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``); lowvis's loader would refuse."""
    path = tmp_path / 'other.pth'
    torch.save({'state_dict': {'w': torch.ones(2)},
                'meta': {'when': np.float64(1.5)}}, path)
    code = ('import sys, lowvis.engine; '
            'from lowvis.engine.checkpoint_io import install_safe_loading; '
            'install_safe_loading(); '
            'from mmengine.runner import CheckpointLoader; '
            'c = CheckpointLoader.load_checkpoint(sys.argv[1]); '
            'print(float(c["meta"]["when"]))')
    env = dict(os.environ, TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD='1')
    proc = subprocess.run([sys.executable, '-c', code, str(path)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == '1.5'
    with pytest.raises(CheckpointError, match='refusing to load'):
        load_local_checkpoint(path)


def test_truncated_and_missing_checkpoints(tmp_path):
    path = tmp_path / 'ok.pth'
    torch.save({'state_dict': {'w': torch.ones(100)}}, path)
    data = path.read_bytes()
    (tmp_path / 'cut.pth').write_bytes(data[:len(data) // 2])
    with pytest.raises(CheckpointError, match='corrupt or truncated'):
        load_local_checkpoint(tmp_path / 'cut.pth')
    with pytest.raises(CheckpointError, match='not found'):
        load_local_checkpoint(tmp_path / 'nope.pth')


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / 'f.bin'
    atomic_write_bytes(b'old', str(path))
    atomic_write_bytes(b'new content', str(path))
    assert path.read_bytes() == b'new content'
    assert os.listdir(tmp_path) == ['f.bin']


def test_kill_between_write_and_rename_keeps_previous_file(tmp_path):
    path = tmp_path / 'f.bin'
    atomic_write_bytes(b'previous', str(path))
    code = ('import sys, fault_injection; from lowvis.engine.checkpoint_io '
            'import atomic_write_bytes; atomic_write_bytes(b"half", '
            'sys.argv[1])')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [HERE, os.environ.get('PYTHONPATH', '')]), **{FAULT_ENV: '1'})
    proc = subprocess.run([sys.executable, '-c', code, str(path)], env=env)
    assert proc.returncode == 17
    assert path.read_bytes() == b'previous'


def test_module_extra_state_is_a_tensor_and_old_dicts_still_load():
    """mmengine broadcasts every state-dict entry after weight init (a dict
    cannot be sent); checkpoints written with the former dict layout load."""
    from lowvis.models.utils import ImagePool
    pool = ImagePool(pool_size=2)
    pool.query(torch.rand(2, 3, 4, 4), torch.Generator().manual_seed(0))
    state = pool.state_dict()['_extra_state']
    assert isinstance(state, torch.Tensor) and state.shape == (2, 3, 4, 4)
    old = ImagePool(pool_size=2)
    old.load_state_dict({'_extra_state': {'images': state}})
    torch.testing.assert_close(torch.cat(old.images), state)
