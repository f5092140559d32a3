"""Save test outputs: restored images, per-image metrics and a summary."""
import csv
import json
import os
import os.path as osp
import time

from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from lowvis.engine.console import console
from lowvis.evaluation.functional.image_utils import to_uint8
from lowvis.registry import HOOKS
from lowvis.utils.git_info import git_commit

__all__ = ['SaveOutputsHook', 'git_commit']

CSV_NAME = 'per_image_metrics.csv'
JSON_NAME = 'summary.json'


def _to_uint8_hwc(img):
    """float ``[3, H, W]`` RGB 0-255 tensor -> uint8 ``HxWx3``."""
    return to_uint8(img).transpose(1, 2, 0)


@HOOKS.register_module()
class SaveOutputsHook(Hook):
    """Write what a test run produced.

    * every test iteration, with ``image_dir`` set: each output's
      ``pred_img`` (float ``[3, H, W]`` RGB 0-255, full resolution) as an
      8-bit PNG ``<image_dir>/<name>.png``, ``name`` being the input file's
      stem;
    * after the test epoch (main process only), into ``results_dir`` (the
      work dir by default): ``per_image_metrics.csv`` (one row per image: its
      name, then one column per metric value, e.g. ``PSNR``, ``SSIM_Y``,
      ``input/PSNR``) from metrics that keep per-image values
      (``per_image_results()``), and ``summary.json``: the mean metrics,
      the time, the git commit of the lowvis checkout, and ``info``.

    Args:
        image_dir (str | None): folder for the restored images; ``None``
            saves none.
        results_dir (str | None): folder for the CSV and JSON.
        info (dict | None): added to the summary (e.g. config and
            checkpoint paths).
    """

    priority = 'LOW'

    def __init__(self, image_dir=None, results_dir=None, info=None):
        self.image_dir = image_dir
        self.results_dir = results_dir
        self.info = dict(info or {})

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None):
        if not self.image_dir or not outputs:
            return
        from lowvis.datasets.image_io import write_image
        for k, sample in enumerate(outputs):
            name = self._name(sample, batch_idx, k)
            write_image(osp.join(self.image_dir, name + '.png'),
                        _to_uint8_hwc(sample.pred_img))

    def after_test_epoch(self, runner, metrics=None):
        if not is_main_process():
            return
        folder = self.results_dir or runner.work_dir
        os.makedirs(folder, exist_ok=True)
        columns, rows = self.collect_per_image(runner)
        with open(osp.join(folder, CSV_NAME), 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['name'] + columns)
            for name, values in rows.items():
                writer.writerow([name] + [values.get(c, '') for c in columns])
        commit, dirty = git_commit()
        summary = dict(
            metrics={k: float(v) for k, v in (metrics or {}).items()},
            num_images=len(rows),
            time=time.strftime('%Y-%m-%dT%H:%M:%S%z'),
            git_commit=commit,
            git_dirty=dirty,
            image_dir=self.image_dir,
            **self.info)
        with open(osp.join(folder, JSON_NAME), 'w') as f:
            json.dump(summary, f, indent=2)
        console(f'per-image metrics: {osp.join(folder, CSV_NAME)}; summary: '
                f'{osp.join(folder, JSON_NAME)}', runner.logger)

    @staticmethod
    def collect_per_image(runner):
        """``(columns, {name: {column: value}})`` over the test metrics."""
        columns, rows = [], {}
        for metric in runner.test_evaluator.metrics:
            if not hasattr(metric, 'per_image_results'):
                continue
            prefix = f'{metric.prefix}/' if metric.prefix else ''
            for record in metric.per_image_results():
                row = rows.setdefault(record['name'], {})
                for key, value in record.items():
                    if key == 'name':
                        continue
                    if prefix + key not in columns:
                        columns.append(prefix + key)
                    row[prefix + key] = value
        return columns, rows

    @staticmethod
    def _name(sample, batch_idx, k):
        name = sample.metainfo.get('name') if hasattr(sample, 'metainfo') \
            else None
        path = sample.metainfo.get('img_A_path') if hasattr(
            sample, 'metainfo') else None
        if name:
            return str(name)
        if path:
            return osp.splitext(osp.basename(path))[0]
        return f'{batch_idx:06d}_{k}'
