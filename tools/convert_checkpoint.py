"""Turn weights saved by the reference CycleGAN / CUT / DCLGAN / DCD-GAN code
into a lowvis checkpoint.

    python tools/convert_checkpoint.py SRC_DIR --config CFG --out OUT.pth
        [--epoch latest] [--swap-domains] [--cfg-options k=v ...]

The reference code (junyanz/pytorch-CycleGAN-and-pix2pix,
taesungp/contrastive-unpaired-translation, JunlinHan/DCLGAN,
cschenxiang/DCD-GAN) saves one plain state dict per network as
``SRC_DIR/<epoch>_net_<NAME>.pth``. Its ``G_A`` maps A to B and its ``D_A``
judges ``G_A``'s outputs, i.e. domain B:

======  =========================================  =======================
NAME    network                                    lowvis
======  =========================================  =======================
G_A     generator A -> B                           generators.A2B
G_B     generator B -> A                           generators.B2A
D_A     discriminator of domain B                  discriminators.B
D_B     discriminator of domain A                  discriminators.A
G, D    CUT's generator and discriminator          generators.A2B, ...B
F       CUT's head (queries and keys)              heads.projectors.A2B
F1, F2  heads of G_A's / G_B's encoder features    heads.projectors.A2B/B2A
======  =========================================  =======================

Generator and discriminator keys keep their names (``model.12.conv_block.1
.weight``: lowvis keeps the reference ``nn.Sequential`` layout); a head's
``mlp_<l>.<i>.<param>`` becomes ``mlps.<l>.<i>.<param>``. Every key and
shape is checked against the model the config builds; the first that does
not fit is named in a one-line error. lowvis's domain A is the degraded
(rainy) one: ``--swap-domains`` converts a run whose A was the clean domain.
The generator that restores (``generators.A2B``) is required; the other
networks are converted when their files are there.

Output: ``{'meta': {'model_type', 'cfg', 'converted_from', 'epoch',
'swap_domains'}, 'state_dict': {...}}``, plain data (loads with
``torch.load(weights_only=True)``); evaluate it with ``tools/test.py CFG
OUT.pth``.

    python tools/convert_checkpoint.py --upgrade OLD.pth --config CFG
        --out NEW.pth

converts a lowvis checkpoint of the old optimizer layout (one optimizer
state per submodule: ``generators``, ``heads``) to the current one (one
generator-side optimizer with a param group per submodule), optimizer and
param-scheduler states included; the weights are untouched. ``--resume``
does the same on the fly; this writes the converted file.
"""
import argparse
import io
import os.path as osp
import re
import sys

import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from torch import nn

from lowvis.apis.inference import config_model_type
from lowvis.engine.checkpoint_io import (atomic_write_bytes,
                                         load_local_checkpoint)
from lowvis.engine.optimizers import upgrade_optimizer_layout
from lowvis.registry import MODELS
from lowvis.utils.cli import load_config, run_main
from lowvis.utils.errors import CheckpointError, ConfigError

_TWO_SIDED = (('G_A', 'generators.A2B'), ('G_B', 'generators.B2A'),
              ('D_A', 'discriminators.B'), ('D_B', 'discriminators.A'))
_DUAL_HEADS = (('F1', 'heads.projectors.A2B'),
               ('F2', 'heads.projectors.B2A'))
