"""t-SNE of contrastive (CGB) features of derained and clean images.

    python tools/analysis/tsne_features.py CONFIG CHECKPOINT --data-root DIR
        --out tsne.png [--dir-a testA] [--dir-b testB] [--encoder B2A]
        [--include-rainy] [--max-images 200] [--max-side 512]
        [--patches 256] [--tile 256] [--device cpu] [--seed 0]
        [--plotter {auto,matplotlib,cv2}]

As in the DCD-GAN paper's Figs. 3 and 8: each rainy image of ``dir-a`` is
derained (``G_A2B``) and embedded, and so is each clean image of ``dir-b``;
t-SNE maps the embeddings to 2-D. The features are those the contrastive
branch compares: the ``--encoder`` generator's features at the model's
``nce_layers``, projected by its head (``model.heads.projectors[encoder]``),
L2-normalised, averaged over up to ``--patches`` random locations per layer,
then concatenated over layers. By default the encoder is ``B2A``: in
DCD-GAN's CGB it is the one that sees clean-domain images (real clean ones
and derained ones).

A model without heads (CycleGAN) has no CGB: then the embedding is the
encoder's bottleneck features (output of the last residual block),
mean-pooled and L2-normalised, and the tool says so.

Writes the plot and ``<out>.csv`` (name, group, x, y), and prints the
distance between the group centroids in feature space (cosine distance).
"""
import argparse
import csv
import os
import os.path as osp
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from lowvis.apis import init_model, restore
from lowvis.datasets.image_io import (list_images, read_image,
                                      write_image)
from lowvis.utils.cli import run_main
from lowvis.utils.errors import ConfigError, DataError

GROUP_COLOURS = {'derained': (220, 60, 40), 'clean': (30, 110, 220),
                 'rainy': (120, 120, 120)}  # RGB


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='t-SNE of contrastive features of derained and clean '
        'images')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--dir-a', default='testA', help='rainy images')
    parser.add_argument('--dir-b', default='testB', help='clean images')
    parser.add_argument('--out', required=True, help='plot (.png)')
    parser.add_argument('--encoder', default=None,
                        help='generator whose encoder embeds the images '
                        '(default B2A, else A2B)')
    parser.add_argument('--include-rainy', action='store_true',
                        help='also embed the rainy inputs')
    parser.add_argument('--max-images', type=int, default=200,
                        help='images per group at most')
    parser.add_argument('--max-side', type=int, default=512,
                        help='shrink images to this longer side first')
    parser.add_argument('--patches', type=int, default=256,
                        help='random locations per layer through the head')
    parser.add_argument('--tile', type=int, default=256,
                        help='tile size for deraining')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--plotter', choices=['auto', 'matplotlib', 'cv2'],
                        default='auto')
    return parser.parse_args(argv)


def embedding_setup(model, encoder):
    """``(generator, layers, head)``; ``head`` None means mean-pooling."""
    generators = model.generators
    if encoder not in generators:
        raise ConfigError(f'--encoder {encoder}: the model has generators '
                          f'{sorted(generators.keys())}')
    generator = generators[encoder]
    heads = getattr(model, 'heads', None)
    projectors = getattr(heads, 'projectors', None)
    layers = getattr(model, 'nce_layers', None)
    if projectors is not None and encoder in projectors and layers:
        return generator, list(layers), projectors[encoder]
    blocks = [i for i, layer in enumerate(generator.model)
              if type(layer).__name__ == 'ResnetBlock']
    if not blocks:
        raise ConfigError(f'generator {encoder} has no residual blocks to '
                          'take bottleneck features from')
    print(f'note: {type(model).__name__} has no projection head for '
          f'{encoder}; using mean-pooled encoder features (layer '
          f'{blocks[-1]}, the last residual block) instead of CGB features')
    return generator, [blocks[-1]], None


@torch.no_grad()
def embed(generator, layers, head, image, patches, rng, max_side):
    """One image (uint8 HxWx3 RGB) -> float64 embedding vector."""
    x = torch.from_numpy(image).permute(2, 0, 1)[None].float() / 127.5 - 1
    scale = max_side / max(x.shape[-2:])
    if scale < 1:
        x = F.interpolate(x, scale_factor=scale, mode='area')
    pad_h, pad_w = (-x.shape[-2]) % 4, (-x.shape[-1]) % 4
    x = F.pad(x, (0, pad_w, 0, pad_h), mode='replicate')
    device = next(generator.parameters()).device
    feats = generator(x.to(device), layers=layers, encode_only=True)
    parts = []
    if head is None:
        parts = [F.normalize(f.mean(dim=(2, 3)), dim=1)[0] for f in feats]
    else:
        flat = [f.flatten(2).transpose(1, 2) for f in feats]  # [1, HW, C]
        picked = []
        for f in flat:
            count = min(patches, f.shape[1])
            ids = torch.randperm(f.shape[1], generator=rng)[:count]
            picked.append(f[:, ids.to(f.device)])
        parts = [F.normalize(p.mean(dim=1), dim=1)[0] for p in head(picked)]
    return torch.cat(parts).cpu().double().numpy()


