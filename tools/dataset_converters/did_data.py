"""Convert DID-Data / Rain1200 (side-by-side, rainy left) to lowvis's layout.

    python tools/dataset_converters/did_data.py SRC OUT --test-dir TEST
"""
import argparse
import sys

from lowvis.datasets.converters import (DID_TRAIN_DIRS, convert_did_data,
                                        run_converter)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='DID-MDN training root (holds '
                        'Rain_Heavy/ Rain_Medium/ Rain_Light/)')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--train-dirs', nargs='*', default=DID_TRAIN_DIRS,
                        help='training folders under SRC (none to skip)')
    parser.add_argument('--test-dir', default=None,
                        help='the Test1200 folder, under SRC or absolute')
    parser.add_argument('--rainy-half', choices=('left', 'right'),
                        default='left',
                        help='half holding the rainy image (DID-MDN: left)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_did_data, args.src, args.out,
                         train_dirs=args.train_dirs, test_dir=args.test_dir,
                         rainy_half=args.rainy_half)


if __name__ == '__main__':
    sys.exit(main())
