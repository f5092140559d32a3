"""Start a lowvis plugin: a registered stub that works, a config, a README
and a test.

    python tools/new_plugin.py NAME --kind {sampler,loss,generator,
        discriminator,dataset,metric} [--out-dir plugins] [--force]

creates ``<out-dir>/NAME/`` (and ``<out-dir>/__init__.py`` when missing, so
the plugin imports as ``<basename of out-dir>.NAME``):

- ``NAME.py``: class ``CamelCaseName`` registered in the kind's lowvis
  registry (the class name matches the file name); it already works
  (a sampler stub gives internal negatives, a loss stub is a weighted L1, a
  generator / discriminator stub subclasses ResnetGenerator /
  PatchDiscriminator, a dataset stub UnpairedImageDataset, a metric stub
  is the mean absolute error);
- ``__init__.py`` importing it, ``README.md``;
- ``configs/<base>_NAME.py`` inheriting a lowvis demo config and using the
  stub through ``custom_imports``;
- ``tests/test_NAME.py``: a unit test of the stub and a 2-iteration run of
  the config with ``tools/train.py``. Run it with
  ``python -m pytest <out-dir>/NAME`` from the folder that holds out-dir.

See docs/plugins.md.
"""
import argparse
import keyword
import os
import os.path as osp
import re
import sys
from string import Template

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

from lowvis.utils.errors import ConfigError, LowvisError
from lowvis.utils.plugin_imports import find_registered

_TEMPLATE_DIR = osp.join(REPO, 'tools', 'plugin_templates')
#: kind -> (registry, lowvis config the plugin's config inherits)
KINDS = {
    'sampler': ('MODELS', 'configs/dcdgan_demo.py'),
    'loss': ('MODELS', 'configs/cyclegan_demo.py'),
    'generator': ('MODELS', 'configs/cyclegan_demo.py'),
    'discriminator': ('MODELS', 'configs/cyclegan_demo.py'),
    'dataset': ('DATASETS', 'configs/cyclegan_demo.py'),
    'metric': ('METRICS', 'configs/cyclegan_demo.py'),
}
#: what each stub does, for its README
SUMMARIES = {
    'sampler': 'internal negatives (the other key patches of the same '
    'image, optionally a random subset), used by a DCD-GAN config',
    'loss': "a weighted L1 loss, used as a CycleGAN config's cycle loss",
    'generator': "lowvis's ResnetGenerator, used by a CycleGAN config",
    'discriminator': "lowvis's PatchDiscriminator, used by a CycleGAN config",
    'dataset': "lowvis's UnpairedImageDataset, used as a CycleGAN config's "
    'training set',
    'metric': 'the mean absolute error (0-255) against the ground truth, '
    "added to a CycleGAN config's evaluators",
}
_NAME = re.compile(r'[a-z][a-z0-9_]*$')


def class_name(name):
    """``my_hard_loss`` -> ``MyHardLoss``."""
    return ''.join(part[:1].upper() + part[1:] for part in name.split('_'))


def check_name(name, out_dir, force):
    """Raise :class:`ConfigError` unless NAME can become a new plugin."""
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise ConfigError(f'NAME {name!r} must be a lower-case Python '
                          'identifier (letters, digits, _), e.g. my_loss')
    if name in ('lowvis', 'tests', 'configs', 'plugins', 'tools'):
        raise ConfigError(f'NAME {name!r} would shadow a lowvis folder; '
                          'choose another')
    cls = class_name(name)
    found = find_registered(cls)
    if found is not None:
        registry, existing = found
        raise ConfigError(
            f"class name {cls!r} (from NAME {name!r}) is already registered "
            f"in lowvis's {registry.name} registry by "
            f'{existing.__module__}.{existing.__qualname__}; choose another '
            'NAME')
    target = osp.join(out_dir, name)
    if osp.exists(target) and not force:
        raise ConfigError(f'{target} already exists; pass --force to '
                          'overwrite its generated files or choose another '
                          'NAME')


