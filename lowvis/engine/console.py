"""What a training run shows on the console, and what goes to its log only.

The console gets a short header, the progress lines (``Iter(train)``,
``Iter(val)``), checkpoint notices, warnings and the lines lowvis marks
with :func:`console`; mmengine's environment dump, full config and hook
table go to the log file (``<work_dir>/<timestamp>/<timestamp>.log``)
only. Two deprecation notices that mmengine 0.10 logs on every run
(``FileClient``, ``HardDiskBackend``: emitted by its own CheckpointHook,
nothing a user can change) are dropped everywhere.
"""
import logging

from mmengine.logging import MMLogger

__all__ = ['console', 'quiet_console']

_MARK = 'lowvis_console'
_PROGRESS = ('Iter(', 'Epoch(', 'Saving checkpoint', 'The best checkpoint',
             'Resuming at iteration', 'nothing to train')
_DROPPED = ('"FileClient" will be deprecated',
            '"HardDiskBackend" is the alias of "LocalBackend"')


def console(message, logger=None):
    """Log ``message`` (INFO) to the console and the log file."""
    logger = logger or MMLogger.get_current_instance()
    logger.info(message, extra={_MARK: True})


class _DropDeprecations(logging.Filter):

    def filter(self, record):
        return not record.getMessage().startswith(_DROPPED)


class _ConsoleOnlyProgress(logging.Filter):

    def filter(self, record):
        if record.levelno >= logging.WARNING or getattr(record, _MARK, False):
            return True
        return record.getMessage().lstrip().startswith(_PROGRESS)


def quiet_console(logger):
    """Install the console policy on an ``MMLogger`` (idempotent)."""
    if not any(isinstance(f, _DropDeprecations) for f in logger.filters):
        logger.addFilter(_DropDeprecations())
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler) or not isinstance(
                handler, logging.StreamHandler):
            continue
        if not any(isinstance(f, _ConsoleOnlyProgress)
                   for f in handler.filters):
            handler.addFilter(_ConsoleOnlyProgress())
    return logger
