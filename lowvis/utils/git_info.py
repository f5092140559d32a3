"""Which commit produced a result (for run summaries and benchmarks)."""
import os.path as osp
import subprocess

__all__ = ['git_commit', 'git_commit_label']


def git_commit(path=None):
    """``(commit hash, dirty)`` of the git checkout holding ``path``.

    ``path`` defaults to the lowvis package; ``(None, None)`` outside a
    checkout or without git.
    """
    if path is None:
        path = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    try:
        commit = subprocess.run(
            ['git', 'rev-parse', 'HEAD'], cwd=path, capture_output=True,
            text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(
            ['git', 'status', '--porcelain', '--untracked-files=no'],
            cwd=path, capture_output=True, text=True, timeout=10,
            check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit or None, bool(status)


def git_commit_label(path=None):
    """``git_commit`` as one string: the hash, ``-dirty`` when tracked files
    are modified, ``'unknown'`` outside a checkout."""
    commit, dirty = git_commit(path)
    return (commit or 'unknown') + ('-dirty' if dirty else '')
