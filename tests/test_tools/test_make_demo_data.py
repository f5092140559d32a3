import os
import os.path as osp

import cv2
import numpy as np
import pytest

from lowvis.datasets import demo_data as tool


def main(argv):
    """The command line of tools/make_demo_data.py, in this process."""
    return tool.cli_main(tool.make_demo_data, 'demo', 'data/demo_rain', argv)


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('demo') / 'demo_rain')
    return out, tool.make_demo_data(out, seed=0)


def _files(folder):
    return sorted(os.listdir(folder))


def test_folder_counts_and_sizes(built):
    out, summary = built
    n_test = 2 * (7 - len(summary['skipped']))
    expected = dict(trainA=tool.N_TRAIN, trainB=tool.N_TRAIN, testA=n_test,
                    testB=n_test)
    assert summary['counts'] == expected
    for sub, count in expected.items():
        names = _files(osp.join(out, sub))
        assert len(names) == count and all(n.endswith('.png') for n in names)
        img = cv2.imread(osp.join(out, sub, names[0]), cv2.IMREAD_UNCHANGED)
        assert img.shape == (tool.CROP, tool.CROP, 3)
        assert img.dtype == np.uint8


def test_test_pairs_share_stems_and_differ_by_rain(built):
    out, summary = built
    names = _files(osp.join(out, 'testA'))
    assert names == _files(osp.join(out, 'testB'))
    psnrs = []
    for name in names:
        rainy = cv2.imread(osp.join(out, 'testA', name)).astype(np.int64)
        clean = cv2.imread(osp.join(out, 'testB', name)).astype(np.int64)
        # Screen-blended rain only brightens.
        assert np.all(rainy >= clean) and np.any(rainy > clean)
        psnrs.append(10 * np.log10(255.0**2 / np.mean((rainy - clean)**2)))
    assert summary['mean_psnr'] == pytest.approx(np.mean(psnrs), abs=1e-9)
    assert 10 < summary['mean_psnr'] < 40


def test_splits_do_not_overlap():
    photos, _ = tool.load_sources()
    for name, img, roles in photos:
        height = img.shape[0]
        assert min(img.shape[:2]) <= tool.MAX_SHORT_SIDE
        boxes = {half: tool.train_box(img, half) for half in roles}
        for y0, y1, x0, x1 in boxes.values():
            # Training rows stop where the held-out test strip begins.
            assert y1 == height - tool.CROP and y1 - y0 >= tool.CROP
            assert x1 - x0 >= tool.CROP
        if len(boxes) == 2:
            assert boxes['A'][3] <= boxes['B'][2]
    roles = {name: roles for name, _, roles in photos}
    # The stereo views show one scene: one view per training domain.
    assert roles.get('motorcycle_left', 'A') == 'A'
    assert roles.get('motorcycle_right', 'B') == 'B'


def test_deterministic_bytes(built, tmp_path):
    out, _ = built
    again = str(tmp_path / 'again')
    tool.make_demo_data(again, seed=0)
    for sub in tool.SUBDIRS:
        names = _files(osp.join(out, sub))
        assert names == _files(osp.join(again, sub))
        for name in names:
            with open(osp.join(out, sub, name), 'rb') as f1, open(
                    osp.join(again, sub, name), 'rb') as f2:
                assert f1.read() == f2.read(), f'{sub}/{name} differs'


def test_seed_changes_the_rain():
    clean = np.full((32, 32, 3), 90, np.uint8)
    a = tool.add_rain(clean, 0, 'testA', 0)
    np.testing.assert_array_equal(a, tool.add_rain(clean, 0, 'testA', 0))
    assert not np.array_equal(a, tool.add_rain(clean, 1, 'testA', 0))
    assert not np.array_equal(a, tool.add_rain(clean, 0, 'trainA', 0))


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / 'data'
    (out / 'trainA').mkdir(parents=True)
    (out / 'trainA' / 'stale.png').write_bytes(b'old')
    (out / 'notes.txt').write_text('keep me')
    assert main(['--out', str(out)]) == 2
    err = capsys.readouterr().err
    assert '--force' in err and str(out) in err and len(err.splitlines()) == 1
    assert (out / 'trainA' / 'stale.png').exists()

    assert main(['--out', str(out), '--force']) == 0
    printed = capsys.readouterr().out
    assert 'mean PSNR' in printed and 'trainA' in printed
    assert not (out / 'trainA' / 'stale.png').exists()
    assert (out / 'notes.txt').read_text() == 'keep me'
    assert len(os.listdir(out / 'trainA')) == tool.N_TRAIN


def test_output_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / 'file.txt'
    target.write_text('x')
    assert main(['--out', str(target)]) == 2
    assert 'is a file' in capsys.readouterr().err


def test_the_tool_runs_by_path_without_touching_sys_path(run_tool):
    # tools rely on the installed lowvis (no sys.path edits in the tool)
    proc = run_tool(['tools/make_demo_data.py', '--help'])
    assert proc.returncode == 0 and '--force' in proc.stdout
