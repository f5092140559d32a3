"""The docs tell the truth: configs they list exist and load, every
command-line flag they show exists, get_started.md's commands are the
README's and tools/quickstart.sh's, links resolve, the model zoo never
copies paper numbers into lowvis's columns."""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import yaml
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if REPO not in sys.path:  # plugin configs import plugins.<name>
    sys.path.insert(0, REPO)

DOC_FILES = sorted(glob.glob(osp.join(REPO, 'docs', '*.md'))) + \
    [osp.join(REPO, 'README.md')] + \
    sorted(glob.glob(osp.join(REPO, 'plugins', '*', 'README.md')))
CONFIG_PATH = re.compile(r'`((?:configs|plugins/\w+/configs)/[\w/.-]+\.py)`')
PYTHONS = {'python', 'python3', '.venv/bin/python', '$PYTHON'}
TOKEN = re.compile(r'(tools/[\w/.-]+\.(?:py|sh))|(--[a-z][a-z0-9-]*)')
FENCE = re.compile(r'^```')


def read(path):
    with open(osp.join(REPO, path), encoding='utf-8') as f:
        return f.read()


def split_markdown(text):
    """``(code_blocks, prose_units)``: code blocks as lists of logical
    lines (backslash continuations joined); prose cut into paragraphs,
    table rows and list items."""
    blocks, prose, block, unit = [], [], None, []
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            if block is None:
                block = []
            else:
                blocks.append(_join_continuations(block))
                block = None
            continue
        if block is not None:
            block.append(line)
            continue
        stripped = line.strip()
        if not stripped or re.match(r'(\||[-*] |\d+\. )', stripped):
            if unit:
                prose.append(' '.join(unit))
            unit = [stripped] if stripped else []
        else:
            unit.append(stripped)
    if unit:
        prose.append(' '.join(unit))
    return blocks, prose


def _join_continuations(lines):
    joined, current = [], ''
    for line in lines:
        if line.rstrip().endswith('\\'):
            current += line.rstrip()[:-1] + ' '
        else:
            joined.append((current + line).strip())
            current = ''
    if current:
        joined.append(current.strip())
    return [line for line in joined if line]


def code_flags(line):
    """``(tool, flag)`` pairs of one shell command line: the script run by
    python (or bash) owns the ``--flags`` after it."""
    pairs, tool = [], None
    tokens = line.replace('`', ' ').split()
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ''
        if token in PYTHONS or token == 'bash':
            tool = nxt if nxt.endswith(('.py', '.sh')) else None
        elif token.startswith('--') and tool:
            pairs.append((tool, token.split('=')[0]))
    return pairs


def prose_flags(unit):
    """``(tool, flag)`` pairs of prose: a flag belongs to the last
    ``tools/...`` path named before it in the same paragraph/row/item."""
    pairs, tool = [], None
    for match in TOKEN.finditer(unit):
        if match.group(1):
            tool = match.group(1)
        elif tool:
            pairs.append((tool, match.group(2)))
    return pairs


def documented_flags():
    """``{tool: {flag: [doc files]}}`` over every doc file."""
    found = {}
    for path in DOC_FILES:
        blocks, prose = split_markdown(read(path))
        pairs = [p for block in blocks for line in block
                 for p in code_flags(line)]
        pairs += [p for unit in prose for p in prose_flags(unit)]
        for tool, flag in pairs:
            found.setdefault(tool, {}).setdefault(flag, set()).add(
                osp.relpath(path, REPO))
    return found


HELP_SCRIPT = r'''
import contextlib, io, json, runpy, sys
tools, out = sys.argv[1:], {}
for tool in tools:
    buf = io.StringIO()
    sys.argv = [tool, '--help']
    try:
        with contextlib.redirect_stdout(buf), \
                contextlib.redirect_stderr(io.StringIO()):
            runpy.run_path(tool, run_name='__main__')
    except SystemExit:
        pass
    except BaseException as e:
        buf.write('HELP FAILED: %r' % (e,))
    out[tool] = buf.getvalue()
print(json.dumps(out))
'''


