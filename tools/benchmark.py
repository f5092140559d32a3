"""Compare methods side by side: size, speed, memory and (--train) quality.

    python tools/benchmark.py CONFIG [CONFIG ...] [--size S] [--iters 5]
        [--warmup 1] [--batch-size N] [--train] [--train-iters N]
        [--data-root DIR] [--out-dir DIR] [--vs NAME] [--device cpu|cuda]
        [--precision fp32 bf16 ...] [--channels-last] [--compile]

CONFIG may be a glob. Each config is measured in its own subprocess (so its
peak memory is its own), at SIZE (default: the config's ``crop_size``, 256
without one): parameters per generator, discriminator and heads;
GFLOPs of one restoring-generator pass on 1x3xSIZExSIZE
(``torch.utils.flop_counter.FlopCounterMode``: a multiply-add is 2 FLOPs);
seconds per training iteration through the real ``train_step`` and
``OptimWrapperDict`` on synthetic uint8 SIZExSIZE batches (the config's
batch size), median of ``--iters`` after ``--warmup``; generator calls per
iteration; inference latency (median); peak RSS (``resource.getrusage``)
and its growth over the RSS after start-up, or CUDA max allocated.

``--train`` also trains each config for ``--train-iters`` iterations with
``tools/train.py`` (real Runner, same seed and data, lr schedule scaled to
the budget) and reads its final validation PSNR/SSIM (RGB and Y) from
``vis_data/scalars.json``. Writes ``benchmark.json`` (config paths, seed,
commit, device, torch version, every number) and ``benchmark.md`` into
``--out-dir``; ``--vs NAME`` adds ratio columns against one method.

``--precision`` measures each config once per precision, side by side
(``fp16``: CUDA only, autocast and loss scaling; ``bf16``: autocast, also on
the CPU; the rows are named ``<config> [bf16]``); ``--channels-last`` (CUDA
only) and ``--compile`` (``torch.compile`` of ``train_step``, as mmengine's
``compile`` option) measure those opt-in settings.
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

from lowvis.engine.runner.run_length import is_fraction
from lowvis.utils.cli import run_main
from lowvis.utils.errors import ConfigError, LowvisError
from lowvis.utils.git_info import git_commit_label

#: validation metrics read after --train, in table order
QUALITY_KEYS = ('PSNR', 'SSIM', 'PSNR_Y', 'SSIM_Y')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Benchmark lowvis methods')
    add = parser.add_argument
    add('configs', nargs='+', help='config files or globs')
    add('--size', type=int, help='image side for FLOPs, training '
        "iterations and latency (default: the config's crop_size or 256)")
    add('--iters', type=int, default=5, help='timed iterations (median)')
    add('--warmup', type=int, default=1, help='untimed iterations first')
    add('--batch-size', type=int, help="default: the config's")
    add('--train', action='store_true', help='also train and evaluate')
    add('--train-iters', type=int, default=200, help='budget for --train')
    add('--data-root', help="for --train (default: each config's)")
    add('--out-dir', default='benchmark_out')
    add('--vs', help='method (config stem or model type) for ratios')
    add('--device', choices=['cpu', 'cuda'], default='cpu')
    add('--seed', type=int, default=0)
    add('--precision', nargs='+', default=['fp32'],
        choices=['fp32', 'fp16', 'bf16'], help='one row per precision')
    add('--channels-last', action='store_true',
        help='channels_last weights (CUDA only)')
    add('--compile', action='store_true', help='torch.compile train_step')
    add('--worker', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def expand_configs(patterns):
    """Config paths from paths and globs, in order, without repeats."""
    paths = []
    for pattern in patterns:
        found = sorted(glob.glob(pattern)) if glob.has_magic(pattern) \
            else [pattern]
        if not found:
            raise ConfigError(f'no config matches {pattern}')
        for path in found:
            if not osp.isfile(path):
                raise ConfigError(f'config file not found: {path}')
            if path not in paths:
                paths.append(path)
    return paths


def method_name(path):
    return osp.splitext(osp.basename(path))[0]


# ------------------------------------------------------------- worker side
def peak_rss_mb():
    """Peak resident set size of this process in MiB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_batch(batch_size, size, generator):
    """A packed batch as the dataloader gives it: uint8 [3, S, S] RGB."""
    import torch
    from mmengine.structures import BaseDataElement

    def images():
        return [torch.randint(0, 256, (3, size, size), dtype=torch.uint8,
                              generator=generator)
                for _ in range(batch_size)]

    return dict(inputs=dict(img_A=images(), img_B=images()),
                data_samples=[BaseDataElement(metainfo=dict(name=f's{i}'))
                              for i in range(batch_size)])


