import pytest
import torch.nn as nn
from mmengine.optim import OptimWrapperDict

from lowvis.engine import MultiOptimWrapperConstructor
from lowvis.utils.errors import ConfigError


class TwoPart(nn.Module):

    def __init__(self):
        super().__init__()
        self.generators = nn.Linear(2, 2)
        self.discriminators = nn.Linear(2, 1)
        self.frozen = nn.Linear(1, 1).requires_grad_(False)


def adam(lr):
    return dict(optimizer=dict(type='Adam', lr=lr, betas=(0.5, 0.999)))


def test_builds_one_wrapper_per_submodule_with_its_own_lr():
    wrappers = MultiOptimWrapperConstructor(
        dict(generators=adam(1e-4), discriminators=adam(4e-4)))(TwoPart())
    assert isinstance(wrappers, OptimWrapperDict)
    assert set(wrappers.keys()) == {'generators', 'discriminators'}
    assert wrappers['generators'].get_lr()['lr'] == [1e-4]
    assert wrappers['discriminators'].get_lr()['lr'] == [4e-4]
    model = TwoPart()
    gen_params = wrappers['generators'].optimizer.param_groups[0]['params']
    assert len(gen_params) == 2


def test_unknown_submodule_is_an_error():
    with pytest.raises(ConfigError, match=r"\['heads'\]"):
        MultiOptimWrapperConstructor(dict(
            generators=adam(1), discriminators=adam(1), heads=adam(1)))(
                TwoPart())


def test_trainable_submodule_without_entry_is_an_error():
    with pytest.raises(ConfigError, match='discriminators'):
        MultiOptimWrapperConstructor(dict(generators=adam(1)))(TwoPart())
