"""Bad configs, arguments and data stop the tools before iteration 1 with
one ``error:`` line and exit code 2, and nothing is trained.

Pure config/argument errors run the tool's ``main()`` in this process (as
``run_main`` does: the same code path, without 3-5 s of imports per case);
errors that need the built model or the data run the real tool as a
subprocess.
"""
import ast
import glob
import shutil
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

from lowvis.datasets import read_image
from lowvis.engine.startup_checks import (check_components, check_data,
                                          image_header)
from lowvis.utils.cli import run_main
from lowvis.utils.errors import DataError, ImageReadError
from tool_modules import (error_line, load_tool, nothing_trained,
                          training_refusal)

ROOT = Path(__file__).resolve().parents[2]
DCDGAN = str(ROOT / 'configs' / 'dcdgan_demo.py')


@pytest.fixture(scope='module')
def tools():
    return {name: load_tool(f'{name}.py') for name in ('train', 'restore')}


def in_process(main, argv, capsys):
    """``(exit code, error lines, stderr)`` of ``run_main(main(argv))``."""
    with pytest.raises(SystemExit) as info:
        run_main(lambda: main(argv))
    err = capsys.readouterr().err
    return (info.value.code,
            [ln for ln in err.splitlines() if ln.startswith('error:')], err)


@pytest.mark.parametrize('options, expected', [
    (['default_hooks.checkpoint.intervall=3'],
     "error: config error: CheckpointHook does not accept 'intervall' (did "
     "you mean 'interval'?); it accepts: interval, by_epoch"),
    (['train_cfg.max_iters=abc'],
     "error: --cfg-options train_cfg.max_iters='abc': expected a number"),
    (['train_cfg.max_iters=4.5'],
     'error: config error: train_cfg.max_iters=4.5: '
     'ResumableIterBasedTrainLoop expects max_iters to be int, got float'),
    (['train_dataloader.batch_size=two'],
     "error: --cfg-options train_dataloader.batch_size='two': expected a "
     'number'),
    (['optim_wrapper.generators.optimizer.lr=1e-4x'],
     "error: --cfg-options optim_wrapper.generators.optimizer.lr='1e-4x': "
     'expected a number'),
    (['model.nce_layers=4'],
     'error: --cfg-options model.nce_layers=4: expected a list'),
    (['model.nce_layerz=[4,8]'],
     "error: config error: DCDGAN does not accept 'nce_layerz' (did you "
     "mean 'nce_layers'?); it accepts: generators, discriminators, "
     'nce_layers, contrastive'),
    (['optim_wrapper.generators.optimizer.type=Adamm'],
     "error: config error: type='Adamm' is not registered in lowvis's "
     'optimizer registry; did you mean Adam'),
    (['model.contrastive.head.type=ProjectionHeed'],
     "error: config error: type='ProjectionHeed' is not registered in "
     "lowvis's model registry; did you mean ProjectionHead"),
    (['train_dataloader.dataset.pipeline.2.crop_sise=8'],
     "error: config error: RandomCrop does not accept 'crop_sise' (did you "
     "mean 'crop_size'?)"),
    (['param_scheduler.0.endd=3'],
     "error: config error: LinearLR does not accept 'endd' (did you mean "
     "'end'?)"),
])
def test_config_errors_are_one_line(tools, tmp_path, capsys, options,
                                    expected):
    code, lines, err = in_process(
        tools['train'].main, [DCDGAN, '--work-dir', str(tmp_path / 'wd'),
                              '--cfg-options', *options], capsys)
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith(expected), lines[0]
    assert 'Traceback' not in err and nothing_trained(tmp_path)


def test_reversed_rain_range_in_a_pipeline(tools, tmp_path, capsys):
    """A SyntheticRain with angle=(5, -5) in the training pipeline is
    refused at start-up (the transform refuses it when it is built), not
    at the first sample."""
    config = tmp_path / 'rain_on_the_fly.py'
    config.write_text(
        f"_base_ = [{str(ROOT / 'configs' / 'cyclegan_demo.py')!r}]\n"
        "train_dataloader = dict(dataset=dict(pipeline=[\n"
        "    dict(type='LoadImageFromFile', key='img_A'),\n"
        "    dict(type='LoadImageFromFile', key='img_B'),\n"
        "    dict(type='SyntheticRain', key='img_B', out_key='img_A',\n"
        "         angle=(5, -5)),\n"
        "    dict(type='PackUnpairedInputs')]))\n")
    code, lines, err = in_process(
        tools['train'].main, [str(config), '--work-dir', str(tmp_path / 'wd'),
                              '--skip-data-check'], capsys)
    assert code == 2 and lines == [
        'error: SyntheticRain: angle must be a number or a (low, high) '
        'pair, got (5, -5)'], err
    assert 'Traceback' not in err and nothing_trained(tmp_path)