def load_group(folder, max_images):
    if not osp.isdir(folder):
        raise DataError(f'image folder not found: {folder}')
    paths = list_images(folder)[:max_images]
    if not paths:
        raise DataError(f'no images in {folder}')
    return paths


def collect(model, args):
    """``(names, groups, features [N, D])`` of all embedded images."""
    encoder = args.encoder or ('B2A' if 'B2A' in model.generators else 'A2B')
    generator, layers, head = embedding_setup(model, encoder)
    rng = torch.Generator().manual_seed(args.seed)
    names, groups, feats = [], [], []
    for path in load_group(osp.join(args.data_root, args.dir_a),
                           args.max_images):
        rainy = read_image(path)
        stem = osp.splitext(osp.basename(path))[0]
        derained = restore(model, rainy, tile=args.tile)
        todo = [('derained', derained)]
        if args.include_rainy:
            todo.append(('rainy', rainy))
        for group, img in todo:
            names.append(stem)
            groups.append(group)
            feats.append(embed(generator, layers, head, img, args.patches,
                               rng, args.max_side))
    for path in load_group(osp.join(args.data_root, args.dir_b),
                           args.max_images):
        names.append(osp.splitext(osp.basename(path))[0])
        groups.append('clean')
        feats.append(embed(generator, layers, head, read_image(path),
                           args.patches, rng, args.max_side))
    return names, groups, np.stack(feats)


def tsne_2d(features, seed):
    """2-D t-SNE coordinates; perplexity adapted to small sets."""
    from sklearn.manifold import TSNE
    count = features.shape[0]
    if count < 4:
        raise DataError(f't-SNE needs at least 4 images, got {count}')
    perplexity = float(min(30.0, max(2.0, (count - 1) / 3.0)))
    return TSNE(n_components=2, perplexity=perplexity, init='pca',
                random_state=seed).fit_transform(features)


def centroid_distance(features, groups, first, second):
    """Cosine distance between two groups' mean embeddings."""
    groups = np.asarray(groups)
    a = features[groups == first].mean(0)
    b = features[groups == second].mean(0)
    return float(1 - a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def plot_cv2(points, groups, path, title, size=640, margin=50):
    """Scatter plot drawn with OpenCV (no matplotlib needed)."""
    canvas = np.full((size, size, 3), 255, np.uint8)
    low, high = points.min(0), points.max(0)
    span = np.where(high - low > 0, high - low, 1.0)
    xy = margin + (points - low) / span * (size - 2 * margin)
    cv2.rectangle(canvas, (margin // 2, margin // 2),
                  (size - margin // 2, size - margin // 2), (0, 0, 0), 1)
    for (x, y), group in zip(xy, groups):
        cv2.circle(canvas, (int(x), int(size - y)), 5,
                   GROUP_COLOURS[group], -1, cv2.LINE_AA)
    cv2.putText(canvas, title, (margin // 2, 18), cv2.FONT_HERSHEY_SIMPLEX,
                0.45, (0, 0, 0), 1, cv2.LINE_AA)
    for k, group in enumerate(sorted(set(groups))):
        y = size - 12 - 16 * k
        cv2.circle(canvas, (margin // 2 + 6, y - 4), 5, GROUP_COLOURS[group],
                   -1, cv2.LINE_AA)
        cv2.putText(canvas, group, (margin // 2 + 16, y),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                    cv2.LINE_AA)
    write_image(path, canvas)


def plot_matplotlib(points, groups, path, title):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 6), dpi=100)
    groups = np.asarray(groups)
    for group in sorted(set(groups)):
        colour = np.array(GROUP_COLOURS[group]) / 255.0
        sel = groups == group
        ax.scatter(points[sel, 0], points[sel, 1], s=18, color=colour,
                   label=group)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


def plot(points, groups, path, title, plotter='auto'):
    if plotter == 'auto':
        try:
            import matplotlib  # noqa: F401
            plotter = 'matplotlib'
        except ImportError:
            plotter = 'cv2'
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if plotter == 'matplotlib':
        plot_matplotlib(points, groups, path, title)
    else:
        plot_cv2(points, groups, path, title)
    return plotter


def write_csv(path, names, groups, points):
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['name', 'group', 'x', 'y'])
        for name, group, (x, y) in zip(names, groups, points):
            writer.writerow([name, group, f'{x:.6f}', f'{y:.6f}'])


def main(argv=None):
    args = parse_args(argv)
    model = init_model(args.config, args.checkpoint, device=args.device)
    names, groups, features = collect(model, args)
    points = tsne_2d(features, args.seed)
    title = (f'{type(model).__name__}: {osp.basename(args.checkpoint)}, '
             f'{features.shape[1]}-d features')
    used = plot(points, groups, args.out, title, args.plotter)
    csv_path = osp.splitext(args.out)[0] + '.csv'
    write_csv(csv_path, names, groups, points)
    distance = centroid_distance(features, groups, 'derained', 'clean')
    print(f'wrote {args.out} ({used}) and {csv_path}: {len(names)} points')
    print(f'cosine distance between derained and clean centroids: '
          f'{distance:.4f}')
    return 0


if __name__ == '__main__':
    sys.exit(run_main(main))