def count_parameters(model):
    """``{'G_A2B': n, ..., 'D_B': n, ..., 'heads': n, 'total': n}``."""
    def size(module):
        return sum(p.numel() for p in module.parameters())
    parts = [(f'G_{k}', g) for k, g in model.generators.items()] + \
        [(f'D_{k}', d) for k, d in model.discriminators.items()] + \
        [('heads', getattr(model, 'heads', None))]
    return {**{name: size(m) for name, m in parts if m is not None},
            'total': size(model)}


def timed(fn, warmup, iters, sync, label):
    """Run ``fn`` warmup + iters times; return the timed seconds."""
    from tqdm import tqdm
    seconds = []
    for i in tqdm(range(warmup + iters), desc=label, leave=False,
                  file=sys.stderr, dynamic_ncols=True):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        if i >= warmup:
            seconds.append(time.perf_counter() - start)
    return seconds


def measure(cfg_path, args):
    """Every number of one config (runs in the worker subprocess)."""
    import torch
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from torch.utils.flop_counter import FlopCounterMode

    from lowvis.engine.hooks import to_channels_last
    from lowvis.engine.optimizers import AMP_DTYPES, enable_mixed_precision
    from lowvis.registry import MODELS
    rss_start = peak_rss_mb()
    device = torch.device(args.device)
    cuda = device.type == 'cuda'
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    cfg = Config.fromfile(cfg_path)
    init_default_scope(cfg.get('default_scope', 'lowvis'))
    precision = args.precision[0]
    if precision != 'fp32':
        enable_mixed_precision(cfg, precision)
    torch.manual_seed(args.seed)
    model = MODELS.build(cfg.model).to(device)
    if args.channels_last:
        to_channels_last(model)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    train_step = torch.compile(model.train_step) if args.compile \
        else model.train_step
    autocast = torch.autocast(device.type, dtype=getattr(
        torch, AMP_DTYPES.get(precision, 'float32')),
        enabled=precision != 'fp32')
    size = args.size or cfg.get('crop_size', 256)
    batch_size = args.batch_size or cfg.train_dataloader.batch_size
    generator = model.generators[model.test_direction]
    image = torch.rand(1, 3, size, size, device=device) * 2 - 1

    with torch.no_grad(), FlopCounterMode(display=False) as flops:
        generator(image)
    data_gen = torch.Generator().manual_seed(args.seed)
    batches = [synthetic_batch(batch_size, size, data_gen)
               for _ in range(args.warmup + args.iters)]
    model.train()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    step, calls = iter(batches), []  # images of each generator call
    hooks = [g.register_forward_hook(lambda m, a, o: calls.append(len(a[0])))
             for g in model.generators.values()]
    logs = []
    train_s = timed(lambda: logs.append(train_step(next(step), optim)),
                    args.warmup, args.iters, sync, 'train iterations')
    finite = all(math.isfinite(float(v)) for log in logs
                 for v in log.values())
    for hook in hooks:
        hook.remove()
    cuda_peak = torch.cuda.max_memory_allocated() / 2**20 if cuda else None
    model.eval()
    with torch.no_grad():
        with autocast:
            latency_s = timed(lambda: generator(image), args.warmup,
                              args.iters, sync, 'inference')
    runs = args.warmup + args.iters
    rss_peak = peak_rss_mb()
    variant = [p for p, on in ((precision, precision != 'fp32'),
                               ('channels_last', args.channels_last),
                               ('compile', args.compile)) if on]
    name = method_name(cfg_path) + (f' [{", ".join(variant)}]'
                                    if variant else '')
    return dict(
        name=name, config=cfg_path, precision=precision,
        channels_last=args.channels_last, compile=args.compile,
        losses_finite=finite,
        images_per_s=batch_size / statistics.median(train_s),
        model_type=type(model).__name__, seed=args.seed, size=size,
        batch_size=batch_size, params=count_parameters(model),
        gflops_generator=flops.get_total_flops() / 1e9,
        train_iter_s=statistics.median(train_s), train_iter_s_all=train_s,
        generator_calls_per_iter=len(calls) / runs,
        generator_images_per_iter=sum(calls) / runs,
        latency_s=statistics.median(latency_s), latency_s_all=latency_s,
        memory=dict(rss_peak_mb=rss_peak,
                    rss_growth_mb=rss_peak - rss_start,
                    cuda_peak_mb=cuda_peak))


