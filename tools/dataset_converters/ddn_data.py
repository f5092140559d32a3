"""Convert DDN-Data (Rain12600 / Rain1400) to lowvis's layout.

    python tools/dataset_converters/ddn_data.py SRC OUT [--split auto]
"""
import argparse
import sys

from lowvis.datasets.converters import convert_ddn_data, run_converter


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='folder holding rainy_image/ and '
                        'ground_truth/ (run once for Rain12600, once for '
                        'Rain1400)')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--split', choices=('auto', 'train', 'test'),
                        default='auto',
                        help='auto: scenes >= --test-from are test')
    parser.add_argument('--test-from', type=int, default=901,
                        help='first test scene id (DDN: 901)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_ddn_data, args.src, args.out,
                         split=args.split, test_from=args.test_from)


if __name__ == '__main__':
    sys.exit(main())
