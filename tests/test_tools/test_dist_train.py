"""tools/dist_train.sh and tools/dist_test.sh: two gloo processes on the CPU.

A probe hook (a plugin module written next to the test config) records, on
each rank, the images it trained on, the logged values, which checkpoints
that rank saved, and a checksum of every weight at the end.
"""
import csv
import json
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys

import pytest
import torch

from lowvis.datasets import UnpairedImageDataset
from lowvis.datasets.samplers import UnpairedInfiniteSampler

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MICRO_CONFIG = osp.join(REPO, 'tests', 'configs', 'cyclegan_micro.py')
ITERS, BATCH, SEED = 4, 2, 7

CONFIG = """
_base_ = [{base!r}]
data_root = {data!r}
generator = dict(type='ResnetGenerator', ngf=4, n_blocks=1,
                 global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=4, n_layers=2)
# no image pool: its content differs per rank and only rank 0's is saved
model = dict(generators=dict(A2B=generator, B2A=generator),
             discriminators=dict(B=discriminator, A=discriminator),
             pool_size=0)
train_dataloader = dict(batch_size={batch}, sampler=dict(seed={seed}),
                        dataset=dict(data_root=data_root))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(dataset=dict(data_root=data_root))
train_cfg = dict(max_iters={iters})
default_hooks = dict(checkpoint=dict(interval={interval}, save_best=None,
                                     max_keep_ckpts=5))
custom_imports = dict(imports=['rank_probe'], allow_failed_imports=False)
custom_hooks = [dict(type='PlainCheckpointHook'), dict(type='RankProbeHook')]
"""

