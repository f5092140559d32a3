"""Random draws shared by the patch and negative samplers.

Each draw happens on the device of the ``torch.Generator`` it is given, or on
the CPU with PyTorch's default generator when there is none, and the result
is then moved to the device of the data. Pass a generator that lives on the
data's device to draw there; the CPU default avoids the CUDA ``randperm``
crashes users met with the reference code, and makes seeded runs repeatable
with ``torch.manual_seed`` whatever the accelerator.
"""
from typing import Optional, Sequence

import torch

__all__ = ['draw_randperm', 'draw_rand']


def _draw_device(generator: Optional[torch.Generator]) -> torch.device:
    return torch.device('cpu') if generator is None else generator.device


def draw_randperm(n: int, device: torch.device,
                  generator: Optional[torch.Generator] = None
                  ) -> torch.Tensor:
    """A random permutation of ``0 .. n-1``.

    Returns:
        LongTensor [n] on ``device``.
    """
    perm = torch.randperm(n, generator=generator,
                          device=_draw_device(generator))
    return perm.to(device)


def draw_rand(shape: Sequence[int], device: torch.device,
              generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Uniform float32 samples in [0, 1) of the given shape on ``device``."""
    values = torch.rand(tuple(shape), generator=generator,
                        device=_draw_device(generator))
    return values.to(device)
