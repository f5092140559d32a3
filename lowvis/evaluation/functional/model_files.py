"""Parameter files shipped in ``lowvis/evaluation/metrics/data/``.

See that folder's README for where each file comes from and its licence.
They are read once per process; nothing is unpickled.
"""
import functools
import json
import os.path as osp

import numpy as np

from lowvis.utils.errors import MissingWeightsError

DATA_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                    'metrics', 'data')


def _path(name):
    path = osp.join(DATA_DIR, name)
    if not osp.isfile(path):
        raise MissingWeightsError(
            f'metric parameter file {path} is missing: reinstall lowvis '
            '(it ships with the package data)')
    return path


@functools.lru_cache(maxsize=None)
def niqe_pristine_model():
    """NIQE's multivariate Gaussian of pristine images (MATLAB release).

    Returns:
        tuple[np.ndarray, np.ndarray, np.ndarray]: mean ``(36,)``,
        covariance ``(36, 36)`` and the ``(7, 7)`` Gaussian window.
    """
    with np.load(_path('niqe_pris_params.npz'), allow_pickle=False) as f:
        return (f['mu_pris_param'].reshape(-1), f['cov_pris_param'],
                f['gaussian_window'])


@functools.lru_cache(maxsize=None)
def brisque_model():
    """BRISQUE's epsilon-SVR (RBF kernel) and feature ranges (LIVE).

    Returns:
        dict: ``support_vectors (S, 36)``, ``coefs (S,)``, ``gamma``,
        ``rho``, ``feature_min (36,)``, ``feature_max (36,)``.
    """
    header, rows = _read_libsvm_model(_path('brisque_svm.txt'))
    with open(_path('brisque_range.json'), encoding='utf-8') as f:
        ranges = json.load(f)
    n_features = len(ranges['min'])
    support_vectors = np.zeros((len(rows), n_features))
    coefs = np.empty(len(rows))
    for i, (coef, pairs) in enumerate(rows):
        coefs[i] = coef
        for index, value in pairs:  # libsvm indices are 1-based, sparse
            support_vectors[i, index - 1] = value
    return dict(support_vectors=support_vectors, coefs=coefs,
                gamma=float(header['gamma']), rho=float(header['rho']),
                feature_min=np.array(ranges['min'], dtype=np.float64),
                feature_max=np.array(ranges['max'], dtype=np.float64))


def _read_libsvm_model(path):
    """Parse a libsvm text model: header dict, then (coef, [(i, v)]) rows."""
    header, rows = {}, []
    with open(path, encoding='ascii') as f:
        for line in f:
            fields = line.split()
            if fields == ['SV']:
                break
            header[fields[0]] = fields[1] if len(fields) == 2 else fields[1:]
        for line in f:
            fields = line.split()
            if not fields:
                continue
            pairs = [item.split(':') for item in fields[1:]]
            rows.append((float(fields[0]),
                         [(int(i), float(v)) for i, v in pairs]))
    if header.get('kernel_type') != 'rbf' or \
            header.get('svm_type') != 'epsilon_svr':
        raise MissingWeightsError(
            f'{path} is not an epsilon-SVR model with an RBF kernel: '
            'reinstall lowvis to restore the shipped BRISQUE model')
    return header, rows
