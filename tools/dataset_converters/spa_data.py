"""Convert SPA-Data (real rain, SPANet) to lowvis's layout.

    python tools/dataset_converters/spa_data.py SRC OUT [--list-file F]
"""
import argparse
import sys

from lowvis.datasets.converters import convert_spa_data, run_converter


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='SPA-Data root (holds real_world/, '
                        'real_world_gt/, real_world.txt, real_test_1000/)')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--list-file', default='real_world.txt',
                        help='training list under SRC ("" to skip)')
    parser.add_argument('--test-dir', default='real_test_1000',
                        help='test folder with rain/ and gt/ ("" to skip)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_spa_data, args.src, args.out,
                         list_file=args.list_file, test_dir=args.test_dir)


if __name__ == '__main__':
    sys.exit(main())