def test_model_typo_lists_the_base_class_arguments(tools, tmp_path, capsys):
    _, lines, _ = in_process(
        tools['train'].main, [DCDGAN, '--work-dir', str(tmp_path),
                              '--cfg-options', 'model.nce_layerz=[4,8]'],
        capsys)
    # BaseUnpairedTranslationModel's own arguments are listed too
    assert 'gan_loss, data_preprocessor, seed, test_direction, nan_policy' \
        in lines[0] and lines[0].endswith('(in model)')


def test_top_level_typo_is_warned_with_the_closest_key(tools, tmp_path,
                                                       capsys):
    code, lines, err = in_process(
        tools['train'].main,
        [DCDGAN, '--work-dir', str(tmp_path), '--cfg-options',
         'train_cfgg.max_iters=2', 'zzzz=3', 'train_cfg.max_iters=4.5'],
        capsys)
    assert "warning: config key 'train_cfgg' is not read by the runner; " \
        "did you mean 'train_cfg'?" in err
    assert "warning: --cfg-options zzzz: 'zzzz' is not a config key the " \
        'runner reads, so it changes nothing' in err
    assert code == 2 and len(lines) == 1


@pytest.mark.parametrize('argv, expected', [
    (['--tile', '8'], 'error: --tile 8 must be larger than --tile-overlap '
     '32 (neighbouring tiles share the overlap)'),
    (['--tile', '-1'], 'error: --tile -1 --tile-overlap 32: both must be '
     '>= 0'),
])
def test_restore_tile_arguments(tools, tmp_path, capsys, argv, expected):
    code, lines, err = in_process(
        tools['restore'].main,
        ['x.png', '--config', DCDGAN, '--checkpoint', 'x.pth', '--out-dir',
         str(tmp_path / 'out'), *argv], capsys)
    assert code == 2 and len(lines) == 1 and lines[0].startswith(expected)
    assert not (tmp_path / 'out').exists()


@pytest.mark.parametrize('path', sorted(
    glob.glob(str(ROOT / 'configs' / '*.py')) +
    glob.glob(str(ROOT / 'configs' / 'ablations' / '*.py')) +
    glob.glob(str(ROOT / 'plugins' / '*' / 'configs' / '*.py')) +
    glob.glob(str(ROOT / 'tests' / 'configs' / '*.py'))))
def test_every_repository_config_passes_the_component_check(path,
                                                            monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))  # plugin configs
    check_components(Config.fromfile(path))


# ------------------------------------------------------------ subprocesses
def test_bad_constructor_value_in_the_real_tool(run_tool, micro_checkpoint,
                                                tmp_path):
    result = run_tool(['tools/train.py', micro_checkpoint.config,
                       '--work-dir', str(tmp_path), '--cfg-options',
                       'model.gan_loss.gan_mode=lsgann'])
    assert error_line(result) == (
        "error: GANLoss: gan_mode must be 'lsgan', 'vanilla' or 'hinge', "
        "got 'lsgann'")
    assert nothing_trained(tmp_path)


def test_too_many_internal_negatives(run_tool, demo_data_root, tmp_path):
    # found when the model is built, before the first iteration
    assert training_refusal(
        run_tool, DCDGAN, demo_data_root, tmp_path,
        'model.contrastive.negative_sampler.num_internal=100') == (
        'error: InternalNegativeSampler: num_negatives=100 but '
        'PatchSampler.num_patches=64 gives at most 63 internal negatives per '
        'query; lower it or raise num_patches.')


@pytest.fixture
def mismatched_test_set(micro_checkpoint, tmp_path):
    """A copy of the demo test set whose first ground truth is 8 px
    narrower than its input."""
    root = tmp_path / 'data'
    for domain in ('testA', 'testB'):
        shutil.copytree(Path(micro_checkpoint.data_root) / domain,
                        root / domain)
    gt = sorted((root / 'testB').glob('*.png'))[0]
    img = cv2.imread(str(gt))
    cv2.imwrite(str(gt), img[:, :-8])
    return root, sorted((root / 'testA').glob('*.png'))[0], gt, img.shape


def test_test_pair_of_different_sizes_names_both_files(
        run_tool, micro_checkpoint, mismatched_test_set, tmp_path):
    root, inp, gt, (h, w, _) = mismatched_test_set
    result = run_tool(['tools/test.py', micro_checkpoint.config,
                       micro_checkpoint.checkpoint, '--work-dir',
                       str(tmp_path / 'wd'), '--cfg-options',
                       f'test_dataloader.dataset.data_root={root}'])
    assert error_line(result).startswith(
        f'error: test pair of different sizes: {inp} is {h}x{w} but {gt} '
        f'is {h}x{w - 8} (HxW)')
    assert 'PSNR' not in result.stdout


# -------------------------------------------------------------- data units
def write(path, img):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), img)
    return str(path)


