"""Each converter on a tiny fake copy of its public layout (8x16 images)."""
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from lowvis.datasets import PairedImageDataset, read_image
from lowvis.datasets.converters import (convert_ddn_data, convert_did_data,
                                        convert_rain13k, convert_rain100,
                                        convert_rain800, convert_spa_data)
from lowvis.utils import DataError
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(REPO, 'tools', 'dataset_converters')
LEFT, RIGHT = 10, 200  # pixel values of the two halves of a pair


def _tool(name):
    return load_tool(f'dataset_converters/{name}.py')


def _write(path, value, size=(8, 8)):
    os.makedirs(osp.dirname(path), exist_ok=True)
    cv2.imwrite(str(path), np.full((*size, 3), value, np.uint8))


def _write_pair(path):
    """Side-by-side 8x16 JPEG: left half LEFT, right half RIGHT."""
    img = np.full((8, 16, 3), LEFT, np.uint8)
    img[:, 8:] = RIGHT
    os.makedirs(osp.dirname(path), exist_ok=True)
    cv2.imwrite(str(path), img, [cv2.IMWRITE_JPEG_QUALITY, 100])


def _stems(out, domain):
    return sorted(osp.splitext(n)[0] for n in os.listdir(osp.join(out,
                                                                  domain)))


def _value(path):
    return int(np.round(read_image(str(path)).mean()))


def _near(value, expected):
    return abs(value - expected) <= 3  # JPEG round-off


# ---------------------------------------------------------------- Rain800
@pytest.fixture
def rain800(tmp_path):
    for name in ('1.jpg', '2.jpg', '10.jpg'):
        _write_pair(tmp_path / 'src' / 'training' / name)
    for name in ('t1.jpg', 't2.jpg'):
        _write_pair(tmp_path / 'src' / 'test_syn' / name)
    return tmp_path


def test_rain800_rainy_right_by_default(rain800, capsys):
    out = str(rain800 / 'out')
    assert _tool('rain800').main([str(rain800 / 'src'), out]) == 0
    printed = capsys.readouterr().out
    assert 'trainA: 3, trainB: 3, testA: 2, testB: 2' in printed
    assert _stems(out, 'trainA') == _stems(out, 'trainB') == ['1', '10', '2']
    assert _stems(out, 'testA') == ['t1', 't2']
    assert _near(_value(osp.join(out, 'trainA', '1.png')), RIGHT)
    assert _near(_value(osp.join(out, 'trainB', '1.png')), LEFT)
    assert read_image(osp.join(out, 'testA', 't1.png')).shape == (8, 8, 3)
    ds = PairedImageDataset(out)  # the output is a valid test set
    assert len(ds) == 2


def test_rain800_rainy_left_and_skip_test(rain800):
    out = str(rain800 / 'out')
    counts = convert_rain800(str(rain800 / 'src'), out, rainy_half='left',
                             test_dir='')
    assert counts == dict(trainA=3, trainB=3)
    assert not osp.exists(osp.join(out, 'testA'))
    assert _near(_value(osp.join(out, 'trainA', '2.png')), LEFT)
    assert _near(_value(osp.join(out, 'trainB', '2.png')), RIGHT)


def test_rain800_odd_width_and_missing_test_dir(rain800):
    with pytest.raises(DataError, match='test folder .*testing'):
        convert_rain800(str(rain800 / 'src'), str(rain800 / 'o'),
                        test_dir='testing')
    cv2.imwrite(str(rain800 / 'src' / 'training' / '3.png'),
                np.zeros((8, 15, 3), np.uint8))
    with pytest.raises(DataError, match=r'3\.png is 15 px wide'):
        convert_rain800(str(rain800 / 'src'), str(rain800 / 'o'))


# ---------------------------------------------------------------- DID-Data
def test_did_data_rainy_left_with_density_prefixes(tmp_path, capsys):
    src = tmp_path / 'DID-MDN-training'
    _write_pair(src / 'Rain_Heavy' / 'train2018new' / '1.jpg')
    _write_pair(src / 'Rain_Heavy' / 'train2018new' / '2.jpg')
    _write_pair(src / 'Rain_Medium' / '1.jpg')
    _write_pair(src / 'Rain_Light' / '1.jpg')
    _write_pair(tmp_path / 'DID-MDN-test' / '5.jpg')
    out = str(tmp_path / 'out')
    assert _tool('did_data').main(
        [str(src), out, '--test-dir', str(tmp_path / 'DID-MDN-test')]) == 0
    printed = capsys.readouterr().out
    assert 'trainA: 4, trainB: 4, testA: 1, testB: 1' in printed
    assert _stems(out, 'trainA') == [
        'Rain_Heavy_1', 'Rain_Heavy_2', 'Rain_Light_1', 'Rain_Medium_1']
    assert _stems(out, 'trainB') == _stems(out, 'trainA')
    assert _near(_value(osp.join(out, 'trainA', 'Rain_Light_1.png')), LEFT)
    assert _near(_value(osp.join(out, 'trainB', 'Rain_Light_1.png')), RIGHT)
    assert _near(_value(osp.join(out, 'testA', '5.png')), LEFT)
    assert _near(_value(osp.join(out, 'testB', '5.png')), RIGHT)


