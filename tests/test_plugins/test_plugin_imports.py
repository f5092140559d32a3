"""lowvis.utils.plugin_imports: the errors a plugin author meets."""
import inspect
import os.path as osp
import sys
import textwrap
import uuid

import pytest

from lowvis.models.archs import ResnetGenerator
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from lowvis.utils.plugin_imports import (find_registered,
                                         import_config_plugins,
                                         import_plugins)


@pytest.fixture
def make_plugin(tmp_path, monkeypatch):
    """``make_plugin({'file.py': source, ...})`` writes a package with a
    unique name under tmp_path (on sys.path, and the current folder) and
    returns its name; names it registers in MODELS are removed after."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    before = set(MODELS.module_dict)
    made = []

    def make(files):
        name = f'plug_{uuid.uuid4().hex[:8]}'
        (tmp_path / name).mkdir()
        for filename, source in files.items():
            (tmp_path / name / filename).write_text(textwrap.dedent(source))
        made.append(name)
        return name

    yield make
    for key in set(MODELS.module_dict) - before:
        MODELS._module_dict.pop(key)
    for name in made:
        for mod in [m for m in sys.modules if m.split('.')[0] == name]:
            del sys.modules[mod]


def registering(class_name):
    return f'''\
        import torch.nn as nn
        from lowvis.registry import MODELS


        @MODELS.register_module()
        class {class_name}(nn.Module):
            pass
        '''


def error_of(imports, source='my_config.py'):
    with pytest.raises(ConfigError) as info:
        import_plugins(dict(imports=imports), source=source)
    message = str(info.value)
    assert '\n' not in message
    return message


def test_a_working_plugin_registers_its_class(make_plugin):
    name = make_plugin({'__init__.py': 'from .thing import PlugThingA\n',
                        'thing.py': registering('PlugThingA')})
    modules = import_plugins(dict(imports=[name]))
    assert [m.__name__ for m in modules] == [name]
    assert MODELS.get('PlugThingA').__module__ == f'{name}.thing'
    assert find_registered('PlugThingA')[0] is MODELS


def test_plugin_not_found_says_where_to_run_from(make_plugin, tmp_path):
    message = error_of(['no_such_plugin.sub'])
    assert message.startswith('custom_imports in my_config.py: cannot '
                              "import plugin 'no_such_plugin.sub'")
    assert "No module named 'no_such_plugin'" in message
    assert f"folder that contains 'no_such_plugin/' (now {tmp_path})" \
        in message


def test_misspelt_submodule_gets_the_closest_name(make_plugin):
    name = make_plugin({'__init__.py': '', 'alpha.py': 'X = 1\n'})
    message = error_of([f'{name}.alpah'])
    assert message == (
        f"custom_imports in my_config.py: cannot import plugin "
        f"'{name}.alpah': package '{name}' ({name}) has no module 'alpah'; "
        f'did you mean {name}.alpha?')
    assert error_of([f'{name}.zzz']).endswith('; it has: alpha')


def test_failing_dependency_names_module_error_and_line(make_plugin):
    name = make_plugin({'__init__.py': 'from .mod import X\n',
                        'mod.py': 'import os\nimport not_a_real_dep_xyz\n'})
    message = error_of([name])
    assert message == (
        f"custom_imports in my_config.py: plugin '{name}' failed to import: "
        "ModuleNotFoundError: No module named 'not_a_real_dep_xyz' "
        f'(at {name}/mod.py:2)')


def test_syntax_error_names_file_and_line(make_plugin):
    name = make_plugin({'__init__.py': 'x = 1\ndef broken(:\n'})
    message = error_of([name])
    assert f"plugin '{name}' failed to import: SyntaxError" in message
    assert message.endswith(f'(at {name}/__init__.py:2)')


def test_reusing_a_builtin_name_names_both_places(make_plugin):
    name = make_plugin({'__init__.py': 'from .gen import ResnetGenerator\n',
                        'gen.py': registering('ResnetGenerator')})
    message = error_of([name])
    # the current folder is tmp_path, so lowvis's file is named in full
    builtin_file = osp.realpath(inspect.getsourcefile(ResnetGenerator))
    builtin_line = inspect.getsourcelines(ResnetGenerator)[1]
    assert (f"plugin '{name}' registers 'ResnetGenerator' in lowvis's "
            'model registry') in message
    assert ('lowvis.models.archs.resnet_generator.ResnetGenerator '
            f'({builtin_file}:{builtin_line}) already holds that name'
            ) in message
    assert f'the new one is {name}.gen.ResnetGenerator ({name}/gen.py:5)' \
        in message
    assert 'register_module(name=...)' in message
    # the built-in class still holds the name
    assert MODELS.get('ResnetGenerator') is ResnetGenerator


def test_two_plugins_with_one_name_name_both_files(make_plugin):
    first = make_plugin({'__init__.py': registering('PlugTwin')})
    second = make_plugin({'__init__.py': '\n\n' + registering('PlugTwin')})
    message = error_of([first, second])
    assert f"plugin '{second}' registers 'PlugTwin'" in message
    assert f'{first}.PlugTwin ({first}/__init__.py:5) already holds' \
        in message
    assert f'the new one is {second}.PlugTwin ({second}/__init__.py:7)' \
        in message


def test_allow_failed_imports_warns_and_goes_on(make_plugin):
    good = make_plugin({'__init__.py': 'VALUE = 3\n'})
    with pytest.warns(UserWarning, match="cannot import plugin 'nope_x'"):
        modules = import_plugins(dict(imports=['nope_x', good],
                                      allow_failed_imports=True))
    assert [m.VALUE for m in modules] == [3]


def test_bad_module_names_are_config_errors():
    with pytest.raises(ConfigError, match='non-empty strings'):
        import_plugins(dict(imports=['']), source='c.py')
    assert import_plugins(None) == []


def test_config_plugins_are_imported_with_cfg_options(make_plugin,
                                                      tmp_path):
    good = make_plugin({'__init__.py': 'VALUE = 7\n'})
    config = tmp_path / 'cfg.py'
    config.write_text("custom_imports = dict(imports=['missing_plugin_q'])\n")
    with pytest.raises(ConfigError, match=f"custom_imports in {config}: "
                       "cannot import plugin 'missing_plugin_q'"):
        import_config_plugins(str(config))
    modules = import_config_plugins(
        str(config), {'custom_imports.imports': [good]})
    assert [m.VALUE for m in modules] == [7]
    # an unreadable config is left to the tool's own loader
    assert import_config_plugins(str(tmp_path / 'absent.py')) == []


@pytest.mark.parametrize('tool', ['tools/train.py', 'tools/test.py'])
def test_tools_print_the_one_line_plugin_error(run_tool, tmp_path, tool):
    config = tmp_path / 'broken_plugin.py'
    config.write_text("_base_ = ['%s/configs/cyclegan_demo.py']\n"
                      "custom_imports = dict(imports=['plugins.no_such_x'])\n"
                      % osp.dirname(osp.dirname(osp.dirname(
                          osp.abspath(__file__)))))
    args = [tool, str(config)] + (['missing.pth'] if 'test' in tool else [])
    result = run_tool(args + ['--work-dir', str(tmp_path / 'work')])
    assert result.returncode == 2
    message = result.stderr.strip()
    assert '\n' not in message
    assert message.startswith(
        f'error: custom_imports in {config}: cannot import plugin '
        "'plugins.no_such_x': package 'plugins' (plugins) has no module "
        "'no_such_x'; it has: ")
