"""The short header a training run prints before its first iteration."""
import os.path as osp

from mmengine.dist import get_world_size, is_main_process
from mmengine.hooks import Hook

from lowvis.engine.console import console
from lowvis.engine.model_utils import bare_model
from lowvis.registry import HOOKS

__all__ = ['RunHeaderHook']


def _size(dataset):
    """``'N images'``, or ``'N A / M B images'`` for unpaired datasets."""
    if dataset is None:
        return 'none'
    b_paths = getattr(dataset, 'b_paths', None)
    if b_paths is not None:
        return f'{len(dataset)} A / {len(b_paths)} B images'
    return f'{len(dataset)} images'


@HOOKS.register_module()
class RunHeaderHook(Hook):
    """Print config, work dir, log file, data sizes, device and seed (rank 0).

    The lowvis runner registers it; mmengine's longer environment and
    config dumps go to the log file only (see ``lowvis/engine/console.py``).
    """

    priority = 'VERY_LOW'

    def before_train(self, runner):
        if not is_main_process():
            return
        model = bare_model(runner.model)
        device = next(iter(model.parameters())).device
        processes = get_world_size()
        val = runner.val_loop.dataloader.dataset \
            if runner.val_loop is not None else None
        lines = [
            f'config:   {runner.cfg.filename}',
            f'work dir: {runner.work_dir}',
            f'log:      {osp.join(runner.log_dir, runner.timestamp)}.log',
            f'data:     train {_size(runner.train_dataloader.dataset)}, '
            f'val {_size(val)}',
            f'device:   {device}' + (f' x {processes} processes'
                                     if processes > 1 else ''),
            f'seed:     {runner.seed}',
            f'iters:    {runner.iter} -> {runner.max_iters}',
        ]
        console('\n'.join(lines), runner.logger)
