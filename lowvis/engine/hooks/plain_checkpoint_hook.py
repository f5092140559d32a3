"""Keep checkpoints plain data and make resume exact."""
from mmengine.hooks import Hook

from lowvis.engine.checkpoint_io import (from_plain, get_rng_states,
                                         set_rng_states, to_plain)
from lowvis.engine.model_utils import bare_model
from lowvis.engine.optimizers import GANOptimWrapperDict
from lowvis.registry import HOOKS


@HOOKS.register_module()
class PlainCheckpointHook(Hook):
    """Store checkpoints as plain data and restore RNG states on resume.

    * ``before_save_checkpoint``: the message hub's ``HistoryBuffer``
      objects and numpy values become tensors and numbers (so the file loads
      with ``weights_only=True``); the RNG states of Python, numpy and torch
      are added; the meta records the model's type.
    * ``after_load_checkpoint`` (mmengine calls it before resume reads the
      message hub): rebuilds those objects and keeps the RNG states aside.
    * the first ``before_train_iter`` after a resume restores the RNG
      states. Restoring there, not at load time, skips the random draws that
      start-up makes in between (weight init, building the data iterator), so
      iteration k+1 sees the same random numbers as in an uninterrupted run.
    """

    priority = 'VERY_HIGH'

    def __init__(self):
        self._pending_rng = None

    def before_save_checkpoint(self, runner, checkpoint):
        model = bare_model(runner.model)
        checkpoint['meta']['model_type'] = type(model).__name__
        checkpoint['rng_states'] = get_rng_states()
        for key in ('meta', 'message_hub'):
            if key in checkpoint:
                checkpoint[key] = to_plain(checkpoint[key], key)

    def after_load_checkpoint(self, runner, checkpoint):
        if isinstance(runner.optim_wrapper, GANOptimWrapperDict):
            runner.optim_wrapper.upgrade_checkpoint(checkpoint)  # old layout
        for key in ('meta', 'message_hub'):
            if key in checkpoint:
                checkpoint[key] = from_plain(checkpoint[key])
        self._pending_rng = checkpoint.get('rng_states')

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if self._pending_rng is not None:
            set_rng_states(self._pending_rng)
            self._pending_rng = None
