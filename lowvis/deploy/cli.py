"""Command-line plumbing for tools that must run without torch."""
import sys

from lowvis.utils.errors import LowvisError

__all__ = ['run_main_without_torch']


def run_main_without_torch(main):
    """Run ``main()``; print a :class:`LowvisError` as one ``error:`` line
    and exit with 2 (as :func:`lowvis.utils.cli.run_main`, which imports
    torch and mmengine)."""
    try:
        return main()
    except LowvisError as err:
        text = str(err).strip()
        print(f'error: {text.splitlines()[-1] if text else type(err).__name__}',
              file=sys.stderr)
    sys.exit(2)