def test_did_data_missing_density_folder(tmp_path):
    _write_pair(tmp_path / 'Rain_Heavy' / '1.jpg')
    with pytest.raises(DataError, match='Rain_Medium does not exist'):
        convert_did_data(str(tmp_path), str(tmp_path / 'out'))


# ---------------------------------------------------------------- DDN-Data
@pytest.fixture
def ddn(tmp_path):
    src = tmp_path / 'DDN'
    for scene in (1, 2, 901):
        _write(src / 'ground_truth' / f'{scene}.jpg', scene % 250)
        for rain in (1, 2):
            _write(src / 'rainy_image' / f'{scene}_{rain}.jpg', 240)
    return src


def test_ddn_auto_split_links_ground_truth(ddn, capsys):
    out = str(ddn.parent / 'out')
    assert _tool('ddn_data').main([str(ddn), out]) == 0
    assert 'trainA: 4, trainB: 2, testA: 2, testB: 2' in \
        capsys.readouterr().out
    assert _stems(out, 'trainA') == ['1_1', '1_2', '2_1', '2_2']
    assert _stems(out, 'trainB') == ['1', '2']
    assert _stems(out, 'testA') == _stems(out, 'testB') == ['901_1', '901_2']
    for name in ('901_1.jpg', '901_2.jpg'):
        test_b = osp.join(out, 'testB', name)
        assert osp.samefile(test_b, ddn / 'ground_truth' / '901.jpg')
    # Unchanged files are linked, not re-encoded.
    assert osp.samefile(osp.join(out, 'trainA', '2_1.jpg'),
                        ddn / 'rainy_image' / '2_1.jpg')
    assert len(PairedImageDataset(out)) == 2


def test_ddn_forced_split_and_errors(ddn):
    counts = convert_ddn_data(str(ddn), str(ddn.parent / 'o'), split='test')
    assert counts == dict(testA=6, testB=6)
    _write(ddn / 'rainy_image' / 'extra.jpg', 0)
    with pytest.raises(DataError, match=r'extra\.jpg is not named'):
        convert_ddn_data(str(ddn), str(ddn.parent / 'o2'))
    os.remove(ddn / 'rainy_image' / 'extra.jpg')
    os.remove(ddn / 'ground_truth' / '2.jpg')
    with pytest.raises(DataError, match=r'2_1\.jpg has no ground truth'):
        convert_ddn_data(str(ddn), str(ddn.parent / 'o3'))
    assert not osp.exists(ddn.parent / 'o3')  # checked before writing


# ---------------------------------------------------------------- SPA-Data
@pytest.fixture
def spa(tmp_path):
    src = tmp_path / 'SPA'
    _write(src / 'real_world' / '000' / '000-1' / '000-1_0_0.png', 201)
    _write(src / 'real_world' / '000' / '000-2' / '000-2_0_0.png', 202)
    _write(src / 'real_world_gt' / '000' / '000_0_0.png', 50)
    (src / 'real_world.txt').write_text(
        '/real_world/000/000-1/000-1_0_0.png /real_world_gt/000/000_0_0.png\n'
        './real_world/000/000-2/000-2_0_0.png real_world_gt/000/000_0_0.png\n'
        '\n')
    for stem in ('a', 'b'):
        _write(src / 'real_test_1000' / 'rain' / f'{stem}.png', 230)
        _write(src / 'real_test_1000' / 'gt' / f'{stem}.png', 60)
    return src


def test_spa_list_and_test_folders(spa, capsys):
    out = str(spa.parent / 'out')
    assert _tool('spa_data').main([str(spa), out]) == 0
    assert 'trainA: 2, trainB: 1, testA: 2, testB: 2' in \
        capsys.readouterr().out
    assert _stems(out, 'trainA') == ['000-1_0_0', '000-2_0_0']
    assert _stems(out, 'trainB') == ['000_0_0']
    assert _value(osp.join(out, 'trainB', '000_0_0.png')) == 50
    assert _value(osp.join(out, 'testA', 'b.png')) == 230
    assert _value(osp.join(out, 'testB', 'b.png')) == 60


