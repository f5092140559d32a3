"""What a training run shows: labelled grids, validation images with their
PSNR, TensorBoard, a quiet console; a resumed run appends to the same
scalars and image folder."""
import json

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement
from test_run_length import logged, micro, train  # noqa: F401  (fixture)

from lowvis.engine.hooks import ValidationImagesHook
from lowvis.engine.hooks.image_labels import label_columns
from lowvis.evaluation.functional import psnr


def test_label_strip_names_each_column_and_enlarges_small_crops():
    grid = np.zeros((32, 3 * 32, 3), np.uint8)
    out = label_columns(grid, ['rainy input', 'derained', 'reconstruction'])
    assert out.shape == (3 * 32 + 14, 3 * 96, 3)  # 32 px columns -> x3
    strip = out[:14]
    for k in range(3):  # dark text on white in every column
        column = strip[:, k * 96:(k + 1) * 96]
        assert column.min() < 128 and (column == 255).mean() > 0.5
    assert (out[14:] == 0).all()


def test_validation_panel_shows_input_output_truth_with_their_psnr():
    gen = torch.Generator().manual_seed(0)
    gt = torch.rand(3, 40, 100, generator=gen) * 255
    sample = BaseDataElement(metainfo=dict(name='x'))
    sample.gt_img = gt
    sample.pred_img = (gt + 8).clamp(0, 255)
    sample.input_img = (gt + 30).clamp(0, 255)
    image, scores = ValidationImagesHook.panel(sample)
    assert image.shape == (40 + 14, 300, 3)

    def u8(t):
        return t.round().clamp(0, 255).byte().permute(1, 2, 0).numpy()
    assert scores['PSNR'] == pytest.approx(psnr(u8(sample.pred_img), u8(gt)))
    assert scores['input_PSNR'] < scores['PSNR']
    np.testing.assert_array_equal(image[14:, 200:], u8(gt))
    np.testing.assert_array_equal(image[14:, 100:200], u8(sample.pred_img))


def test_tensorboard_switch_and_resume_append_to_one_folder(micro, tmp_path):
    """``tensorboard=True`` writes scalars and images to an event file read
    back here; the resumed run adds its steps to the same scalars.json,
    vis_image folder and event folder."""
    from tensorboard.backend.event_processing.event_accumulator import \
        EventAccumulator
    first = train(micro, tmp_path, '--iters', '2', '--cfg-options',
                  'tensorboard=True')
    assert first.returncode == 0, first.stderr[-3000:]
    second = train(micro, tmp_path, '--iters', '4', '--resume',
                   '--cfg-options', 'tensorboard=True')
    assert second.returncode == 0, second.stderr[-3000:]
    (vis,) = tmp_path.glob('*/vis_data')
    train_lines, records = logged(tmp_path)
    assert sorted(train_lines) == [1, 2, 3, 4]
    names = {p.name for p in (vis / 'vis_image').iterdir()}
    assert {'translation_1.png', 'translation_4.png'} <= names
    # validation every 1/6 of each run, at least every iteration: 1, 2, 3, 4
    val = sorted(n for n in names if n.startswith('val_'))
    assert len(val) == 3 * 4
    # the PSNR logged for a saved validation image is that of its columns
    line = next(r for r in records if any(k.startswith('val_images/')
                                          for k in r) and r['step'] == 4)
    key = next(k for k in line if k.endswith('/PSNR'))
    name = key.split('/')[1]
    panel = cv2.imread(str(vis / 'vis_image' / f'val_{name}_4.png'))[..., ::-1]
    width = panel.shape[1] // 3
    out, gt = panel[14:, width:2 * width], panel[14:, 2 * width:]
    assert line[key] == pytest.approx(psnr(out, gt))
    events = EventAccumulator(str(vis), size_guidance={'scalars': 0,
                                                       'images': 0})
    events.Reload()
    assert [e.step for e in events.Scalars('generators.lr')] == [1, 2, 3, 4]
    lr = {e.step: e.value for e in events.Scalars('generators.lr')}
    assert lr[1] == pytest.approx(train_lines[1]['generators.lr'])
    assert [e.step for e in events.Images('translation')] == [1, 2, 4]
    assert [e.step for e in events.Images(f'val_{name}')] == [1, 2, 3, 4]


def test_console_shows_header_and_progress_only(micro, tmp_path):
    proc = train(micro, tmp_path, '--iters', '2')
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for field in ('config:', 'work dir:', 'log:', 'data:     train 96 A / '
                  '96 B images, val 14 images', 'device:   cpu', 'seed:     0'):
        assert field in out
    assert 'Iter(train) [2/2]' in out
    assert 'System environment' not in out and 'Config:' not in out
    assert 'Hooks will be executed' not in out
    assert 'will be deprecated' not in out + proc.stderr
    assert len(out.splitlines()) < 60
    (log,) = tmp_path.glob('*/*.log')
    text = log.read_text()
    assert 'System environment' in text and 'Config:' in text
    assert json.loads((next(tmp_path.glob('*/vis_data/scalars.json'))
                       .read_text().splitlines()[0]))['step'] == 1