def _template(kind, part):
    path = osp.join(_TEMPLATE_DIR, f'{kind}_{part}.tmpl')
    if not osp.isfile(path):
        path = osp.join(_TEMPLATE_DIR, f'common_{part}.tmpl')
    with open(path, encoding='utf-8') as f:
        return Template(f.read())


def _base_path(base, config_dir):
    """``base`` relative to ``config_dir`` inside the repository (the
    checkout can move), absolute outside it."""
    inside = osp.realpath(config_dir).startswith(osp.realpath(REPO) + os.sep)
    return osp.relpath(base, config_dir) if inside else base


def _fields(name, kind, out_dir):
    out_dir = osp.abspath(out_dir)
    package = osp.basename(out_dir.rstrip(os.sep))
    root = osp.dirname(out_dir.rstrip(os.sep))
    registry, base = KINDS[kind]
    config_dir = osp.join(out_dir, name, 'configs')
    base_stem = osp.splitext(osp.basename(base))[0]
    config_file = f'{base_stem}_{name}.py'
    in_repo = osp.realpath(root) == osp.realpath(REPO)
    return dict(
        name=name, kind=kind, cls=class_name(name), package=package,
        summary=SUMMARIES[kind],
        import_name=f'{package}.{name}', registry=registry, base=base,
        base_rel=_base_path(osp.join(REPO, base), config_dir),
        config_file=config_file,
        config_rel=osp.join(package, name, 'configs', config_file),
        train_py='tools/train.py' if in_repo else
        osp.join(REPO, 'tools', 'train.py'),
        root=root)


def _files(fields):
    """``{relative path: text}`` of the plugin's generated files."""
    name, kind = fields['name'], fields['kind']
    return {
        '__init__.py': _template(kind, 'init').substitute(fields),
        f'{name}.py': _template(kind, 'module').substitute(fields),
        'README.md': _template(kind, 'readme').substitute(fields),
        osp.join('configs', fields['config_file']):
        _template(kind, 'config').substitute(fields),
        osp.join('tests', f'test_{name}.py'):
        _template('common', 'test').substitute(
            fields, unit_test=_template(kind, 'unit').substitute(fields)),
    }


def new_plugin(name, kind, out_dir='plugins', force=False):
    """Create the plugin; return the list of files written.

    Raises:
        ConfigError: bad NAME or kind, a class name lowvis already
            registers, or an existing plugin folder without ``force``.
    """
    if kind not in KINDS:
        raise ConfigError(f'--kind must be one of {sorted(KINDS)}, got '
                          f'{kind!r}')
    check_name(name, out_dir, force)
    fields = _fields(name, kind, out_dir)
    written = []
    package_init = osp.join(out_dir, '__init__.py')
    if not osp.exists(package_init):
        os.makedirs(out_dir, exist_ok=True)
        with open(package_init, 'w', encoding='utf-8') as f:
            f.write(f'"""Plugins imported as {fields["package"]}.<name>."""'
                    '\n')
        written.append(package_init)
    for rel, text in _files(fields).items():
        path = osp.join(out_dir, name, rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        written.append(path)
    return written


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Create a lowvis plugin: a registered stub, a config, a '
        'README and a test.')
    parser.add_argument('name', help='plugin name, a lower-case Python '
                        'identifier (also the module and, in CamelCase, '
                        'the class name)')
    parser.add_argument('--kind', required=True, choices=sorted(KINDS),
                        help='what the plugin registers')
    parser.add_argument('--out-dir', default='plugins',
                        help='folder (a Python package) to create NAME/ in '
                        '(default: plugins)')
    parser.add_argument('--force', action='store_true',
                        help='overwrite the generated files of an existing '
                        'plugin folder')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        written = new_plugin(args.name, args.kind, args.out_dir, args.force)
    except LowvisError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    for path in written:
        print(f'wrote {path}')
    fields = _fields(args.name, args.kind, args.out_dir)
    print(f'next, from {fields["root"]}:\n'
          f'  python -m pytest {osp.join(fields["package"], args.name)}\n'
          f'  python {fields["train_py"]} {fields["config_rel"]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
