"""Convert Rain800 (side-by-side pairs) to lowvis's layout.

    python tools/dataset_converters/rain800.py SRC OUT [--rainy-half right]
"""
import argparse
import sys

from lowvis.datasets.converters import convert_rain800, run_converter


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='Rain800 root (holds training/, '
                        'test_syn/)')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--rainy-half', choices=('right', 'left'),
                        default='right',
                        help='half holding the rainy image (ID-CGAN: right)')
    parser.add_argument('--train-dir', default='training',
                        help='training folder under SRC ("" to skip)')
    parser.add_argument('--test-dir', default='test_syn',
                        help='test folder under SRC ("" to skip)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_rain800, args.src, args.out,
                         rainy_half=args.rainy_half,
                         train_dir=args.train_dir, test_dir=args.test_dir)


if __name__ == '__main__':
    sys.exit(main())
