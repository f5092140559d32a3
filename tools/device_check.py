"""The prepared GPU check behind ``tools/device_check.sh`` (one CUDA GPU).

    python tools/device_check.py [--out-dir work_dirs/device_check]
        [--budget-s 480] [--iters 30]

Steps, each a subprocess with its own time limit, all within ``--budget-s``
(a step that no longer fits is recorded as skipped, so the whole check ends
within the budget):

1. ``pytest -m cuda``: the tests that use CUDA when it is there;
2. ``tools/benchmark.py configs/dcdgan_rain800.py`` at 256 px, ``--iters``
   timed iterations after a warm-up, for fp32, fp16 and bf16 (s/iter,
   images/s, peak ``torch.cuda.max_memory_allocated``, losses finite), then
   the same with ``--channels-last`` and with ``--compile``;
3. ``tools/restore.py`` of one 3000x2000 image on the GPU (a freshly
   initialised DCD-GAN: speed and memory, not quality);
4. 2-process training of the micro CycleGAN on the one GPU with gloo
   (``tools/dist_train.sh ... 2 --cfg-options env_cfg.dist_cfg.backend=gloo``).

Writes ``device_check.json`` (every step's command, exit code, seconds,
output tail and numbers) and ``device_check.md`` into ``--out-dir``.
Without a CUDA device it prints one ``error:`` line and exits 2.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PAPER_CONFIG = 'configs/dcdgan_rain800.py'
MICRO_CONFIG = 'tests/configs/cyclegan_micro.py'
PRECISIONS = ('fp32', 'fp16', 'bf16')
#: (label, extra benchmark flags, warm-up iterations, time limit in s)
BENCHMARK_VARIANTS = (('default', [], 3, 100),
                      ('channels_last', ['--channels-last'], 3, 100),
                      ('compile', ['--compile'], 5, 200))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Check lowvis on one GPU')
    parser.add_argument('--out-dir', default='work_dirs/device_check')
    parser.add_argument('--budget-s', type=float, default=480.0,
                        help='whole check, seconds (default 8 minutes)')
    parser.add_argument('--iters', type=int, default=30,
                        help='timed training iterations per row')
    return parser.parse_args(argv)


def require_cuda():
    """One ``error:`` line and exit 2 unless torch sees a CUDA device."""
    import torch
    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    visible = os.environ.get('CUDA_VISIBLE_DEVICES')
    hint = f', CUDA_VISIBLE_DEVICES={visible!r}' if visible is not None \
        else ''
    print(f'error: tools/device_check.sh needs a CUDA GPU and torch sees '
          f'none (torch {torch.__version__}, built for CUDA '
          f'{torch.version.cuda}{hint}); run it on a GPU machine',
          file=sys.stderr)
    sys.exit(2)


class Steps:
    """Run commands within one time budget; keep what each gave."""

    def __init__(self, budget_s):
        self.deadline = time.monotonic() + budget_s
        self.records = []

    def run(self, name, command, limit_s, env=None):
        left = self.deadline - time.monotonic()
        record = dict(name=name, command=command, limit_s=limit_s)
        self.records.append(record)
        if left < min(limit_s, 30):
            record.update(status='skipped (time budget)')
            return record
        limit = min(limit_s, left)
        start = time.monotonic()
        try:
            proc = subprocess.run(
                command, cwd=REPO, capture_output=True, text=True,
                timeout=limit, env=dict(os.environ, **(env or {})))
            record.update(rc=proc.returncode, status='ok' if
                          proc.returncode == 0 else 'failed',
                          tail=(proc.stdout + proc.stderr)[-3000:])
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b'') + (e.stderr or b'')
            out = out.decode(errors='replace') if isinstance(out, bytes) \
                else out
            record.update(rc=None, status=f'timed out after {limit:.0f} s',
                          tail=out[-3000:])
        record['seconds'] = round(time.monotonic() - start, 1)
        return record


def benchmark_steps(steps, out_dir, iters):
    rows = []
    for label, flags, warmup, limit in BENCHMARK_VARIANTS:
        bench_dir = osp.join(out_dir, f'benchmark_{label}')
        record = steps.run(
            f'benchmark {label}',
            [sys.executable, 'tools/benchmark.py', PAPER_CONFIG, '--device',
             'cuda', '--size', '256', '--iters', str(iters), '--warmup',
             str(warmup), '--precision', *PRECISIONS, '--out-dir',
             bench_dir] + flags, limit)
        report = osp.join(bench_dir, 'benchmark.json')
        if record.get('status') == 'ok' and osp.isfile(report):
            with open(report) as f:
                for r in json.load(f)['methods']:
                    rows.append(dict(
                        variant=label, precision=r['precision'],
                        s_per_iter=r['train_iter_s'],
                        images_per_s=r['images_per_s'],
                        peak_mb=r['memory']['cuda_peak_mb'],
                        losses_finite=r['losses_finite']))
        else:
            rows.append(dict(variant=label, precision='all',
                             status=record['status']))
    return rows


def restore_step(steps, out_dir):
    """Restore one 3000x2000 image with a freshly initialised DCD-GAN."""
    import numpy as np
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from lowvis.datasets.image_io import write_image
    from lowvis.registry import MODELS
    folder = osp.join(out_dir, 'restore')
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (2000, 3000, 3), dtype=np.uint8)
    write_image(osp.join(folder, 'input_3000x2000.png'), image)
    cfg = Config.fromfile(osp.join(REPO, PAPER_CONFIG))
    init_default_scope('lowvis')
    model = MODELS.build(cfg.model)
    checkpoint = osp.join(folder, 'init.pth')
    torch.save(dict(meta=dict(note='initial weights: speed only'),
                    state_dict=model.state_dict()), checkpoint)
    record = steps.run(
        'restore 3000x2000',
        [sys.executable, 'tools/restore.py',
         osp.join(folder, 'input_3000x2000.png'), '--config', PAPER_CONFIG,
         '--checkpoint', checkpoint, '--out-dir', osp.join(folder, 'out'),
         '--device', 'cuda', '--overwrite'], 120)
    record['output_exists'] = osp.isfile(
        osp.join(folder, 'out', 'input_3000x2000.png'))
    return record


def dist_step(steps, out_dir):
    """2 processes on the one GPU, gloo, the micro CycleGAN."""
    data = osp.join(out_dir, 'demo_rain')
    steps.run('demo data', [sys.executable, 'tools/make_demo_data.py',
                            '--out', data, '--force'], 60)
    roots = [f'{loader}.dataset.data_root={data}' for loader in
             ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    record = steps.run(
        '2-process gloo training on 1 GPU',
        ['bash', 'tools/dist_train.sh', MICRO_CONFIG, '2', '--work-dir',
         osp.join(out_dir, 'dist_gloo'), '--cfg-options',
         'env_cfg.dist_cfg.backend=gloo', *roots], 180,
        env=dict(PYTHON=sys.executable, PORT='29517'))
    record['shared_gpu_note'] = 'sharing them' in record.get('tail', '')
    return record


def markdown(report):
    lines = ['# lowvis device check', '',
             f'{report["device"]}; torch {report["torch"]}; commit '
             f'{report["commit"]}; {report["date"]}; {report["seconds"]} s '
             'in all.', '', '## Steps', '',
             '| step | status | seconds |', '|---|---|---|']
    lines += [f'| {s["name"]} | {s["status"]} | {s.get("seconds", "-")} |'
              for s in report['steps']]
    lines += ['', f'## {PAPER_CONFIG} at 256 px, batch 1, '
              f'{report["iters"]} timed iterations', '',
              '| variant | precision | s / iter | images / s | peak MB '
              '(max allocated) | losses finite |', '|---|---|---|---|---|---|']
    for r in report['benchmark']:
        if 'status' in r:
            lines.append(f'| {r["variant"]} | - | {r["status"]} | | | |')
            continue
        lines.append(f'| {r["variant"]} | {r["precision"]} | '
                     f'{r["s_per_iter"]:.4f} | {r["images_per_s"]:.2f} | '
                     f'{r["peak_mb"]:.0f} | {r["losses_finite"]} |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    device = require_cuda()
    import torch
    start = time.monotonic()
    out_dir = osp.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    steps = Steps(args.budget_s)
    steps.run('pytest -m cuda', [sys.executable, '-m', 'pytest', '-m',
                                 'cuda', '-q', '-p', 'no:cacheprovider',
                                 'tests'], 120)
    rows = benchmark_steps(steps, out_dir, args.iters)
    restore_step(steps, out_dir)
    dist_step(steps, out_dir)
    commit = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    report = dict(device=device, torch=torch.__version__, commit=commit,
                  date=time.strftime('%Y-%m-%d %H:%M:%S'), iters=args.iters,
                  seconds=round(time.monotonic() - start, 1),
                  steps=steps.records, benchmark=rows)
    with open(osp.join(out_dir, 'device_check.json'), 'w') as f:
        json.dump(report, f, indent=2)
    text = markdown(report)
    with open(osp.join(out_dir, 'device_check.md'), 'w') as f:
        f.write(text)
    print(text)
    print(f'wrote {out_dir}/device_check.json and device_check.md')
    failed = [s['name'] for s in steps.records if s['status'] != 'ok']
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