def test_image_header_matches_what_lowvis_reads(tmp_path):
    rng = np.random.default_rng(0)
    grey = write(tmp_path / 'g.png', rng.integers(0, 255, (9, 7), np.uint8))
    deep = write(tmp_path / 'd.png',
                 rng.integers(0, 65535, (5, 6, 3), np.uint16))
    assert image_header(grey) == (9, 7, True)
    assert image_header(deep) == (5, 6, False)
    rotated = tmp_path / 'r.jpg'  # EXIF orientation 6: shown rotated 90
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(rng.integers(0, 255, (10, 16, 3), np.uint8)).save(
        rotated, exif=exif)
    shown = read_image(str(rotated)).shape[:2]
    assert image_header(str(rotated))[:2] == shown == (16, 10)
    data = Path(deep).read_bytes()
    broken = tmp_path / 'broken.png'
    broken.write_bytes(data[:len(data) // 3])
    with pytest.raises(ImageReadError, match=f'cannot decode {broken}'):
        image_header(str(broken))


def paired_cfg(root):
    pipeline = [dict(type='LoadImageFromFile', key='img_A'),
                dict(type='LoadImageFromFile', key='img_B'),
                dict(type='PackUnpairedInputs')]
    return dict(test_dataloader=dict(dataset=dict(
        type='PairedImageDataset', data_root=str(root), pipeline=pipeline)))


def test_grey_input_with_colour_ground_truth_is_warned(tmp_path, capsys):
    rng = np.random.default_rng(1)
    write(tmp_path / 'testA' / 'x.png', rng.integers(0, 255, (8, 8),
                                                     np.uint8))
    write(tmp_path / 'testB' / 'x.png', rng.integers(0, 255, (8, 8, 3),
                                                     np.uint8))
    write(tmp_path / 'testA' / 'y.png', rng.integers(0, 255, (8, 8, 3),
                                                     np.uint8))
    write(tmp_path / 'testB' / 'y.png', rng.integers(0, 255, (8, 8, 3),
                                                     np.uint8))
    check_data(paired_cfg(tmp_path), 'test')
    err = capsys.readouterr().err
    assert err.startswith('warning: 1 test input(s) are grey but their '
                          f'ground truth is colour (first: '
                          f'{tmp_path}/testA/x.png)')


def unpaired_cfg(root, **crop):
    pipeline = [dict(type='LoadImageFromFile', key='img_A'),
                dict(type='RandomCrop', keys=['img_A'], crop_size=16,
                     **crop)]
    return dict(train_dataloader=dict(dataset=dict(
        type='UnpairedImageDataset', data_root=str(root),
        pipeline=pipeline)))


def test_training_images_smaller_than_the_crop(tmp_path, capsys):
    small = write(tmp_path / 'trainA' / 'a.png', np.zeros((12, 20, 3),
                                                          np.uint8))
    write(tmp_path / 'trainB' / 'b.png', np.zeros((16, 16, 3), np.uint8))
    check_data(unpaired_cfg(tmp_path), 'train')
    assert capsys.readouterr().err.startswith(
        'warning: 1 training image(s) are smaller than the RandomCrop crop '
        f"16x16 (first: {small}, 12x20 HxW); RandomCrop reflect-pads them "
        "(pad_if_smaller='reflect'")
    with pytest.raises(DataError, match=r"RandomCrop\(pad_if_smaller="
                       "'reflect'\\) pads them"):
        check_data(unpaired_cfg(tmp_path, pad_if_smaller='error'), 'train')


def test_the_documented_install_includes_pytest():
    """docs/plugins.md runs ``python -m pytest`` after ``pip install -e .``:
    pytest must be in install_requires, not only in an extra."""
    assert 'python -m pytest' in (ROOT / 'docs' / 'plugins.md').read_text()
    tree = ast.parse((ROOT / 'setup.py').read_text())
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)
             and n.name in ('_has_distribution', 'requirements')]
    scope = {'metadata': metadata}
    exec(compile(ast.Module(funcs, []), 'setup.py', 'exec'), scope)
    assert any(r.startswith('pytest') for r in scope['requirements']())


def test_keys_the_runner_takes_out_are_accepted():
    check_components(Config(dict(
        custom_hooks=[dict(type='PlainCheckpointHook', priority='LOW')],
        param_scheduler=[dict(type='LinearLR', convert_to_iter_based=True,
                              _scope_='mmengine')])))


def test_the_data_check_can_be_skipped(tmp_path):
    from lowvis.engine.startup_checks import run_startup_checks
    write(tmp_path / 'trainA' / 'a.png', np.zeros((16, 16, 3), np.uint8))
    write(tmp_path / 'trainB' / 'b.png', np.zeros((16, 16, 3), np.uint8))
    (tmp_path / 'trainA' / 'broken.png').write_bytes(b'\x89PNG\r\n')
    cfg = unpaired_cfg(tmp_path)
    with pytest.raises(ImageReadError, match='broken.png'):
        run_startup_checks(cfg, 'train')
    run_startup_checks(cfg, 'train', skip_data=True)
    run_startup_checks(dict(cfg, skip_data_check=True), 'train')