def test_spa_bad_list_and_unmatched_test(spa):
    with open(spa / 'real_world.txt', 'a') as f:
        f.write('real_world/missing.png real_world_gt/000/000_0_0.png\n')
    with pytest.raises(DataError, match=r'real_world\.txt line 4: '
                       r'real_world/missing\.png is not a file'):
        convert_spa_data(str(spa), str(spa.parent / 'o'))
    os.remove(spa / 'real_test_1000' / 'gt' / 'b.png')
    with pytest.raises(DataError, match=r'1 \(b\) in .*rain without ground'):
        convert_spa_data(str(spa), str(spa.parent / 'o'), list_file='')


# ---------------------------------------------------------------- Rain100
@pytest.fixture
def rain100(tmp_path):
    src = tmp_path / 'Rain100H'
    for n in (1, 2, 3):
        _write(src / 'rainy' / f'rain-{n:03d}.png', 100 + n)
        _write(src / f'norain-{n:03d}.png', n)
    _write(src / 'rainy' / 'rainstreak-001.png', 0)
    _write(src / 'rainy' / 'rainregion-001.png', 0)
    return src


def test_rain100_test_split_ignores_masks(rain100, capsys):
    out = str(rain100.parent / 'out')
    assert _tool('rain100').main([str(rain100), out]) == 0
    assert 'testA: 3, testB: 3' in capsys.readouterr().out
    assert _stems(out, 'testA') == _stems(out, 'testB') == [
        'rain-001', 'rain-002', 'rain-003']
    assert _value(osp.join(out, 'testA', 'rain-002.png')) == 102
    assert _value(osp.join(out, 'testB', 'rain-002.png')) == 2
    ds = PairedImageDataset(out)
    assert [ds.get_data_info(i)['name'] for i in range(3)] == [
        'rain-001', 'rain-002', 'rain-003']


def test_rain100_train_split_and_missing_partner(rain100):
    counts = convert_rain100(str(rain100), str(rain100.parent / 'o'),
                             split='train')
    assert counts == dict(trainA=3, trainB=3)
    assert _stems(str(rain100.parent / 'o'), 'trainB') == [
        'norain-001', 'norain-002', 'norain-003']
    os.remove(rain100 / 'norain-003.png')
    with pytest.raises(DataError, match=r'1 \(3\) in .*rain-N\) without '
                       'ground truth'):
        convert_rain100(str(rain100), str(rain100.parent / 'o2'))


# ---------------------------------------------------------------- Rain13K
@pytest.fixture
def rain13k(tmp_path):
    src = tmp_path / 'Test100'
    for i, (rainy, clean) in enumerate(zip(['a', 'b', 'c'], ['x', 'y', 'z'])):
        _write(src / 'input' / f'{rainy}.jpg', 240)
        _write(src / 'target' / f'{clean}.png', 10 * (i + 1))
    return src


def test_rain13k_pairs_by_sorted_order(rain13k, capsys):
    out = str(rain13k.parent / 'out')
    assert _tool('rain13k').main([str(rain13k), out, '--split', 'test']) == 0
    assert 'testA: 3, testB: 3' in capsys.readouterr().out
    assert _stems(out, 'testA') == _stems(out, 'testB') == ['a', 'b', 'c']
    assert _value(osp.join(out, 'testB', 'b.png')) == 20  # from y.png
    assert osp.samefile(osp.join(out, 'testB', 'c.png'),
                        rain13k / 'target' / 'z.png')


def test_rain13k_train_split_and_count_mismatch(rain13k):
    out = str(rain13k.parent / 'o')
    assert convert_rain13k(str(rain13k), out, 'train') == dict(trainA=3,
                                                               trainB=3)
    assert _stems(out, 'trainB') == ['x', 'y', 'z']
    os.remove(rain13k / 'target' / 'z.png')
    with pytest.raises(DataError, match='input/ has 3 images but target/ '
                       'has 2'):
        convert_rain13k(str(rain13k), out, 'test')


# ---------------------------------------------------------------- all CLIs
@pytest.mark.parametrize('name,extra', [
    ('rain800', []), ('did_data', []), ('ddn_data', []), ('spa_data', []),
    ('rain100', []), ('rain13k', ['--split', 'train'])])
def test_missing_source_is_a_one_line_error(tmp_path, capsys, name, extra):
    missing = str(tmp_path / 'no_such_dataset')
    assert _tool(name).main([missing, str(tmp_path / 'out')] + extra) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'no_such_dataset' in err
    assert err.count('\n') == 1 and 'Traceback' not in err


def test_cli_runs_as_a_script(rain100, tmp_path):
    out = str(tmp_path / 'script_out')
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    done = subprocess.run(
        [sys.executable, osp.join(TOOLS, 'rain100.py'), str(rain100), out],
        capture_output=True, text=True, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert 'testA: 3, testB: 3' in done.stdout
    assert len(os.listdir(osp.join(out, 'testA'))) == 3