def run_worker(args):
    """Measure one config; write its numbers (or a user error) as JSON."""
    import torch
    try:
        if args.device == 'cuda' and not torch.cuda.is_available():
            raise ConfigError('--device cuda: no CUDA GPU is available '
                              'here; use --device cpu')
        result = measure(args.configs[0], args)
    except LowvisError as e:
        result = dict(error=str(e))
    with open(args.worker, 'w') as f:
        json.dump(result, f)


# ------------------------------------------------------------- parent side
def worker_command(cfg_path, args, out_json, precision='fp32'):
    return [sys.executable, osp.abspath(__file__), cfg_path,
            '--worker', out_json, '--iters', str(args.iters),
            '--warmup', str(args.warmup), '--device', args.device,
            '--seed', str(args.seed), '--precision', precision] + \
        ['--channels-last'] * args.channels_last + \
        ['--compile'] * args.compile + \
        (['--size', str(args.size)] if args.size else []) + \
        (['--batch-size', str(args.batch_size)] if args.batch_size else [])


def measure_in_subprocess(cfg_path, args, precision='fp32'):
    with tempfile.TemporaryDirectory() as tmp:
        out_json = osp.join(tmp, 'result.json')
        code = subprocess.run(worker_command(cfg_path, args, out_json,
                                             precision),
                              cwd=os.getcwd()).returncode
        if code != 0 or not osp.isfile(out_json):
            raise ConfigError(f'measuring {cfg_path} failed (exit {code}); '
                              'its traceback is printed above')
        with open(out_json) as f:
            result = json.load(f)
    if 'error' in result:
        raise ConfigError(f'{cfg_path}: {result["error"]}')
    return result


