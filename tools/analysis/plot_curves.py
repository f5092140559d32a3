"""Learning curves of training runs, read from the runs' own logs.

    python tools/analysis/plot_curves.py RUN_DIR [RUN_DIR ...] --out curves.png
        [--csv curves.csv] [--metrics PSNR SSIM] [--labels NAME ...]
        [--title TEXT] [--table table.md]

A run directory is a work dir of ``tools/train.py``: every validation of the
run is read from ``<RUN_DIR>/<timestamp>/vis_data/scalars.json`` (all
timestamp folders, oldest first, so a resumed run continues its curve; the
records of one iteration merge, a later value of a key replacing an earlier
one). The figure has
one panel per metric: a line per run (metric against training iteration)
and, dashed, the degraded input's score (``input/<metric>``, logged by the
validation metrics) as the reference a restoration must beat. The CSV has
one row per (run, iteration) with every requested metric and its input
score. The summary table (printed, and written as Markdown with
``--table``) gives per run the last validation, the best of the first
metric and the iteration it was reached at.
"""
import argparse
import csv
import glob
import json
import os.path as osp
import sys

from lowvis.utils.cli import run_main
from lowvis.utils.errors import ConfigError, DataError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Plot validation PSNR/SSIM against iteration for runs')
    parser.add_argument('runs', nargs='+', metavar='RUN_DIR',
                        help='work dirs of training runs')
    parser.add_argument('--out', required=True, help='figure (.png)')
    parser.add_argument('--csv', help='table of the curves (default: --out '
                        'with .csv)')
    parser.add_argument('--metrics', nargs='+', default=['PSNR', 'SSIM'],
                        help='validation metrics to plot (default: PSNR '
                        'SSIM)')
    parser.add_argument('--labels', nargs='+',
                        help='one legend name per run (default: folder name)')
    parser.add_argument('--title', default=None, help='figure title')
    parser.add_argument('--table', help='also write the summary table '
                        '(last and best validation per run) as Markdown')
    return parser.parse_args(argv)


def scalar_files(run_dir):
    """``<run_dir>/*/vis_data/scalars.json``, oldest timestamp first."""
    if not osp.isdir(run_dir):
        raise DataError(f'run directory not found: {run_dir}')
    files = sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not files:
        raise DataError(f'{run_dir}: no */vis_data/scalars.json (is it a '
                        'work dir of tools/train.py?)')
    return files


def read_validations(run_dir):
    """``{iteration: record}`` of every validation logged in ``run_dir``.

    A validation record is a line with a ``PSNR`` (or any metric) but no
    ``iter``; its iteration is its ``step`` when the logger writes
    iterations there (``log_metric_by_epoch=False``), else the last
    training iteration logged before it.
    """
    records = {}
    for path in scalar_files(run_dir):
        last_iter = 0
        with open(path, encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise DataError(f'{path}:{number}: not JSON ({e.msg})')
                if 'iter' in rec:
                    last_iter = int(rec['iter'])
                    continue
                step = int(rec.get('step', 0))
                # records of one validation (the metrics, then e.g. the
                # per-image scores of ValidationImagesHook) merge; a
                # later value of the same key replaces an earlier one
                records.setdefault(step if step > 0 else last_iter,
                                   {}).update(rec)
    return records


def collect(runs, labels, metrics):
    """Rows ``{run, iter, <metric>, input/<metric>}`` of every run."""
    rows = []
    for label, run_dir in zip(labels, runs):
        validations = read_validations(run_dir)
        if not validations:
            raise DataError(f'{run_dir}: no validation logged yet (set '
                            'train_cfg.val_interval)')
        for iteration in sorted(validations):
            rec = validations[iteration]
            missing = [m for m in metrics if m not in rec]
            if missing:
                known = sorted(k for k in rec if k not in ('step', 'time',
                                                           'data_time'))
                raise ConfigError(f'{run_dir}: metric {missing[0]!r} not '
                                  f'logged; logged: {", ".join(known)}')
            row = dict(run=label, iter=iteration)
            for m in metrics:
                row[m] = rec[m]
                row[f'input/{m}'] = rec.get(f'input/{m}', '')
            rows.append(row)
    return rows


def write_csv(path, rows, metrics):
    fields = ['run', 'iter'] + [k for m in metrics for k in (m, f'input/{m}')]
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def summary_table(rows, labels, metrics):
    """Markdown table, one line per run: the iteration and scores of its
    last validation, its best ``metrics[0]`` and where that was reached,
    and the input's ``metrics[0]``."""
    first = metrics[0]
    head = (['run', 'last iter'] + [f'{m} (last)' for m in metrics] +
            [f'best {first}', 'at iter', f'input {first}'])
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for label in labels:
        mine = [r for r in rows if r['run'] == label]
        last = mine[-1]
        best = max(mine, key=lambda r: r[first])
        cells = ([label, str(last['iter'])] +
                 [f'{last[m]:.4f}' for m in metrics] +
                 [f'{best[first]:.4f}', str(best['iter'])] +
                 [_fmt(last[f'input/{first}'])])
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def _fmt(value):
    return f'{value:.4f}' if value != '' else ''


def plot(path, rows, labels, metrics, title=None):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(metrics), squeeze=False,
                             figsize=(5.5 * len(metrics), 4))
    for ax, metric in zip(axes[0], metrics):
        inputs = set()
        for label in labels:
            mine = [r for r in rows if r['run'] == label]
            ax.plot([r['iter'] for r in mine], [r[metric] for r in mine],
                    marker='o', markersize=3, label=label)
            inputs |= {r[f'input/{metric}'] for r in mine
                       if r[f'input/{metric}'] != ''}
        for k, value in enumerate(sorted(inputs)):
            ax.axhline(value, color='k', linestyle='--', linewidth=1,
                       label='rainy input' if k == 0 else None)
        ax.set_xlabel('iteration')
        ax.set_ylabel(metric + (' (dB)' if 'PSNR' in metric else ''))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    labels = args.labels or [osp.basename(osp.normpath(r)) for r in args.runs]
    if len(labels) != len(args.runs):
        raise ConfigError(f'--labels: {len(labels)} names for '
                          f'{len(args.runs)} runs')
    rows = collect(args.runs, labels, args.metrics)
    csv_path = args.csv or osp.splitext(args.out)[0] + '.csv'
    write_csv(csv_path, rows, args.metrics)
    plot(args.out, rows, labels, args.metrics, args.title)
    table = summary_table(rows, labels, args.metrics)
    if args.table:
        with open(args.table, 'w', encoding='utf-8') as f:
            f.write(table + '\n')
    print(table)
    print(f'wrote {args.out} and {csv_path}: {len(rows)} validations of '
          f'{len(args.runs)} runs')
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