#: reference network names -> lowvis submodule, per lowvis model type
NETWORKS = {
    'CycleGAN': _TWO_SIDED,
    'CUT': (('G', 'generators.A2B'), ('D', 'discriminators.B'),
            ('F', 'heads.projectors.A2B')),
    'DCLGAN': _TWO_SIDED + _DUAL_HEADS,
    'DCDGAN': _TWO_SIDED + _DUAL_HEADS,
}
#: InstanceNorm statistics that pre-0.4 PyTorch saved and lowvis has not
_OLD_NORM_STATS = ('running_mean', 'running_var', 'num_batches_tracked')
_HEAD_KEY = re.compile(r'^mlp_(\d+)\.(.+)$')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert reference-code weights to a lowvis checkpoint')
    parser.add_argument('src_dir', nargs='?',
                        help='folder with <epoch>_net_*.pth')
    parser.add_argument('--upgrade', metavar='CKPT',
                        help='instead: convert a lowvis checkpoint of the '
                        'old optimizer layout (separate generators/heads '
                        'states)')
    parser.add_argument('--config', required=True,
                        help='lowvis config of the matching method')
    parser.add_argument('--out', required=True, help='output .pth')
    parser.add_argument('--epoch', default='latest',
                        help="file prefix: 'latest' or an epoch number")
    parser.add_argument('--swap-domains', action='store_true',
                        help="the run's domain A was the clean one")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='override config keys: key=value')
    return parser.parse_args(argv)


def swap_domains(prefix):
    """``generators.A2B`` <-> ``generators.B2A``, ``...B`` <-> ``...A``."""
    table = {'A2B': 'B2A', 'B2A': 'A2B', 'A': 'B', 'B': 'A'}
    group, _, name = prefix.rpartition('.')
    return f'{group}.{table[name]}'


def network_targets(model_type, swap):
    """``[(reference name, lowvis prefix)]`` of a model type."""
    if model_type not in NETWORKS:
        raise ConfigError(f'convert_checkpoint: no reference layout for '
                          f'{model_type}; supported: {sorted(NETWORKS)}')
    if swap and model_type == 'CUT':
        raise ConfigError('--swap-domains: CUT is one-sided, its G maps the '
                          "run's A to B; there is no other direction")
    return [(name, swap_domains(prefix) if swap else prefix)
            for name, prefix in NETWORKS[model_type]]


def read_reference(path):
    """A reference state dict (``weights_only``), ``module.`` stripped."""
    state = load_local_checkpoint(path, map_location='cpu')
    if not isinstance(state, dict) or not all(
            isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f'{path} is not a state dict of tensors')
    if state and all(k.startswith('module.') for k in state):
        state = {k[len('module.'):]: v for k, v in state.items()}
    return state


def is_old_norm_stat(model, target):
    """True for InstanceNorm running statistics lowvis does not keep."""
    module_path, _, leaf = target.rpartition('.')
    if leaf not in _OLD_NORM_STATS:
        return False
    try:
        module = model.get_submodule(module_path)
    except AttributeError:
        return False
    return isinstance(module, nn.InstanceNorm2d)


def map_network(state, prefix, path, model, expected):
    """Rename one network's keys under ``prefix`` and check each one.

    Returns:
        dict of lowvis keys -> tensors covering every weight of ``prefix``.
    """
    head = prefix.startswith('heads.')
    out = {}
    for key, value in state.items():
        match = _HEAD_KEY.match(key) if head else None
        if head and match is None:
            raise CheckpointError(f'{path}: key {key} is not a head weight '
                                  "(mlp_<layer>.<index>.<param>)")
        local = f'mlps.{match.group(1)}.{match.group(2)}' if head else key
        target = f'{prefix}.{local}'
        if target not in expected:
            if is_old_norm_stat(model, target):
                continue
            raise CheckpointError(
                f'{path}: key {key} has no counterpart {target} in the '
                f"config's {type(model).__name__}; check --config (widths, "
                'n_blocks, antialias, nce_layers) and --swap-domains')
        if tuple(value.shape) != tuple(expected[target].shape):
            raise CheckpointError(
                f'{path}: key {key} has shape {tuple(value.shape)} but '
                f'{target} is {tuple(expected[target].shape)}; check the '
                "config's widths (ngf, ndf, n_layers, out_channels)")
        out[target] = value.to(expected[target].dtype).clone()
    missing = [k for k in expected if k.startswith(prefix + '.')
               and k not in out]
    if missing:
        raise CheckpointError(
            f'{path} lacks {len(missing)} weights of {prefix} (first: '
            f'{missing[0]}); check --config and --epoch')
    return out


