"""Helpers for tests of the scripts under tools/.

* ``load_tool``: import a script as a module, for tests of its functions.
  The scripts are not a package (they run as ``python tools/x.py``), so a
  test loads one from its file: ``load_tool('analysis/plot_curves.py')``.
* ``error_line``: the one ``error:`` line a tool run refused with.
* ``training_refusal``: run ``tools/train.py`` with options it must refuse
  before iteration 1, and return its error line.
"""
import glob
import importlib.util
import os.path as osp

TOOLS = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools')


def load_tool(relpath):
    """Execute ``tools/<relpath>`` as a fresh module and return it.

    Args:
        relpath (str): path of the script relative to tools/, e.g.
            ``'restore.py'`` or ``'dataset_converters/rain800.py'``.
    """
    path = osp.join(TOOLS, relpath)
    name = 'lowvis_tool_' + osp.splitext(relpath)[0].replace('/', '_')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def error_line(result, *fragments, alone=False):
    """The single ``error:`` line of a tool run that stopped at start-up.

    Asserts what every start-up refusal promises: exit code 2, exactly one
    line starting with ``error:`` on stderr and no traceback.

    Args:
        result (subprocess.CompletedProcess): the run, with text stderr.
        *fragments (str): texts the line must contain.
        alone (bool): the line must also be all that stderr holds (tools
            that log nothing else before refusing).

    Returns:
        str: the line.
    """
    stderr = result.stderr
    assert result.returncode == 2, stderr[-3000:]
    lines = [ln for ln in stderr.splitlines() if ln.startswith('error:')]
    assert len(lines) == 1 and 'Traceback' not in stderr, stderr[-3000:]
    if alone:
        assert stderr.strip() == lines[0], stderr[-3000:]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def nothing_trained(work_dir):
    """True when ``work_dir`` holds no checkpoint."""
    return not glob.glob(osp.join(str(work_dir), '**', '*.pth'),
                         recursive=True)


def training_refusal(run_tool, config, data_root, work_dir, *options):
    """Run ``tools/train.py config`` on the dataset at ``data_root`` with
    ``--cfg-options`` ``options``, assert it stopped before the first
    iteration (one error line, no training log, no checkpoint) and return
    the error line.

    Args:
        run_tool: the ``run_tool`` fixture (tests/conftest.py).
        config (str): config path, relative to the repository root.
        data_root (str): dataset folder (trainA/B, testA/B).
        work_dir: the run's work directory.
        *options (str): ``key=value`` overrides.
    """
    result = run_tool([
        'tools/train.py', config, '--work-dir', str(work_dir),
        '--skip-data-check', '--cfg-options',
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}', *options],
        timeout=300)
    line = error_line(result)
    assert 'Iter(train)' not in result.stdout + result.stderr
    assert nothing_trained(work_dir)
    return line