def training_overrides(cfg, iters, data_root=None):
    """``--cfg-options`` that train ``cfg`` for ``iters`` iterations.

    Iteration-based ``param_scheduler`` milestones are scaled from the
    config's ``max_iters`` to ``iters``, validation and checkpointing happen
    once, at the end.
    """
    scale = iters / cfg.train_cfg.max_iters
    options = [f'train_cfg.max_iters={iters}',
               f'train_cfg.val_interval={iters}',
               f'default_hooks.checkpoint.interval={iters}',
               f'default_hooks.logger.interval={max(1, min(50, iters // 20))}']
    schedulers = cfg.get('param_scheduler') or []
    for i, sched in enumerate(schedulers if isinstance(schedulers, list)
                              else [schedulers]):
        if sched.get('by_epoch', True):
            continue
        for key in ('begin', 'end'):  # fractions ('50%') follow max_iters
            if key in sched and not is_fraction(sched[key]):
                options.append(f'param_scheduler.{i}.{key}='
                               f'{round(sched[key] * scale)}')
    if data_root:
        options += [f'{loader}.dataset.data_root={data_root}' for loader in
                    ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    return options


def final_metrics(work_dir):
    """The last validation metrics in the newest run's ``scalars.json``."""
    runs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json')))
    if not runs:
        raise ConfigError(f'no vis_data/scalars.json under {work_dir}; the '
                          'training run logged no validation')
    metrics = None
    with open(runs[-1]) as f:
        for line in f:
            record = json.loads(line)
            if 'PSNR' in record:
                metrics = record
    if metrics is None:
        raise ConfigError(f'{runs[-1]} holds no PSNR; check the config\'s '
                          'val_evaluator')
    return {k: v for k, v in metrics.items() if k not in ('step', 'time',
                                                           'data_time')}


def follow_training(proc, log_path, total, label):
    """Show a progress bar from the ``Iter(train) [k/N]`` log lines."""
    from tqdm import tqdm
    pattern = re.compile(r'Iter\(train\) \[\s*(\d+)/')
    with tqdm(total=total, desc=label, leave=False, file=sys.stderr,
              dynamic_ncols=True) as bar:
        while proc.poll() is None:
            time.sleep(1.0)
            with open(log_path, errors='replace') as f:
                done = [int(m.group(1)) for m in pattern.finditer(f.read())]
            if done and done[-1] > bar.n:
                bar.update(done[-1] - bar.n)
    return proc.returncode


def train_and_evaluate(cfg_path, args, out_dir):
    """Train ``cfg_path`` with tools/train.py; return its final metrics."""
    from mmengine.config import Config
    name = method_name(cfg_path)
    work_dir = osp.join(out_dir, name)
    os.makedirs(work_dir, exist_ok=True)
    cfg = Config.fromfile(cfg_path)
    command = [sys.executable, osp.join(REPO, 'tools', 'train.py'), cfg_path,
               '--work-dir', work_dir, '--seed', str(args.seed),
               '--cfg-options'] + training_overrides(cfg, args.train_iters,
                                                     args.data_root)
    log_path = osp.join(work_dir, 'train.log')
    start = time.perf_counter()
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        code = follow_training(proc, log_path, args.train_iters,
                               f'train {name}')
    if code != 0:
        raise ConfigError(f'training {cfg_path} failed (exit {code}); see '
                          f'{log_path}')
    return dict(iters=args.train_iters, wall_s=time.perf_counter() - start,
                work_dir=work_dir, command=command,
                metrics=final_metrics(work_dir))


def environment(args):
    import torch
    if args.device == 'cuda':
        device = torch.cuda.get_device_name(0)
    else:
        with open('/proc/cpuinfo') as f:
            names = [ln.split(':', 1)[1].strip() for ln in f
                     if ln.startswith('model name')]
        device = f'{(names or [platform.machine()])[0]}, ' \
                 f'torch threads: {torch.get_num_threads()}, ' \
                 f'{os.cpu_count()} cores'
    return dict(commit=git_commit_label(REPO), device=device, device_type=args.device,
                torch=torch.__version__, python=platform.python_version(),
                date=time.strftime('%Y-%m-%d %H:%M:%S'),
                command=' '.join(['python tools/benchmark.py'] +
                                 sys.argv[1:]),
                size=args.size, iters=args.iters, warmup=args.warmup,
                seed=args.seed, precision=args.precision,
                channels_last=args.channels_last, compile=args.compile,
                train_iters=args.train_iters if args.train else None)


def pick_reference(results, vs):
    """The result whose name, model type or name prefix matches ``vs``."""
    if vs is None:
        return None
    key = vs.lower()
    for match in (lambda r: r['name'].lower() == key,
                  lambda r: r['model_type'].lower() == key,
                  lambda r: r['name'].lower().startswith(key)):
        found = [r for r in results if match(r)]
        if len(found) == 1:
            return found[0]
    names = ', '.join(r['name'] for r in results)
    raise ConfigError(f'--vs {vs} matches no single method among: {names}')


def check_vs(configs, vs):
    """Fail before measuring when ``--vs`` names none of the configs."""
    from mmengine.config import Config
    if vs is not None:
        pick_reference([dict(name=method_name(p),
                             model_type=str(Config.fromfile(p).model.type))
                        for p in configs], vs)


def peak_memory(r):
    return r['memory']['cuda_peak_mb'] or r['memory']['rss_peak_mb']


#: (title, value, format, ratio column?) of the speed and size table
SPEED_COLUMNS = (
    ('params (M)', lambda r: r['params']['total'] / 1e6, '{:.3f}', True),
    ('GFLOPs / G pass', lambda r: r['gflops_generator'], '{:.2f}', False),
    ('G calls / iter', lambda r: r['generator_calls_per_iter'], '{:.1f}',
     False),
    ('s / iter', lambda r: r['train_iter_s'], '{:.3f}', True),
    ('images / s', lambda r: r.get('images_per_s', float('nan')), '{:.2f}',
     False),
    ('latency (ms)', lambda r: r['latency_s'] * 1e3, '{:.1f}', True),
    ('peak mem (MB)', peak_memory, '{:.0f}', True),
    ('mem growth (MB)', lambda r: r['memory']['rss_growth_mb'], '{:.0f}',
     False),
)


def markdown_table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '|'.join(['---'] * len(header)) + '|']
    return '\n'.join(lines + ['| ' + ' | '.join(row) + ' |' for row in rows])


