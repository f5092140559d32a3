"""Build the built-in demo deraining dataset from scikit-image's photos.

Usage::

    python tools/make_demo_data.py [--out data/demo_rain] [--seed 0] [--force]

What it writes, and why the splits cannot overlap: ``lowvis/datasets/
demo_data.py`` (:func:`~lowvis.datasets.demo_data.make_demo_data`).
"""
import sys

from lowvis.datasets.demo_data import cli_main, make_demo_data


def main(argv=None):
    return cli_main(make_demo_data, 'Build the demo rain dataset from '
                    'scikit-image photos.', 'data/demo_rain', argv)


if __name__ == '__main__':
    sys.exit(main())
