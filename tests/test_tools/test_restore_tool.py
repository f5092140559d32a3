"""tools/restore.py: layouts, EXIF, globs, bad files, never overwriting."""
import os
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
from PIL import Image

from lowvis.apis import init_model, restore
from lowvis.datasets import list_images, read_image
from lowvis.utils.errors import ConfigError
from tool_modules import error_line, load_tool


def _write_exif_jpeg(path, rgb, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation  # 6: display rotated 90 degrees clockwise
    Image.fromarray(rgb).save(path, quality=95, exif=exif.tobytes())


@pytest.fixture(scope='module')
def inputs(micro_checkpoint, tmp_path_factory):
    """A folder of assorted images, and one more image matched by a glob."""
    folder = tmp_path_factory.mktemp('restore_in')
    sources = list_images(osp.join(micro_checkpoint.data_root, 'testA'))
    for path in sources[:2]:
        shutil.copy(path, folder)
    rgb = read_image(sources[2])[:40, :56]
    cv2.imwrite(str(folder / 'deep16.png'),
                (rgb[:, :, ::-1].astype(np.uint16) * 257))
    cv2.imwrite(str(folder / 'gray.png'), rgb[:, :, 1])
    rgba = np.dstack([rgb[:, :, ::-1], np.arange(40 * 56, dtype=np.uint8)
                      .reshape(40, 56)])
    cv2.imwrite(str(folder / 'alpha.png'), rgba)
    (folder / 'broken.png').write_bytes(b'not an image at all')
    _write_exif_jpeg(str(folder / 'rotated.jpg'), rgb, 6)
    extra = tmp_path_factory.mktemp('restore_glob')
    shutil.copy(sources[3], extra / 'globbed.png')
    return folder, extra, sources


@pytest.fixture(scope='module')
def restored(micro_checkpoint, inputs, run_tool, tmp_path_factory):
    folder, extra, _ = inputs
    out_dir = tmp_path_factory.mktemp('restore_out') / 'out'
    result = run_tool([
        'tools/restore.py', str(folder), str(extra / '*.png'),
        '--config', micro_checkpoint.config, '--checkpoint',
        micro_checkpoint.checkpoint, '--out-dir', str(out_dir), '--tile', '64',
        '--tile-overlap', '16'])
    return out_dir, result


def test_bad_file_is_reported_once_and_skipped(restored, inputs):
    out_dir, result = restored
    assert result.returncode == 1, result.stderr[-3000:]
    mentions = [line for line in result.stderr.splitlines()
                if 'broken.png' in line]
    assert len(mentions) == 1 and 'cannot decode' in mentions[0]
    assert not osp.exists(out_dir / 'broken.png')
    assert 'restored 7 of 8 images' in result.stdout


def test_outputs_match_the_api(restored, inputs, micro_checkpoint):
    out_dir, sources = restored[0], inputs[2]
    model = init_model(micro_checkpoint.config, micro_checkpoint.checkpoint)
    for src, name in ((sources[0], osp.basename(sources[0])),
                      (sources[3], 'globbed.png')):
        img = read_image(src)
        out = read_image(str(out_dir / name))
        assert out.shape == img.shape
        assert np.array_equal(out, restore(model, img, tile=64,
                                           tile_overlap=16))


def test_depth_gray_alpha_and_exif_are_kept(restored):
    out_dir = restored[0]
    deep = cv2.imread(str(out_dir / 'deep16.png'), cv2.IMREAD_UNCHANGED)
    assert deep.dtype == np.uint16 and deep.shape == (40, 56, 3)
    gray = cv2.imread(str(out_dir / 'gray.png'), cv2.IMREAD_UNCHANGED)
    assert gray.shape == (40, 56)
    rgba = cv2.imread(str(out_dir / 'alpha.png'), cv2.IMREAD_UNCHANGED)
    assert rgba.shape == (40, 56, 4)
    assert np.array_equal(rgba[:, :, 3], np.arange(40 * 56, dtype=np.uint8)
                          .reshape(40, 56))
    # EXIF orientation 6: the 40x56 photo is shown (and restored) as 56x40
    assert read_image(str(out_dir / 'rotated.png')).shape == (56, 40, 3)


tool = load_tool('restore.py')


def test_refuses_to_write_into_an_input_folder(micro_checkpoint, inputs):
    folder = str(inputs[0])
    before = sorted(os.listdir(folder))
    with pytest.raises(ConfigError) as info:
        tool.main([folder, '--config', micro_checkpoint.config,
                   '--checkpoint', micro_checkpoint.checkpoint, '--out-dir',
                   folder])
    message = str(info.value)
    assert folder in message and '--overwrite' in message
    assert '\n' not in message
    assert sorted(os.listdir(folder)) == before


def test_never_overwrites_an_input_even_with_overwrite(micro_checkpoint,
                                                       inputs):
    folder = str(inputs[0])
    with pytest.raises(ConfigError, match='would overwrite its input'):
        tool.main([osp.join(folder, 'gray.png'), '--config',
                   micro_checkpoint.config, '--checkpoint',
                   micro_checkpoint.checkpoint, '--out-dir', folder,
                   '--overwrite'])


def test_refuses_existing_outputs_unless_overwrite(micro_checkpoint, inputs,
                                                   tmp_path):
    src = inputs[2][0]
    target = tmp_path / osp.basename(src)
    target.write_bytes(b'keep me')
    args = [src, '--config', micro_checkpoint.config, '--checkpoint',
            micro_checkpoint.checkpoint, '--out-dir', str(tmp_path)]
    with pytest.raises(ConfigError, match='already exist') as info:
        tool.main(args)
    assert str(target) in str(info.value)
    assert target.read_bytes() == b'keep me'
    assert tool.main(args + ['--overwrite']) == 0
    assert read_image(str(target)).shape == read_image(src).shape


def test_duplicate_output_names_are_refused(micro_checkpoint, inputs,
                                            tmp_path):
    src = inputs[2][0]
    twin = tmp_path / 'twin'
    twin.mkdir()
    shutil.copy(src, twin)
    with pytest.raises(ConfigError, match='would both be written'):
        tool.main([src, str(twin), '--config', micro_checkpoint.config,
                   '--checkpoint', micro_checkpoint.checkpoint, '--out-dir',
                   str(tmp_path / 'out')])


def test_missing_checkpoint_is_one_line(micro_checkpoint, inputs, run_tool,
                                        tmp_path):
    missing = str(tmp_path / 'missing.pth')
    result = run_tool(['tools/restore.py', inputs[2][0], '--config',
                       micro_checkpoint.config, '--checkpoint', missing,
                       '--out-dir', str(tmp_path / 'out')])
    error_line(result, missing, alone=True)