def speed_table(results, reference=None):
    """Markdown table of :data:`SPEED_COLUMNS`, plus ratios to
    ``reference`` (value / reference value) when given."""
    columns = [c for c in SPEED_COLUMNS if results[0]['memory'][
        'cuda_peak_mb'] is None or c[0] != 'mem growth (MB)']
    if len({r['size'] for r in results}) > 1:
        columns.insert(0, ('px', lambda r: r['size'], '{}', False))
    ratios = [c for c in columns if c[3]] if reference else []
    header = ['method', 'model'] + [c[0] for c in columns] + \
        [f'{c[0].split(" (")[0]} vs {reference["name"]}' for c in ratios]
    rows = [[r['name'], r['model_type']] +
            [fmt.format(get(r)) for _, get, fmt, _ in columns] +
            [f'{get(r) / get(reference):.2f}x' for _, get, _, _ in ratios]
            for r in results]
    return markdown_table(header, rows)


def params_table(results):
    modules = sorted({k for r in results for k in r['params']} - {'total'},
                     key=lambda m: ('GDh'.index(m[0]), m))
    rows = [[r['name']] + [f'{r["params"][m] / 1e6:.3f}' if m in r['params']
                           else '-' for m in modules] for r in results]
    return markdown_table(['method'] + [f'{m} (M)' for m in modules], rows)


def quality_table(results):
    keys = QUALITY_KEYS + ('input/PSNR',)
    rows = [[r['name']] + [f'{r["train"]["metrics"].get(k, float("nan")):.4f}'
                           for k in keys] + [f'{r["train"]["wall_s"]:.0f}']
            for r in results if 'train' in r]
    return markdown_table(['method', *keys, 'train wall (s)'], rows)


def write_report(results, env, args):
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'benchmark.json'), 'w') as f:
        json.dump(dict(meta=env, methods=results), f, indent=2)
    memory = 'CUDA max allocated during training' if args.device == 'cuda' \
        else 'peak RSS of the measuring process, and its growth after start-up'
    sizes = ', '.join(sorted({f'{r["size"]}x{r["size"]}' for r in results}))
    parts = [
        '# lowvis benchmark', '', f'`{env["command"]}`', '',
        f'commit {env["commit"]}; {env["device"]}; torch {env["torch"]}; '
        f'{env["date"]}. Images {sizes}; median of '
        f'{args.iters} iterations after {args.warmup} warm-up; memory: '
        f'{memory}.', '', speed_table(results, pick_reference(results,
                                                              args.vs)),
        '', '## Parameters', '', params_table(results)]
    if args.train:
        parts += ['', f'## Quality after {args.train_iters} training '
                  'iterations (final validation)', '', quality_table(results)]
    text = '\n'.join(parts) + '\n'
    with open(osp.join(args.out_dir, 'benchmark.md'), 'w') as f:
        f.write(text)
    return text


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        return run_worker(args)
    from tqdm import tqdm
    configs = expand_configs(args.configs)
    check_vs(configs, args.vs)
    env = environment(args)
    results = []
    for cfg_path in tqdm(configs, desc='methods', file=sys.stderr,
                         dynamic_ncols=True):
        for precision in args.precision:
            result = measure_in_subprocess(cfg_path, args, precision)
            if args.train and precision == args.precision[0]:
                result['train'] = train_and_evaluate(
                    cfg_path, args, osp.abspath(args.out_dir))
            results.append(result)
    print(write_report(results, env, args))
    return results


if __name__ == '__main__':
    run_main(main)
