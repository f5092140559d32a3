"""Import a script under tools/ as a module, for tests of its functions.

The scripts are not a package (they run as ``python tools/x.py``), so a test
loads one from its file: ``load_tool('analysis/plot_curves.py')``.
"""
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
