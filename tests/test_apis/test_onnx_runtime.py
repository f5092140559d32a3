"""ONNX Runtime (CPU) against torch: the exported generator, the tiled
restorer and ``tools/restore.py --backend onnxruntime`` (without torch)."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

pytest.importorskip('onnxruntime')
from onnx_demo_model import export_demo_model_here  # noqa: E402

from lowvis.apis import init_model, restore, restoring_generator  # noqa: E402
from lowvis.apis.tiling import pad_to_multiple  # noqa: E402
from lowvis.deploy import OnnxRestorer, load_image, save_image  # noqa: E402
from lowvis.deploy import tile_grid  # noqa: E402
from lowvis.utils.errors import CheckpointError  # noqa: E402


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    return export_demo_model_here(tmp_path_factory.mktemp('onnx'))


@pytest.fixture(scope='module')
def torch_model(demo):
    return init_model(demo.config, demo.checkpoint)


@pytest.fixture(scope='module')
def runtime(demo):
    return OnnxRestorer(demo.onnx, threads=1)


# (64, 96) is the tracing size; the others were never seen at export
@pytest.mark.parametrize('height,width', [(64, 96), (16, 16), (52, 76),
                                          (124, 36), (128, 128)])
def test_runtime_matches_torch_within_1e4(torch_model, runtime, height,
                                          width):
    gen = torch.Generator().manual_seed(height * 1000 + width)
    x = torch.rand(1, 3, height, width, generator=gen) * 2 - 1
    with torch.no_grad():
        ref = restoring_generator(torch_model)(x).numpy()
    out = runtime.session.run(['restored'], {'image': x.numpy()})[0]
    assert out.shape == (1, 3, height, width)
    assert np.abs(out - ref).max() <= 1e-4
    # the perturbed generator changes the image: the check can fail
    assert np.abs(ref - x.numpy()).mean() > 0.05


@pytest.mark.parametrize('height,width', [(5, 6), (66, 3), (1, 2), (8, 4)])
def test_numpy_padding_equals_torch_padding(height, width):
    x = np.random.default_rng(0).random((1, 3, height, width),
                                        dtype=np.float32)
    ours, size = tile_grid.pad_to_multiple(x, 4, min_size=16)
    ref, ref_size = pad_to_multiple(torch.from_numpy(x), 4, min_size=16)
    assert size == ref_size == (height, width)
    assert np.array_equal(ours, ref.numpy())


def _images():
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (90, 150, 3), dtype=np.uint8)
    return {
        'rgb8': rgb,
        'rgb16': rng.integers(0, 65536, (70, 50, 3), dtype=np.uint16),
        'gray': rgb[:, :, 1].copy(),
        'rgba': np.dstack([rgb, rgb[:, :, :1]]),
        'odd': rgb[:37, :53].copy(),
    }


@pytest.mark.parametrize('name', sorted(_images()))
@pytest.mark.parametrize('tile', [0, 64])
def test_restorer_matches_the_torch_path(torch_model, runtime, name, tile):
    image = _images()[name]
    ours = runtime.restore(image, tile=tile, tile_overlap=16)
    ref = restore(torch_model, image, tile=tile, tile_overlap=16)
    assert ours.shape == image.shape and ours.dtype == image.dtype
    diff = np.abs(ours.astype(np.int64) - ref.astype(np.int64))
    assert diff.max() <= 1  # 1e-4 in [-1, 1] may flip one rounding
    if name == 'rgba':
        assert np.array_equal(ours[:, :, 3], image[:, :, 3])


def test_a_model_without_lowvis_metadata_is_refused(tmp_path):
    import onnx
    from onnx import TensorProto, helper
    node = helper.make_node('Identity', ['image'], ['restored'])
    value = helper.make_tensor_value_info('image', TensorProto.FLOAT,
                                          [1, 3, 'h', 'w'])
    out = helper.make_tensor_value_info('restored', TensorProto.FLOAT,
                                        [1, 3, 'h', 'w'])
    graph = helper.make_graph([node], 'identity', [value], [out])
    path = str(tmp_path / 'plain.onnx')
    onnx.save(helper.make_model(graph), path)
    with pytest.raises(CheckpointError, match='not a lowvis restoring'):
        OnnxRestorer(path)
    (tmp_path / 'junk.onnx').write_bytes(b'not a model')
    with pytest.raises(CheckpointError, match='cannot load ONNX model'):
        OnnxRestorer(str(tmp_path / 'junk.onnx'))


@pytest.fixture(scope='module')
def photo_folder(tmp_path_factory):
    """16-bit, gray, RGBA, EXIF-rotated JPEG and a broken file."""
    folder = tmp_path_factory.mktemp('onnx_in')
    rgb = _images()['rgb8'][:40, :56]
    cv2.imwrite(str(folder / 'deep16.png'),
                rgb[:, :, ::-1].astype(np.uint16) * 257)
    cv2.imwrite(str(folder / 'gray.png'), rgb[:, :, 1])
    cv2.imwrite(str(folder / 'alpha.png'),
                np.dstack([rgb[:, :, ::-1], rgb[:, :, 0]]))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90 degrees clockwise: 56x40
    Image.fromarray(rgb).save(folder / 'rotated.jpg', quality=95,
                              exif=exif.tobytes())
    (folder / 'broken.png').write_bytes(b'not an image')
    return folder


_NO_TORCH = '''
import runpy, sys, json
sys.argv = ['tools/restore.py'] + json.loads(sys.argv[1])
try:
    runpy.run_path('tools/restore.py', run_name='__main__')
finally:
    heavy = sorted(m for m in sys.modules
                   if m.split('.')[0] in ('torch', 'mmengine', 'mmcv'))
    print('HEAVY=' + json.dumps(heavy))
'''


def test_restore_tool_onnx_backend_without_torch(demo, torch_model,
                                                 photo_folder, tmp_path,
                                                 run_tool):
    args = [str(photo_folder), '--backend', 'onnxruntime', '--model',
            demo.onnx, '--out-dir', str(tmp_path / 'onnx'), '--tile', '32',
            '--tile-overlap', '8']
    result = run_tool(['-c', _NO_TORCH, json.dumps(args)])
    assert result.returncode == 1, result.stderr[-3000:]  # broken.png
    heavy = [line for line in result.stdout.splitlines()
             if line.startswith('HEAVY=')]
    assert heavy and json.loads(heavy[0][len('HEAVY='):]) == []
    assert 'restored 4 of 5 images' in result.stdout
    assert [line for line in result.stderr.splitlines()
            if 'broken.png' in line and 'cannot decode' in line]
    for name, shape, dtype in (('deep16', (40, 56, 3), np.uint16),
                               ('gray', (40, 56), np.uint8),
                               ('alpha', (40, 56, 4), np.uint8),
                               ('rotated', (56, 40, 3), np.uint8)):
        ours = cv2.imread(str(tmp_path / 'onnx' / f'{name}.png'),
                          cv2.IMREAD_UNCHANGED)
        assert ours.shape == shape and ours.dtype == dtype, name
        # the torch path on the same file (tools/restore.py writes exactly
        # this: tests/test_tools/test_restore_tool.py)
        source = next(photo_folder.glob(name + '.*'))
        ref = save_and_read(restore(torch_model, load_image(str(source)),
                                    tile=32, tile_overlap=8), tmp_path, name)
        scale = 257 if dtype == np.uint16 else 1
        assert np.abs(ours.astype(int) - ref.astype(int)).max() <= scale


def save_and_read(image, folder, name):
    path = str(folder / f'{name}_torch.png')
    save_image(path, image)
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)


@pytest.mark.parametrize('extra,fragment', [
    (['--norm-stats', 'global'], '--norm-stats global cannot be used'),
    (['--device', 'cuda'], '--device cuda cannot be used'),
    ([], '--backend onnxruntime needs --model'),
])
def test_onnx_backend_refuses_torch_only_options(photo_folder, tmp_path,
                                                 run_tool, demo, extra,
                                                 fragment):
    model = [] if not extra else ['--model', demo.onnx]
    result = run_tool(['tools/restore.py', str(photo_folder), '--backend',
                       'onnxruntime', '--out-dir', str(tmp_path / 'o')] +
                      model + extra)
    assert result.returncode == 2, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
    assert not osp.exists(tmp_path / 'o')
