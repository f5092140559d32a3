"""Convert a Rain13K-packaged folder (input/ + target/) to lowvis's layout.

    python tools/dataset_converters/rain13k.py SRC OUT --split {train,test}
"""
import argparse
import sys

from lowvis.datasets.converters import convert_rain13k, run_converter


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='e.g. Datasets/train/Rain13K or '
                        'Datasets/test/Test100 (holds input/ and target/)')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--split', choices=('train', 'test'), required=True,
                        help='train: trainA/trainB; test: testA/testB')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_rain13k, args.src, args.out,
                         split=args.split)


if __name__ == '__main__':
    sys.exit(main())
