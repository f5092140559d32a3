"""Base transform for synthetic degradations (rain, haze, ...).

A synthetic degradation is a pure function ``synthesize(img, rng, **params)
-> (degraded, side_map)``: ``img`` uint8 ``HxWx3`` RGB, ``rng`` a
``numpy.random.Generator`` from which every random number is drawn,
``degraded`` uint8 of the same shape and ``side_map`` a float32 ``HxW`` map
that describes the degradation (rain's streak map, haze's transmission).
:class:`SyntheticDegradation` turns such a function into a registered
transform: it checks the parameter names against the function's signature
when it is built, draws ``(low, high)`` ranges per call and chooses the
generator. A subclass declares the function and which parameters are
integers; see :class:`~lowvis.datasets.transforms.SyntheticRain` and the haze
plugin (``plugins/haze``).
"""
import inspect

import numpy as np
from mmcv.transforms import BaseTransform

from lowvis.utils.errors import ConfigError, DataError

__all__ = ['SyntheticDegradation']


class SyntheticDegradation(BaseTransform):
    """Apply :meth:`synthesize` to ``results[key]``.

    Extension points (class attributes of a subclass):

    * :meth:`synthesize`: the pure function, usually
      ``synthesize = staticmethod(my_function)``. Its parameters other than
      ``img`` and ``rng`` are the ones a config may set.
    * :attr:`int_params`: names of the parameters that are integers; a range
      given for one of them is drawn and rounded.

    Args:
        key (str): input key, uint8 ``HxWx3`` RGB.
        out_key (str | None): where the degraded image goes; None = ``key``.
        map_key (str | None): if given, the side map (float32 ``HxW``) is
            stored there too.
        seed (int | None): None draws each call's generator from numpy's
            global RNG, which the unpaired dataset seeds for each sample
            from ``(dataset seed, epoch, index)``
            (:func:`~lowvis.datasets.sample_rng.seeded_global_rng`): the
            degradation differs between samples and epochs, and a sample gets
            the same one whatever the worker count. An int makes call number
            ``i`` of this transform object use ``np.random.default_rng((seed,
            i))`` instead: reproducible in one process, but each dataloader
            worker counts its own calls.
        **params: keyword arguments of :meth:`synthesize`; a numeric one may
            be a ``(low, high)`` pair, drawn uniformly per call.

    Raises:
        ConfigError: a parameter :meth:`synthesize` does not take, or a range
            that is not ``(low, high)`` with ``low <= high``.
    """

    #: names of :meth:`synthesize`'s integer parameters
    int_params: frozenset = frozenset()

    def __init__(self, key='img_A', out_key=None, map_key=None, seed=None,
                 **params):
        super().__init__()
        name = type(self).__name__
        allowed = set(inspect.signature(self.synthesize).parameters)
        allowed -= {'img', 'rng'}
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ConfigError(f'{name}: unknown parameter(s) {unknown};'
                              f' allowed: {sorted(allowed)}')
        for param, value in params.items():
            if isinstance(value, (tuple, list)) and (
                    len(value) != 2 or value[0] > value[1]):
                raise ConfigError(
                    f'{name}: {param} must be a number or a (low, high) '
                    f'pair, got {value!r}')
        self.key, self.out_key, self.map_key = key, out_key, map_key
        self.seed, self.params = seed, dict(params)
        self._calls = 0

    @staticmethod
    def synthesize(img, rng, **params):
        """``(uint8 HxWx3, Generator, **params) -> (uint8 HxWx3, float32
        HxW)``; see the module docstring."""
        raise NotImplementedError

    def _rng(self):
        if self.seed is None:
            return np.random.default_rng(np.random.randint(0, 2**31 - 1))
        rng = np.random.default_rng((self.seed, self._calls))
        self._calls += 1
        return rng

    def _draw(self, name, value, rng):
        """A number stays; a ``(low, high)`` pair is drawn uniformly."""
        if not isinstance(value, (tuple, list)):
            return value
        drawn = rng.uniform(value[0], value[1])
        return int(round(drawn)) if name in self.int_params else float(drawn)

    def transform(self, results):
        if self.key not in results:
            raise DataError(f'{type(self).__name__}: key {self.key!r} not in '
                            f'the sample (keys: {sorted(results)}); load the '
                            'image first')
        rng = self._rng()
        params = {k: self._draw(k, v, rng) for k, v in self.params.items()}
        degraded, side_map = self.synthesize(results[self.key], rng, **params)
        results[self.out_key or self.key] = degraded
        if self.map_key:
            results[self.map_key] = side_map
        return results

    def __repr__(self):
        return (f'{type(self).__name__}(key={self.key!r}, '
                f'out_key={self.out_key!r}, seed={self.seed!r}, '
                f'params={self.params!r})')
