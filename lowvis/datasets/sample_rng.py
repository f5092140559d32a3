"""Per-sample random streams for data transforms."""
import random
from contextlib import contextmanager

import numpy as np


@contextmanager
def seeded_global_rng(*keys):
    """Seed numpy's and Python's global RNGs from ``keys``; restore on exit.

    Transforms (crops, flips, synthetic rain, plugins' own) draw from
    ``np.random`` / ``random``. Running a sample's pipeline inside this
    context makes its random choices a pure function of ``keys`` (e.g. the
    dataset seed, the epoch and the index): the same in every dataloader
    worker layout, and replayed exactly when a run resumes, while the
    training process's own random stream is left untouched.
    """
    np_state, py_state = np.random.get_state(), random.getstate()
    seed = np.random.SeedSequence([int(k) for k in keys]).generate_state(2)
    np.random.seed(int(seed[0]))
    random.seed(int(seed[1]))
    try:
        yield
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
