"""Convert Rain100H / Rain100L (rain-N with norain-N) to lowvis's layout.

    python tools/dataset_converters/rain100.py SRC OUT [--split test]
"""
import argparse
import sys

from lowvis.datasets.converters import convert_rain100, run_converter


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='Rain100H, Rain100L, RainTrainH or '
                        'RainTrainL folder')
    parser.add_argument('out', help='output root for trainA/ trainB/ '
                        'testA/ testB/')
    parser.add_argument('--split', choices=('test', 'train'), default='test',
                        help='test: testA/testB; train: trainA/trainB')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    return run_converter(convert_rain100, args.src, args.out,
                         split=args.split)


if __name__ == '__main__':
    sys.exit(main())
