"""tools/convert_checkpoint.py on state dicts laid out as the reference code
saves them (key names and shapes written out here from the reference
networks' layer lists, not taken from lowvis modules)."""
import os.path as osp
import sys

import pytest
import torch

from lowvis.apis import init_model
from lowvis.engine.checkpoint_io import load_local_checkpoint
from lowvis.utils.cli import run_main
from lowvis.utils.errors import CheckpointError, ConfigError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tools'))
import convert_checkpoint  # noqa: E402

sys.path.remove(osp.join(REPO, 'tools'))


def cfg(name):
    return osp.join(REPO, 'configs', f'{name}.py')

NGF = NDF = 16  # the demo configs' widths: 3 residual blocks, 2 D layers


def conv(keys, index, c_out, c_in, k, bias=True, prefix='model'):
    keys[f'{prefix}.{index}.weight'] = (c_out, c_in, k, k)
    if bias:
        keys[f'{prefix}.{index}.bias'] = (c_out,)


def reference_generator(ngf, n_blocks, antialias):
    """Keys of ResnetGenerator (CycleGAN; CUT/DCLGAN with antialias).

    [pad, conv7, norm, relu] + 2 x down + n_blocks x ResnetBlock
    ([pad, conv3, norm, relu, pad, conv3, norm]) + 2 x up + [pad, conv7,
    tanh]. Down: [conv3 s2, norm, relu] or [conv3, norm, relu,
    Downsample(filt 3x3)]; up: [convT3 s2, norm, relu] or [Upsample(filt
    4x4), conv3, norm, relu]. Instance norm: no parameters, convs biased.
    """
    keys, i = {}, 4
    conv(keys, 1, ngf, 3, 7)
    for mult in (1, 2):
        conv(keys, i, ngf * mult * 2, ngf * mult, 3)
        if antialias:
            keys[f'model.{i + 3}.filt'] = (ngf * mult * 2, 1, 3, 3)
        i += 4 if antialias else 3
    for _ in range(n_blocks):
        for j in (1, 5):
            conv(keys, j, ngf * 4, ngf * 4, 3,
                 prefix=f'model.{i}.conv_block')
        i += 1
    for mult in (4, 2):
        if antialias:
            keys[f'model.{i}.filt'] = (ngf * mult, 1, 4, 4)
            conv(keys, i + 1, ngf * mult // 2, ngf * mult, 3)
            i += 4
        else:  # ConvTranspose2d weights are [in, out, k, k]
            keys[f'model.{i}.weight'] = (ngf * mult, ngf * mult // 2, 3, 3)
            keys[f'model.{i}.bias'] = (ngf * mult // 2,)
            i += 3
    conv(keys, i + 1, 3, ngf, 7)
    return keys


def reference_discriminator(ndf, n_layers, antialias):
    """Keys of NLayerDiscriminator: [conv4, lrelu(, Downsample)], then per
    layer [conv4, norm, lrelu(, Downsample)], then [conv4, norm, lrelu,
    conv4 -> 1]."""
    keys = {}
    conv(keys, 0, ndf, 3, 4)
    i = 2
    if antialias:
        keys['model.2.filt'] = (ndf, 1, 3, 3)
        i = 3
    mult = 1
    for n in range(1, n_layers):
        prev, mult = mult, min(2**n, 8)
        conv(keys, i, ndf * mult, ndf * prev, 4)
        if antialias:
            keys[f'model.{i + 3}.filt'] = (ndf * mult, 1, 3, 3)
        i += 4 if antialias else 3
    prev, mult = mult, min(2**n_layers, 8)
    conv(keys, i, ndf * mult, ndf * prev, 4)
    conv(keys, i + 3, 1, ndf * mult, 4)
    return keys


def reference_head(channels, nc=256):
    """Keys of PatchSampleF: mlp_<l> = [Linear(C_l, nc), ReLU, Linear]."""
    keys = {}
    for layer, c in enumerate(channels):
        keys[f'mlp_{layer}.0.weight'] = (nc, c)
        keys[f'mlp_{layer}.0.bias'] = (nc,)
        keys[f'mlp_{layer}.2.weight'] = (nc, nc)
        keys[f'mlp_{layer}.2.bias'] = (nc,)
    return keys


#: channels of the demo taps: layer 0 is the padded image (3), layer 4 the
#: first down conv (2 ngf), 8 the second (4 ngf), 12+ residual blocks
CUT_CHANNELS = [3, 2 * NGF, 4 * NGF, 4 * NGF, 4 * NGF]
DCL_CHANNELS = [2 * NGF, 4 * NGF, 4 * NGF, 4 * NGF]


def write_nets(folder, layouts, epoch='latest', seed=0):
    """Save random tensors of each layout as <epoch>_net_<name>.pth."""
    gen = torch.Generator().manual_seed(seed)
    saved = {}
    for name, layout in layouts.items():
        state = {k: torch.randn(shape, generator=gen)
                 for k, shape in layout.items()}
        torch.save(state, osp.join(folder, f'{epoch}_net_{name}.pth'))
        saved[name] = state
    return saved


def two_sided(antialias, heads=None):
    g = reference_generator(NGF, 3, antialias)
    d = reference_discriminator(NDF, 2, antialias)
    nets = dict(G_A=g, G_B=g, D_A=d, D_B=d)
    if heads:
        nets.update(F1=reference_head(heads), F2=reference_head(heads))
    return nets


def convert(tmp_path, config, *extra):
    out = str(tmp_path / 'converted.pth')
    convert_checkpoint.main([str(tmp_path), '--config', config, '--out',
                             out, *extra])
    return out


def test_cut_files_map_onto_the_cut_model(tmp_path):
    saved = write_nets(tmp_path, dict(
        G=reference_generator(NGF, 3, True),
        D=reference_discriminator(NDF, 2, True),
        F=reference_head(CUT_CHANNELS)))
    out = convert(tmp_path, cfg('cut_demo'))
    ckpt = load_local_checkpoint(out)  # weights_only
    assert ckpt['meta']['model_type'] == 'CUT'
    assert set(ckpt['meta']['converted_from']) == {'G', 'D', 'F'}
    model = init_model(cfg('cut_demo'), out)
    state = model.state_dict()
    for key, value in saved['G'].items():
        torch.testing.assert_close(state[f'generators.A2B.{key}'], value)
    torch.testing.assert_close(state['discriminators.B.model.7.weight'],
                               saved['D']['model.7.weight'])
    torch.testing.assert_close(
        state['heads.projectors.A2B.mlps.4.2.weight'],
        saved['F']['mlp_4.2.weight'])
    with torch.no_grad():
        assert torch.isfinite(model(dict(img_A=torch.zeros(1, 3, 16, 16)))
                              ).all()


# dcdgan_demo uses CycleGAN's sampling layout: the reference code's
# --no_antialias --no_antialias_up networks
@pytest.mark.parametrize('name,antialias', [('dclgan_demo', True),
                                            ('dcdgan_demo', False)])
def test_dual_head_files_keep_their_directions(tmp_path, name, antialias):
    config = cfg(name)
    saved = write_nets(tmp_path, two_sided(antialias, DCL_CHANNELS))
    out = convert(tmp_path, config)
    state = load_local_checkpoint(out)['state_dict']
    pairs = dict(G_A='generators.A2B', G_B='generators.B2A',
                 D_A='discriminators.B', D_B='discriminators.A')
    for name, prefix in pairs.items():
        for key, value in saved[name].items():
            torch.testing.assert_close(state[f'{prefix}.{key}'], value)
    for name, head in (('F1', 'A2B'), ('F2', 'B2A')):
        torch.testing.assert_close(
            state[f'heads.projectors.{head}.mlps.1.0.weight'],
            saved[name]['mlp_1.0.weight'])
    swapped = convert(tmp_path, config, '--swap-domains')
    state = load_local_checkpoint(swapped)['state_dict']
    torch.testing.assert_close(state['generators.B2A.model.1.weight'],
                               saved['G_A']['model.1.weight'])
    torch.testing.assert_close(state['heads.projectors.A2B.mlps.0.0.bias'],
                               saved['F2']['mlp_0.0.bias'])


def test_cyclegan_generator_only_and_an_epoch_number(tmp_path):
    nets = two_sided(False)
    saved = write_nets(tmp_path, dict(G_A=nets['G_A']), epoch='200')
    out = convert(tmp_path, cfg('cyclegan_demo'), '--epoch', '200')
    state = load_local_checkpoint(out)['state_dict']
    assert set(state) == {f'generators.A2B.{k}' for k in saved['G_A']}
    with pytest.warns(UserWarning, match='outside the restoring generator'):
        model = init_model(cfg('cyclegan_demo'), out)
    torch.testing.assert_close(  # the last 7x7 conv (no antialias layout)
        model.state_dict()['generators.A2B.model.20.weight'],
        saved['G_A']['model.20.weight'])


def test_pre_0_4_instance_norm_statistics_are_dropped(tmp_path):
    layout = dict(reference_generator(NGF, 3, False))
    layout['model.2.running_mean'] = (NGF,)
    layout['model.2.running_var'] = (NGF,)
    write_nets(tmp_path, dict(G_A=layout))
    state = load_local_checkpoint(
        convert(tmp_path, cfg('cyclegan_demo')))['state_dict']
    assert 'generators.A2B.model.2.running_mean' not in state


def test_unmatched_key_is_named(tmp_path):
    layout = dict(reference_generator(NGF, 3, True))
    layout['model.40.weight'] = (3, 3, 1, 1)
    write_nets(tmp_path, dict(G=layout))
    with pytest.raises(CheckpointError, match=r'latest_net_G.pth: key '
                       r'model\.40\.weight has no counterpart '
                       r'generators\.A2B\.model\.40\.weight'):
        convert(tmp_path, cfg('cut_demo'))


def test_wrong_width_names_key_and_shapes(tmp_path):
    write_nets(tmp_path, dict(G=reference_generator(32, 3, True)))
    with pytest.raises(CheckpointError,
                       match=r'key model\.1\.weight has shape '
                       r'\(32, 3, 7, 7\) but generators\.A2B\.model\.1\.'
                       r'weight is \(16, 3, 7, 7\)'):
        convert(tmp_path, cfg('cut_demo'))


def test_incomplete_network_and_missing_generator(tmp_path):
    layout = dict(reference_generator(NGF, 3, True))
    del layout['model.13.conv_block.5.bias']
    write_nets(tmp_path, dict(G=layout))
    with pytest.raises(CheckpointError, match=r'lacks 1 weights of '
                       r'generators\.A2B \(first: generators\.A2B\.model\.13'
                       r'\.conv_block\.5\.bias\)'):
        convert(tmp_path, cfg('cut_demo'))
    with pytest.raises(CheckpointError, match='latest_net_G_A.pth not found'):
        convert(tmp_path, cfg('dclgan_demo'))
    with pytest.raises(ConfigError, match='CUT is one-sided'):
        convert(tmp_path, cfg('cut_demo'), '--swap-domains')


def test_command_line_prints_one_line_errors(tmp_path, capsys):
    argv = [str(tmp_path / 'no'), '--config', cfg('cut_demo'),
            '--out', str(tmp_path / 'x.pth')]
    with pytest.raises(SystemExit) as exit_info:
        run_main(lambda: convert_checkpoint.main(argv))
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f'error: reference checkpoint folder not found: {tmp_path / "no"}']
