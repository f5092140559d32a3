"""tools/analysis: comparison grid and t-SNE of contrastive features."""
import csv
import os.path as osp
import shutil

import numpy as np
import pytest
import torch

from lowvis.apis import init_model
from lowvis.datasets import list_images, read_image
from lowvis.evaluation import psnr
from lowvis.utils.errors import ConfigError, DataError
from tool_modules import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


compare = load_tool('analysis/compare_images.py')
tsne = load_tool('analysis/tsne_features.py')


@pytest.fixture(scope='module')
def folders(demo_data_root):
    test_a = osp.join(demo_data_root, 'testA')
    test_b = osp.join(demo_data_root, 'testB')
    stems = [osp.splitext(osp.basename(p))[0] for p in list_images(test_a)]
    return test_a, test_b, stems


def test_compare_grid_layout(folders, tmp_path):
    test_a, test_b, stems = folders
    out = str(tmp_path / 'grid.png')
    # "perfect" is the ground truth itself, "same" the rainy input
    assert compare.main(['--inputs', test_a, '--gt', test_b, '--method',
                         f'perfect={test_b}', f'same={test_a}', '--out', out,
                         '--names', stems[0], stems[3], '--height',
                         '64']) == 0
    grid = read_image(out)
    # 2 rows of 64 px + 4 px gap; 4 tiles of 64 px (square) + 3 gaps
    assert grid.shape == (2 * 64 + 4, 4 * 64 + 3 * 4, 3)
    # below the label band the tiles are the images shrunk 2x
    rainy = read_image(osp.join(test_a, stems[0] + '.png'))
    shrunk = rainy.reshape(64, 2, 64, 2, 3).mean(axis=(1, 3))
    assert np.abs(grid[40:64, 0:64].astype(float) - shrunk[40:]).max() <= 1


def test_psnr_labels(folders):
    test_a, test_b, stems = folders
    rainy = read_image(osp.join(test_a, stems[0] + '.png'))
    clean = read_image(osp.join(test_b, stems[0] + '.png'))
    assert compare.psnr_label(rainy, clean, False) == \
        f'{psnr(rainy, clean):.2f} dB'
    assert compare.psnr_label(rainy, clean, True) == \
        f'{psnr(rainy, clean, convert_to="Y"):.2f} dB (Y)'
    assert compare.psnr_label(clean, clean, False) == 'inf dB'
    assert 'no PSNR' in compare.psnr_label(clean[:64], clean, False)


def test_compare_errors_name_the_problem(folders, tmp_path):
    test_a, test_b, stems = folders
    partial = tmp_path / 'partial'
    partial.mkdir()
    shutil.copy(osp.join(test_b, stems[0] + '.png'), partial)
    args = ['--inputs', test_a, '--gt', test_b, '--out',
            str(tmp_path / 'g.png'), '--names', stems[0], stems[1]]
    with pytest.raises(DataError, match=f'{stems[1]}.* in {partial}'):
        compare.main(args + ['--method', f'm={partial}'])
    with pytest.raises(ConfigError, match='NAME=DIR'):
        compare.main(args + ['--method', str(partial)])
    with pytest.raises(DataError, match='folder not found'):
        compare.main(args + ['--method', f'm={tmp_path / "none"}'])


def test_tsne_on_cyclegan_falls_back_to_encoder_features(
        micro_checkpoint, folders, tmp_path, capsys):
    plotter = 'cv2'  # the matplotlib path draws the same points
    out = str(tmp_path / 'tsne.png')
    assert tsne.main([micro_checkpoint.config, micro_checkpoint.checkpoint,
                      '--data-root', micro_checkpoint.data_root, '--out',
                      out, '--plotter', plotter, '--include-rainy']) == 0
    printed = capsys.readouterr().out
    assert 'no projection head' in printed and f'({plotter})' in printed
    plot = read_image(out)
    if plotter == 'cv2':
        assert plot.shape == (640, 640, 3)
    with open(osp.join(tmp_path, 'tsne.csv'), newline='') as f:
        rows = list(csv.DictReader(f))
    n = len(folders[2])
    groups = [r['group'] for r in rows]
    assert groups.count('derained') == groups.count('rainy') == n
    assert groups.count('clean') == n
    assert all(np.isfinite(float(r['x'])) for r in rows)


def test_embedding_uses_the_contrastive_heads_when_there_are_some():
    model = init_model(osp.join(REPO, 'configs', 'dcdgan_demo.py'))
    generator, layers, head = tsne.embedding_setup(model, 'B2A')
    assert generator is model.generators['B2A']
    assert layers == list(model.nce_layers)
    assert head is model.heads.projectors['B2A']
    img = np.random.default_rng(0).integers(0, 256, (48, 40, 3),
                                            dtype=np.uint8)
    vec = tsne.embed(generator, layers, head, img, 16,
                     torch.Generator().manual_seed(0), 512)
    dim = head.out_channels
    assert vec.shape == (len(layers) * dim,)
    # each layer's part is a unit vector
    norms = np.linalg.norm(vec.reshape(len(layers), dim), axis=1)
    assert np.allclose(norms, 1.0)


def test_centroid_distance_by_hand():
    feats = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    groups = ['derained', 'derained', 'clean']
    assert tsne.centroid_distance(feats, groups, 'derained', 'clean') == \
        pytest.approx(1.0)
    assert tsne.centroid_distance(feats, groups, 'derained', 'derained') == \
        pytest.approx(0.0)


@pytest.mark.parametrize('plotter', ['cv2', 'matplotlib'])
def test_both_plotters_draw_the_points(tmp_path, plotter):
    if plotter == 'matplotlib':
        pytest.importorskip('matplotlib')
    points = np.array([[0.0, 0.0], [1.0, 1.0], [0.5, -1.0]])
    groups = ['derained', 'clean', 'clean']
    out = str(tmp_path / f'{plotter}.png')
    tsne.plot(points, groups, out, 'title', plotter=plotter)
    plot = read_image(out)
    assert plot.ndim == 3 and plot.std() > 0
