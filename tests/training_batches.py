"""Random training batches and Adam wrappers for tests of ``train_step``.

``random_batch`` builds what ``UnpairedDataPreprocessor`` receives from the
dataloader; ``adam_wrappers`` the optimizer wrappers a model's
``train_step`` takes, one Adam per parameter group.
"""
import torch
from mmengine.structures import BaseDataElement

from lowvis.engine import MultiOptimWrapperConstructor


def random_batch(n=2, size=32, seed=0):
    """``n`` random uint8 ``3 x size x size`` images per domain.

    Drawn from a generator of their own seeded ``seed`` (A images first,
    then B), so the global RNG is untouched; each sample is named ``x<i>``.
    """
    gen = torch.Generator().manual_seed(seed)

    def images():
        return [torch.randint(0, 256, (3, size, size), dtype=torch.uint8,
                              generator=gen) for _ in range(n)]

    return dict(inputs=dict(img_A=images(), img_B=images()),
                data_samples=[BaseDataElement(metainfo=dict(name=f'x{i}'))
                              for i in range(n)])


def adam_wrappers(model, groups=('generators', 'discriminators', 'heads'),
                  lr=1e-3):
    """Adam(lr, betas 0.5/0.999) for each group; ``lr`` may be a dict
    ``{group: lr}``."""
    def adam(group):
        rate = lr[group] if isinstance(lr, dict) else lr
        return dict(optimizer=dict(type='Adam', lr=rate, betas=(0.5, 0.999)))
    return MultiOptimWrapperConstructor(
        {group: adam(group) for group in groups})(model)
