"""tools/new_plugin.py: generated plugins register, train and pass their
own tests."""
import os
import os.path as osp
import subprocess
import sys

import pytest

from lowvis.utils.errors import ConfigError
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KINDS = ['sampler', 'loss', 'generator', 'discriminator', 'dataset',
         'metric']


tool = load_tool('new_plugin.py')


def test_files_and_names(tmp_path):
    out = tmp_path / 'myplugins'
    written = tool.new_plugin('edge_loss', 'loss', str(out))
    rel = sorted(osp.relpath(p, out) for p in written)
    assert rel == sorted([
        '__init__.py', 'edge_loss/__init__.py', 'edge_loss/edge_loss.py',
        'edge_loss/README.md', 'edge_loss/configs/cyclegan_demo_edge_loss.py',
        'edge_loss/tests/test_edge_loss.py'])
    module = (out / 'edge_loss' / 'edge_loss.py').read_text()
    assert '@MODELS.register_module()\nclass EdgeLoss(nn.Module):' in module
    config = (out / 'edge_loss' / 'configs' /
              'cyclegan_demo_edge_loss.py').read_text()
    assert "imports=['myplugins.edge_loss']" in config
    # outside the repository the base config is named by absolute path
    assert f"_base_ = [{osp.join(REPO, 'configs', 'cyclegan_demo.py')!r}]" \
        in config
    assert "type='EdgeLoss'" in config
    for path in written:
        if path.endswith('.py'):
            compile(open(path).read(), path, 'exec')


def test_default_out_dir_is_the_repository_plugins_package():
    fields = tool._fields('edge_loss', 'loss', osp.join(REPO, 'plugins'))
    assert fields['import_name'] == 'plugins.edge_loss'
    assert fields['base_rel'] == '../../../configs/cyclegan_demo.py'
    assert fields['train_py'] == 'tools/train.py'
    assert fields['config_rel'] == \
        'plugins/edge_loss/configs/cyclegan_demo_edge_loss.py'


def test_class_name_is_camel_case_of_the_file_name():
    assert tool.class_name('my_hard_sampler') == 'MyHardSampler'
    assert tool.class_name('unet2') == 'Unet2'


@pytest.mark.parametrize('name, match', [
    ('MyLoss', 'lower-case Python identifier'),
    ('2loss', 'lower-case Python identifier'),
    ('class', 'lower-case Python identifier'),
    ('lowvis', 'would shadow'),
    ('l1_loss', "'L1Loss' .* already registered in lowvis's model "
     'registry by lowvis.models.losses'),
])
def test_bad_names_are_refused_in_one_line(tmp_path, name, match):
    with pytest.raises(ConfigError, match=match) as info:
        tool.new_plugin(name, 'loss', str(tmp_path / 'p'))
    assert '\n' not in str(info.value)


def test_existing_plugin_needs_force(tmp_path):
    out = str(tmp_path / 'p')
    tool.new_plugin('my_gen', 'generator', out)
    with pytest.raises(ConfigError, match='already exists; pass --force'):
        tool.new_plugin('my_gen', 'generator', out)
    extra = osp.join(out, 'my_gen', 'notes.txt')
    open(extra, 'w').close()
    tool.new_plugin('my_gen', 'generator', out, force=True)
    assert osp.isfile(extra)  # --force rewrites only generated files


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert tool.main(['l1_loss', '--kind', 'loss', '--out-dir',
                      str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith('error: ') and err.count('\n') == 1
    with pytest.raises(SystemExit):
        tool.main(['x', '--kind', 'optimizer'])


def test_every_kind_passes_its_own_generated_test(tmp_path, demo_data_root):
    """The generated tests, all kinds in one pytest run: every kind's unit
    and registration tests; the 2-iteration training of the generated config
    with tools/train.py for two kinds (a contrastive-model part and an
    evaluation part), to keep the suite within its time budget."""
    out = tmp_path / 'myplugins'
    for kind in KINDS:
        result = subprocess.run(
            [sys.executable, osp.join(REPO, 'tools', 'new_plugin.py'),
             f'my_{kind}', '--kind', kind, '--out-dir', str(out)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert f'python -m pytest myplugins/my_{kind}' in result.stdout
    env = dict(os.environ, OMP_NUM_THREADS='1',
               LOWVIS_DEMO_DATA=demo_data_root)
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         '-k', 'not test_config_trains or my_sampler or my_metric',
         'myplugins'], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:]
    assert f'{2 * len(KINDS) + 2} passed' in result.stdout