PROBE = '''
import json
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from lowvis.registry import HOOKS


@HOOKS.register_module()
class RankProbeHook(Hook):
    priority = 'LOWEST'

    def __init__(self):
        self.names, self.logs, self.saved = [], [], []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.names += [s.img_A_path for s in data_batch['data_samples']]
        self.logs.append({k: float(v) for k, v in outputs.items()})

    def before_save_checkpoint(self, runner, checkpoint):
        self.saved.append(runner.iter + 1)

    def after_train(self, runner):
        model = runner.model.module if is_model_wrapper(runner.model) \\
            else runner.model
        sums = {k: float(v.double().sum())
                for k, v in model.state_dict().items()
                if isinstance(v, torch.Tensor)}
        path = osp.join(runner.work_dir, f'probe_rank{get_rank()}.json')
        with open(path, 'w') as f:
            json.dump(dict(names=self.names, logs=self.logs,
                           saved=self.saved, sums=sums,
                           wrapped=is_model_wrapper(runner.model)), f)
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run_script(script, *args, extra_path='', cwd=REPO):
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHON=sys.executable,
               PORT=str(free_port()))
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (extra_path, REPO, env.get('PYTHONPATH')) if p)
    return subprocess.run(['bash', osp.join(REPO, 'tools', script), *args],
                          cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope='module')
def dist_run(tmp_path_factory, demo_data_root):
    folder = tmp_path_factory.mktemp('dist_train')
    (folder / 'rank_probe.py').write_text(PROBE)
    config = folder / 'micro_dist.py'
    config.write_text(CONFIG.format(base=MICRO_CONFIG, data=demo_data_root,
                                    batch=BATCH, seed=SEED, iters=ITERS,
                                    interval=ITERS // 2))
    work_dir = folder / 'work'
    proc = run_script('dist_train.sh', str(config), '2', '--work-dir',
                      str(work_dir), extra_path=str(folder))
    assert proc.returncode == 0, proc.stderr[-3000:]
    probes = [json.loads((work_dir / f'probe_rank{r}.json').read_text())
              for r in (0, 1)]
    return config, work_dir, probes, proc


def expected_shards(data_root):
    """A paths of the first ITERS batches of each of 2 ranks."""
    dataset = UnpairedImageDataset(data_root)
    stream = iter(UnpairedInfiniteSampler(dataset, seed=SEED))
    items = [dataset.get_data_info(next(stream))['img_A_path']
             for _ in range(2 * ITERS * BATCH)]
    return items[0::2], items[1::2]


def test_ranks_train_on_their_own_shard(dist_run, demo_data_root):
    _, _, probes, _ = dist_run
    rank0, rank1 = expected_shards(demo_data_root)
    assert probes[0]['names'] == rank0
    assert probes[1]['names'] == rank1
    assert not set(rank0) & set(rank1)


def test_ranks_stay_in_sync_and_log_the_mean(dist_run):
    _, _, probes, proc = dist_run
    assert probes[0]['wrapped'] and probes[1]['wrapped']
    # different data, identical weights: the gradients were all-reduced
    assert probes[0]['sums'] == probes[1]['sums']
    # the logged losses are averaged over ranks, hence identical
    assert len(probes[0]['logs']) == ITERS
    assert probes[0]['logs'] == probes[1]['logs']
    assert 'loss_cycle_A' in probes[0]['logs'][0]
    if not torch.cuda.is_available():
        assert 'training on the CPU with 2 gloo processes' in proc.stderr


def test_only_rank0_writes_the_checkpoint(dist_run):
    _, work_dir, probes, _ = dist_run
    assert probes[0]['saved'] == [ITERS // 2, ITERS]
    assert probes[1]['saved'] == []
    ckpt = load(work_dir / f'iter_{ITERS}.pth')
    assert ckpt['meta']['iter'] == ITERS
    # keys as in a single-process run (no DDP 'module.')
    assert not [k for k in ckpt['state_dict'] if '.module.' in k]
    sums = {k: float(v.double().sum()) for k, v in ckpt['state_dict'].items()
            if isinstance(v, torch.Tensor)}
    assert sums == probes[0]['sums']
    assert sorted(p.name for p in work_dir.glob('*.pth')) == [
        f'iter_{ITERS // 2}.pth', f'iter_{ITERS}.pth']


def load(path):
    return torch.load(path, map_location='cpu', weights_only=True)


def test_dist_resume_ends_identical(dist_run, tmp_path):
    config, work_dir, _, _ = dist_run
    shutil.copy(work_dir / f'iter_{ITERS // 2}.pth', tmp_path)
    proc = run_script('dist_train.sh', str(config), '2', '--work-dir',
                      str(tmp_path), '--resume', extra_path=str(config.parent))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f'Resuming at iteration {ITERS // 2}' in proc.stdout + proc.stderr
    full, resumed = load(work_dir / f'iter_{ITERS}.pth'), \
        load(tmp_path / f'iter_{ITERS}.pth')
    for part in ('state_dict', 'optimizer'):  # bit-identical
        torch.testing.assert_close(full[part], resumed[part], rtol=0, atol=0)


def read_csv(path):
    with open(path, newline='') as f:
        return {row['name']: row for row in csv.DictReader(f)}


def test_dist_test_matches_a_single_process_test(dist_run, tmp_path):
    config, work_dir, _, _ = dist_run
    ckpt = str(work_dir / f'iter_{ITERS}.pth')
    env_path = str(config.parent)
    dist_out, single_out = tmp_path / 'dist', tmp_path / 'single'
    proc = run_script('dist_test.sh', str(config), ckpt, '2', '--work-dir',
                      str(tmp_path / 'wd_dist'), '--out-dir', str(dist_out),
                      extra_path=env_path, cwd=tmp_path)  # mmengine's
    # result collection leaves a .dist_test/ folder in the working dir
    assert proc.returncode == 0, proc.stderr[-3000:]
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join([env_path, REPO]))
    single = subprocess.run(
        [sys.executable, 'tools/test.py', str(config), ckpt, '--work-dir',
         str(tmp_path / 'wd_single'), '--out-dir', str(single_out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert single.returncode == 0, single.stderr[-3000:]
    dist_rows = read_csv(dist_out / 'per_image_metrics.csv')
    single_rows = read_csv(single_out / 'per_image_metrics.csv')
    assert dist_rows.keys() == single_rows.keys() and len(dist_rows) > 2
    for name, row in single_rows.items():
        for key, value in row.items():
            if key != 'name':
                assert float(dist_rows[name][key]) == pytest.approx(
                    float(value), abs=1e-9), (name, key)
    assert sorted(p.stem for p in dist_out.glob('*.png')) == \
        sorted(single_rows)
    summary = json.loads((dist_out / 'summary.json').read_text())
    assert summary['num_images'] == len(single_rows)


def test_bad_process_count_is_one_line(tmp_path):
    proc = run_script('dist_train.sh', 'configs/cyclegan_demo.py', '0')
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "error: GPUS must be a positive number of processes, got '0'")


def test_two_nodes_train_to_the_weights_of_one_node(dist_run, tmp_path):
    """NNODES=2 on localhost: two launches of tools/dist_train.sh, one
    process each (NODE_RANK 0 and 1, gloo), end bit-identical to the
    2-process single-node run."""
    config, work_dir, probes, _ = dist_run
    port = str(free_port())
    nodes = []
    for node_rank in (0, 1):
        env = dict(os.environ, OMP_NUM_THREADS='1', PYTHON=sys.executable,
                   NNODES='2', NODE_RANK=str(node_rank),
                   MASTER_ADDR='127.0.0.1', PORT=port)
        env['PYTHONPATH'] = os.pathsep.join(
            p for p in (str(config.parent), REPO, env.get('PYTHONPATH'))
            if p)
        nodes.append(subprocess.Popen(
            ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), str(config),
             '1', '--work-dir', str(tmp_path)], cwd=REPO, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [node.communicate(timeout=600)[0] for node in nodes]
    for node, output in zip(nodes, outputs):
        assert node.returncode == 0, output[-3000:]
    two_nodes = [json.loads((tmp_path / f'probe_rank{r}.json').read_text())
                 for r in (0, 1)]
    for rank in (0, 1):  # same shards, logs and weights as on one node
        assert two_nodes[rank]['names'] == probes[rank]['names']
        assert two_nodes[rank]['logs'] == probes[rank]['logs']
        assert two_nodes[rank]['sums'] == probes[rank]['sums']
    full, nodes_ckpt = load(work_dir / f'iter_{ITERS}.pth'), \
        load(tmp_path / f'iter_{ITERS}.pth')
    for key, value in full['state_dict'].items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, nodes_ckpt['state_dict'][key]), key