def help_texts(tools):
    """``python TOOL --help`` output of each tool, from one process."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    result = subprocess.run([sys.executable, '-c', HELP_SCRIPT] + tools,
                            cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_flag_scanner():
    text = (
        'Run `tools/test.py` with `--out-dir`; `tools/restore.py --tile 0`.'
        '\n\n| `--seed` | no tool before it |\n\n'
        '```bash\npython tools/train.py C \\\n    --resume --work-dir=W\n'
        'python -m pytest -q --maxfail=1\nbash tools/dist_train.sh C 8 '
        '--amp\n```\n')
    blocks, prose = split_markdown(text)
    assert blocks == [['python tools/train.py C      --resume --work-dir=W',
                       'python -m pytest -q --maxfail=1',
                       'bash tools/dist_train.sh C 8 --amp']]
    assert [p for line in blocks[0] for p in code_flags(line)] == [
        ('tools/train.py', '--resume'), ('tools/train.py', '--work-dir'),
        ('tools/dist_train.sh', '--amp')]
    assert [p for unit in prose for p in prose_flags(unit)] == [
        ('tools/test.py', '--out-dir'), ('tools/restore.py', '--tile')]


def test_every_cli_flag_in_the_docs_exists():
    found = documented_flags()
    assert 'tools/train.py' in found and '--cfg-options' in \
        found['tools/train.py']  # the scan itself works
    missing_tools = sorted(t for t in found if t.endswith('.py')
                           and not osp.isfile(osp.join(REPO, t)))
    assert not missing_tools, f'docs name tools that do not exist: ' \
        f'{missing_tools}'
    python_tools = sorted(t for t in found if t.endswith('.py'))
    helps = help_texts(python_tools)
    unknown = []
    for tool in python_tools:
        for flag, where in sorted(found[tool].items()):
            if not re.search(rf'(?<![\w-]){re.escape(flag)}(?![\w-])',
                             helps[tool]):
                unknown.append(f'{tool} {flag} (in {", ".join(sorted(where))})')
    assert not unknown, 'flags the tools do not have: ' + '; '.join(unknown)


def configs_in(doc):
    return sorted(set(CONFIG_PATH.findall(read(doc))))


def test_configs_listed_in_configs_md_exist_and_load():
    listed = configs_in('docs/configs.md')
    assert len(listed) > 20
    for path in listed:
        assert osp.isfile(osp.join(REPO, path)), f'{path} does not exist'
        cfg = Config.fromfile(osp.join(REPO, path))
        assert cfg.get('default_scope') == 'lowvis' or '_base_' in path, \
            path


def _row(path):
    """A configs.md table row for a config missing from it."""
    cfg = Config.fromfile(osp.join(REPO, path), import_custom_modules=False)
    model = cfg.get('model', {}).get('type', '')
    dataset = cfg.get('train_dataloader', {}).get('dataset', {})
    iters = cfg.get('train_cfg', {}).get('max_iters', '')
    return (f"| `{path}` | {model} | `{dataset.get('data_root', '')}` | "
            f'{iters} | ... |')


def test_every_config_in_the_repository_is_in_configs_md():
    listed = set(configs_in('docs/configs.md'))
    present = sorted(
        osp.relpath(p, REPO) for p in
        glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True) +
        glob.glob(osp.join(REPO, 'plugins', '*', 'configs', '*.py')))
    missing = [p for p in present if p not in listed]
    assert not missing, 'add these rows to docs/configs.md:\n' + \
        '\n'.join(_row(p) for p in missing)


def test_model_zoo_lists_existing_configs_and_no_copied_numbers():
    text = read('docs/model_zoo.md')
    for path in configs_in('docs/model_zoo.md'):
        assert osp.isfile(osp.join(REPO, path)), path
    header = None
    for line in text.splitlines():
        if not line.startswith('|') or set(line) <= set('|- '):
            continue
        cells = [c.strip() for c in line.strip('|').split('|')]
        if cells[0] == 'config':
            header = cells
            continue
        paper = [c for h, c in zip(header, cells) if h.startswith('paper')]
        ours = [c for h, c in zip(header, cells) if h.startswith('lowvis')]
        for value in ours:
            assert not value or value not in paper, \
                f'model_zoo.md: a lowvis cell copies the paper: {line}'


def _quickstart_commands():
    """tools/quickstart.sh's commands with its variables expanded for the
    default config (quotes dropped; ``.venv/bin/python`` is ``python`` in
    the activated environment get_started.md uses)."""
    env = {}
    commands = []

    def expand(text):
        return re.sub(r'\$(\w+)', lambda m: env.get(m.group(1), m.group(0)),
                      text).replace('"', '')

    for line in read('tools/quickstart.sh').splitlines():
        line = line.strip()
        assign = re.match(r'(\w+)=(.*)$', line)
        if assign:
            name, value = assign.groups()
            default = re.match(r'\$\{1:-(.*)\}$', value)
            base = re.match(r'\$\(basename "?\$(\w+)"? \.py\)$', value)
            if default:
                env[name] = default.group(1)
            elif base:
                env[name] = osp.splitext(osp.basename(env[base.group(1)]))[0]
            else:
                env[name] = expand(value)
            continue
        match = re.search(r'(?:\$PYTHON|bash) tools/.*$', line)
        if match:
            command = expand(match.group(0))
            commands.append(re.sub(r'^\.venv/bin/python ', 'python ',
                                   command))
    return commands


def test_get_started_commands_are_the_readmes_and_the_quickstarts():
    blocks, _ = split_markdown(read('docs/get_started.md'))
    readme = read('README.md')
    first = '\n'.join(blocks[0])
    assert 'bash tools/quickstart.sh' in first
    assert first in readme, 'docs/get_started.md: the first commands must ' \
        "be the README's quick start, word for word"
    lines = {line for block in blocks for line in block}
    quickstart = _quickstart_commands()
    assert len(quickstart) >= 4
    missing = [c for c in quickstart if c not in lines]
    assert not missing, 'docs/get_started.md must show each step of ' \
        f'tools/quickstart.sh: missing {missing}'


@pytest.mark.parametrize('doc', [osp.relpath(p, REPO) for p in DOC_FILES])
def test_relative_links_resolve(doc):
    for target in re.findall(r'\]\(([^)#\s]+)(?:#[^)]*)?\)', read(doc)):
        if re.match(r'[a-z]+://', target):
            continue
        path = osp.normpath(osp.join(REPO, osp.dirname(doc), target))
        assert osp.exists(path), f'{doc}: broken link {target}'


def test_citation_cff():
    cff = yaml.safe_load(read('CITATION.cff'))
    from lowvis.version import __version__
    assert cff['cff-version'] == '1.2.0'
    assert cff['version'] == __version__ == '0.1.0'
    assert cff['license'] == 'Apache-2.0'
    assert cff['authors'] and cff['title'].startswith('lowvis')
    assert cff['references'][0]['year'] == 2022
