"""Save image grids of what the generators do during training."""
import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from lowvis.engine.model_utils import bare_model
from lowvis.registry import HOOKS
from .image_labels import label_columns


@HOOKS.register_module()
class TranslationVisualizationHook(Hook):
    """Every ``interval`` iterations, write a grid of the current batch.

    Each row is one training image: degraded input | translated (restored)
    | reconstructed (translated back, for two-generator models), under a
    strip naming the columns (``labels``). The grid is
    written through the runner's visualizer, i.e. to every configured
    backend: ``LocalVisBackend`` saves PNGs under
    ``<work_dir>/<timestamp>/vis_data/vis_image/``, and adding
    ``TensorboardVisBackend`` to ``visualizer.vis_backends`` sends them to
    TensorBoard too. Only rank 0 writes.

    Args:
        interval (int): iterations between grids.
        max_images (int): rows per grid at most.
        labels (Sequence[str]): column names: input, translated,
            reconstructed (the third is used by two-generator models only).
    """

    priority = 'LOW'

    def __init__(self, interval=500, max_images=4,
                 labels=('rainy input', 'derained', 'reconstruction')):
        self.interval = interval
        self.max_images = max_images
        self.labels = tuple(labels)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if (data_batch is None or not is_main_process()
                or not self.every_n_train_iters(runner, self.interval)):
            return
        model = bare_model(runner.model)
        grid = self.make_grid(model, data_batch)
        runner.visualizer.add_image('translation', grid, step=runner.iter + 1)

    @torch.no_grad()
    def make_grid(self, model, data_batch):
        """Return an ``HxWx3`` uint8 RGB grid for the batch's A images
        (``H``: rows x crop height + the label strip)."""
        data = model.data_preprocessor(data_batch, False)
        real_a = data['inputs']['img_A'][:self.max_images]
        # the dict itself is wrapped in distributed runs: use it unwrapped
        generators = getattr(model.generators, 'module', model.generators)
        columns = [real_a, generators['A2B'](real_a)]
        if 'B2A' in generators:
            columns.append(generators['B2A'](columns[-1]))
        rows = torch.cat(columns, dim=3)  # N, 3, H, k*W
        grid = model.data_preprocessor.destruct(torch.cat(list(rows), dim=1))
        grid = grid.round().byte().permute(1, 2, 0).cpu().numpy().astype(
            np.uint8)
        return label_columns(grid, self.labels[:len(columns)])