def convert(src_dir, cfg, epoch='latest', swap=False):
    """Read the reference files of ``cfg``'s method from ``src_dir``.

    Returns:
        ``(state_dict, converted_from)``: lowvis keys -> tensors, and the
        reference name -> file of every network converted.
    """
    if not osp.isdir(src_dir):
        raise ConfigError(f'reference checkpoint folder not found: '
                          f'{src_dir}')
    init_default_scope(cfg.get('default_scope', 'lowvis'))
    model = MODELS.build(cfg.model)
    model_type = type(model).__name__
    expected = {k: v for k, v in model.state_dict().items()
                if not k.endswith('_extra_state')}
    restoring = f'generators.{model.test_direction}'
    state, converted = {}, {}
    for name, prefix in network_targets(model_type, swap):
        path = osp.join(src_dir, f'{epoch}_net_{name}.pth')
        has_target = any(k.startswith(prefix + '.') for k in expected)
        if not osp.isfile(path) or not has_target:
            if prefix == restoring:
                raise CheckpointError(
                    f'{path} not found: it holds the restoring generator '
                    f'({prefix}); check SRC_DIR and --epoch')
            why = 'not found' if has_target else \
                f'the config builds no {prefix}'
            print(f'skipped {name}: {why}', file=sys.stderr)
            continue
        state.update(map_network(read_reference(path), prefix, path, model,
                                 expected))
        converted[name] = osp.abspath(path)
    return state, converted


def upgrade(path, cfg):
    """A lowvis checkpoint of the old optimizer layout, converted.

    Returns:
        dict: the checkpoint with one generator-side optimizer state (and
        param-scheduler list) in place of one per submodule.
    """
    if not osp.isfile(path):
        raise ConfigError(f'--upgrade: checkpoint not found: {path}')
    checkpoint = load_local_checkpoint(path, map_location='cpu')
    init_default_scope(cfg.get('default_scope', 'lowvis'))
    side = MODELS.build(cfg.model).generator_side()
    if not isinstance(checkpoint, dict) or 'optimizer' not in checkpoint:
        raise CheckpointError(f'{path} holds no optimizer state: nothing to '
                              'upgrade (weights load as they are)')
    if not upgrade_optimizer_layout(checkpoint, {side[0]: side}):
        raise CheckpointError(
            f'{path} is not in the old optimizer layout: its optimizer '
            f'states are {sorted(checkpoint["optimizer"])} and the '
            f"config's generator side is {list(side)}")
    return checkpoint


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if args.upgrade:
        if args.src_dir:
            raise ConfigError('give either SRC_DIR (reference weights) or '
                              '--upgrade CKPT, not both')
        checkpoint = upgrade(args.upgrade, cfg)
        buffer = io.BytesIO()
        torch.save(checkpoint, buffer)
        atomic_write_bytes(buffer.getvalue(), args.out)
        print(f'wrote {args.out}: optimizer states '
              f'{", ".join(sorted(checkpoint["optimizer"]))}')
        return checkpoint
    if not args.src_dir:
        raise ConfigError('SRC_DIR (folder of reference weights) or '
                          '--upgrade CKPT is required')
    state, converted = convert(args.src_dir, cfg, args.epoch,
                               args.swap_domains)
    checkpoint = dict(
        meta=dict(model_type=config_model_type(cfg), cfg=cfg.pretty_text,
                  converted_from=converted, epoch=str(args.epoch),
                  swap_domains=bool(args.swap_domains)),
        state_dict=state)
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    atomic_write_bytes(buffer.getvalue(), args.out)
    print(f'wrote {args.out}: {len(state)} tensors from '
          f'{", ".join(sorted(converted))}')
    return checkpoint


if __name__ == '__main__':
    run_main(main)
