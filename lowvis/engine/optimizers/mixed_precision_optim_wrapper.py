"""Mixed precision (fp16 with a loss scaler, or bf16) on CUDA and the CPU."""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper

from lowvis.registry import OPTIM_WRAPPERS
from lowvis.utils.errors import ConfigError

__all__ = ['MixedPrecisionOptimWrapper', 'AMP_DTYPES',
           'enable_mixed_precision']

#: ``--amp`` value -> autocast dtype
AMP_DTYPES = {'fp16': 'float16', 'bf16': 'bfloat16'}


@OPTIM_WRAPPERS.register_module()
class MixedPrecisionOptimWrapper(OptimWrapper):
    """``OptimWrapper`` with autocast in ``optim_context`` and, for fp16, a
    ``torch.amp.GradScaler``.

    mmengine's ``AmpOptimWrapper`` refuses to be built without a GPU; this
    one runs where the parameters live: the autocast device is the device of
    the optimizer's first parameter (``'cuda'`` or ``'cpu'``), so bf16
    training works (and is tested) on the CPU. One wrapper updates the whole
    generator side (:class:`MultiOptimWrapperConstructor`), hence one scaler
    scales its loss and steps all of its param groups.

    * ``dtype='bfloat16'``: autocast only; bf16 has fp32's exponent range,
      so no loss scaling is needed.
    * ``dtype='float16'``: autocast and dynamic loss scaling (or static with
      a float ``loss_scale``); a step whose gradients hold inf/NaN is
      skipped by the scaler, which then lowers the scale.

    Args:
        dtype (str): ``'float16'`` or ``'bfloat16'``.
        loss_scale (str | float | dict): fp16 only: ``'dynamic'``, a fixed
            initial scale, or ``torch.amp.GradScaler`` arguments.
        **kwargs: ``OptimWrapper`` arguments (``optimizer``,
            ``accumulative_counts``, ``clip_grad``).
    """

    def __init__(self, dtype='float16', loss_scale='dynamic', **kwargs):
        super().__init__(**kwargs)
        if dtype not in AMP_DTYPES.values():
            raise ConfigError(f'MixedPrecisionOptimWrapper: dtype must be one '
                              f'of {sorted(AMP_DTYPES.values())}, got '
                              f'{dtype!r}')
        self.cast_dtype = getattr(torch, dtype)
        self.device_type = _param_device_type(self.optimizer)
        self.static_scale = None
        self.loss_scaler = None
        if dtype == 'float16':
            self.loss_scaler = self._build_scaler(loss_scale)

    def _build_scaler(self, loss_scale):
        if loss_scale == 'dynamic':
            return torch.amp.GradScaler(self.device_type)
        if isinstance(loss_scale, (int, float)):
            self.static_scale = float(loss_scale)
            return torch.amp.GradScaler(self.device_type,
                                        init_scale=self.static_scale)
        if isinstance(loss_scale, dict):
            return torch.amp.GradScaler(self.device_type, **loss_scale)
        raise ConfigError('MixedPrecisionOptimWrapper: loss_scale must be '
                          f"'dynamic', a number or a dict, got {loss_scale!r}")

    def backward(self, loss, **kwargs):
        """Back-propagate ``loss`` (times the loss scale with fp16)."""
        if self.loss_scaler is not None:
            loss = self.loss_scaler.scale(loss)
        super().backward(loss, **kwargs)

    def step(self, **kwargs):
        """Step every param group; with fp16 through the scaler (unscaled
        gradients are clipped; a step with inf/NaN gradients is skipped)."""
        if self.loss_scaler is None:
            return super().step(**kwargs)
        if self.clip_grad_kwargs:
            self.loss_scaler.unscale_(self.optimizer)
            self.clip_gradients()
        self.loss_scaler.step(self.optimizer, **kwargs)
        self.loss_scaler.update(self.static_scale)

    def clip_gradients(self):
        """Clip with ``clip_grad`` (as ``OptimWrapper`` does); the norm is
        logged as ``grad_norm``."""
        params = [p for group in self.optimizer.param_groups
                  for p in group['params'] if p.grad is not None]
        if not params:
            return
        norm = self.clip_func(params, **self.clip_grad_kwargs)
        if norm is not None:
            self.message_hub.update_scalar('train/grad_norm', float(norm))

    def state_dict(self):
        state = super().state_dict()
        if self.loss_scaler is not None:
            state['loss_scaler'] = self.loss_scaler.state_dict()
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        scaler = state_dict.pop('loss_scaler', None)
        if scaler is not None and self.loss_scaler is not None:
            self.loss_scaler.load_state_dict(scaler)
        super().load_state_dict(state_dict)

    @contextmanager
    def optim_context(self, model):
        """mmengine's context (no DDP sync while accumulating) plus
        autocast to :attr:`cast_dtype` on :attr:`device_type`."""
        with super().optim_context(model), torch.autocast(
                device_type=self.device_type, dtype=self.cast_dtype):
            yield


def _param_device_type(optimizer):
    for group in optimizer.param_groups:
        for param in group['params']:
            return param.device.type
    return 'cuda' if torch.cuda.is_available() else 'cpu'


def enable_mixed_precision(cfg, amp):
    """Make every optimizer wrapper of ``cfg`` a mixed-precision one.

    Args:
        cfg (Config): with ``optim_wrapper`` (per-submodule entries, or one
            wrapper config with an ``optimizer``); changed in place.
        amp (str): ``'fp16'`` (CUDA only: autocast + one dynamic loss
            scaler per wrapper) or ``'bf16'`` (autocast, CUDA or CPU).
    """
    if amp not in AMP_DTYPES:
        raise ConfigError(f'--amp must be one of {sorted(AMP_DTYPES)}, got '
                          f'{amp!r}')
    if amp == 'fp16' and not torch.cuda.is_available():
        raise ConfigError('--amp fp16 needs a CUDA GPU, and none is '
                          'available here; use --amp bf16 on the CPU, or '
                          'drop --amp to train in fp32')
    optim = cfg.optim_wrapper
    entries = [optim] if 'optimizer' in optim else [
        entry for entry in optim.values()
        if isinstance(entry, dict) and 'optimizer' in entry]
    for entry in entries:
        entry['type'] = 'MixedPrecisionOptimWrapper'
        entry['dtype'] = AMP_DTYPES[amp]
