"""Print a test run's scores beside the degraded input's, as a table.

    python tools/analysis/report_test.py SUMMARY_JSON

``SUMMARY_JSON`` is the ``summary.json`` that ``tools/test.py --out-dir``
writes. For every metric that the test also computed on the input
(``input/<metric>``) it prints one row: the rainy input's score, the
restored output's and the gain (output minus input; PSNR in dB). Metrics
without an input score are listed below the table.
"""
import argparse
import json
import sys

from lowvis.utils.cli import run_main
from lowvis.utils.errors import DataError


def format_table(metrics):
    """Rows of text: metric | rainy input | derained | gain."""
    paired = [k for k in metrics if f'input/{k}' in metrics]
    lines = [f'{"metric":<8} {"rainy input":>12} {"derained":>10} '
             f'{"gain":>8}']
    for key in paired:
        inp, out = metrics[f'input/{key}'], metrics[key]
        unit = ' dB' if 'PSNR' in key else ''
        lines.append(f'{key:<8} {inp:>12.4f} {out:>10.4f} '
                     f'{out - inp:>+8.4f}{unit}')
    others = [k for k in metrics if k not in paired
              and not k.startswith('input/')]
    for key in others:
        lines.append(f'{key:<8} {"":>12} {metrics[key]:>10.4f}')
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Input vs restored scores of a tools/test.py run')
    parser.add_argument('summary', help='summary.json of tools/test.py')
    args = parser.parse_args(argv)
    try:
        with open(args.summary, encoding='utf-8') as f:
            summary = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(f'cannot read {args.summary}: {e}')
    if 'metrics' not in summary:
        raise DataError(f'{args.summary}: no "metrics" (not a tools/test.py '
                        'summary)')
    n = summary.get('num_images', '?')
    print(f'test set: {n} images; checkpoint {summary.get("checkpoint")}')
    print('\n'.join(format_table(summary['metrics'])))
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
