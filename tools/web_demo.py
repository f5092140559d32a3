"""A local web page to derain your own photos (Gradio).

    python tools/web_demo.py --config CFG --checkpoint CKPT [--port 7860]
    python tools/web_demo.py --model model.onnx          # ONNX Runtime, no torch
        [--host 127.0.0.1] [--tile 256] [--tile-overlap 32]

Open the printed address, upload a photo: the rainy and derained images are
shown side by side with the processing time, and the derained image can be
downloaded as a full-resolution PNG (16-bit for 16-bit inputs; gray and
alpha kept, EXIF orientation applied, as ``tools/restore.py`` does). Photos
larger than one tile are restored tile by tile. A file that is not an image
gets a message on the page. The server listens on 127.0.0.1 only unless
``--host`` says otherwise. Needs the ``web`` extra (``pip install
'lowvis[web]'``; ``--model`` also the ``onnx`` extra).
"""
import argparse
import importlib.util
import os
import os.path as osp
import sys
import tempfile
import time

import cv2
import numpy as np

from lowvis.deploy.cli import run_main_without_torch
from lowvis.deploy.image_layout import load_image, save_image
from lowvis.deploy.restorers import build_restorer
from lowvis.deploy.tile_grid import tile_starts
from lowvis.utils.errors import ConfigError, LowvisError
from lowvis.utils.image_io import IMAGE_EXTENSIONS

#: longer side of the images shown on the page (the download is full size)
PREVIEW_SIDE = 2048


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Web page to derain photos with a trained lowvis model')
    parser.add_argument('--config', help='model config (torch backend)')
    parser.add_argument('--checkpoint', help='checkpoint (torch backend)')
    parser.add_argument('--model', help='.onnx file from tools/export.py: '
                        'run it on ONNX Runtime instead of torch')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default 127.0.0.1: '
                        'this machine only)')
    parser.add_argument('--port', type=int, default=7860,
                        help='port (default 7860)')
    parser.add_argument('--tile', type=int, default=256,
                        help='tile side for large photos (default 256)')
    parser.add_argument('--tile-overlap', type=int, default=32,
                        help='overlap of neighbouring tiles (default 32)')
    parser.add_argument('--device', default='cpu',
                        help="torch backend: 'cpu' or 'cuda' (default cpu)")
    return parser.parse_args(argv)


def preview(image):
    """An image as the page shows it: 8-bit RGB, longer side at most
    :data:`PREVIEW_SIDE` (area-shrunk)."""
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    image = image[:, :, :3]
    if image.dtype == np.uint16:
        image = ((image.astype(np.uint32) + 128) // 257).astype(np.uint8)
    scale = PREVIEW_SIDE / max(image.shape[:2])
    if scale < 1:
        size = (max(1, round(image.shape[1] * scale)),
                max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return image


class DerainPage:
    """What the page does with one upload.

    Args:
        restorer (callable): ``image -> restored image``
            (:func:`lowvis.deploy.restorers.build_restorer`).
        tile, overlap (int): the restorer's tiling, for the status line.
        out_dir (str | None): where results are written (default: a new
            temporary folder).
    """

    def __init__(self, restorer, tile, overlap, out_dir=None):
        self.restorer = restorer
        self.tile = -(-tile // 4) * 4 if tile > 0 else 0
        self.overlap = overlap
        self.out_dir = out_dir or tempfile.mkdtemp(prefix='lowvis_web_')

    def _how(self, height, width):
        if self.tile == 0 or (height <= self.tile and width <= self.tile):
            return 'one pass'
        tiles = len(tile_starts(height, self.tile, self.overlap)) * \
            len(tile_starts(width, self.tile, self.overlap))
        return f'{tiles} tiles of {self.tile} px'

    def __call__(self, path):
        """``(rainy preview, derained preview, status markdown,
        download path)`` for an uploaded file path."""
        if not path:
            return None, None, 'Upload a rainy photo.', None
        name = osp.basename(path)
        try:
            image = load_image(path)
            start = time.perf_counter()
            out = self.restorer(image)
            seconds = time.perf_counter() - start
            target = osp.join(tempfile.mkdtemp(dir=self.out_dir),
                              osp.splitext(name)[0] + '_derained.png')
            save_image(target, out)
        except (LowvisError, ValueError) as err:
            message = str(err).replace(path, name)
            return None, None, f'**Cannot derain {name}:** {message}', None
        height, width = image.shape[:2]
        status = (f'Derained **{name}** ({width}x{height}, '
                  f'{8 * image.dtype.itemsize}-bit) in **{seconds:.2f} s** '
                  f'({self._how(height, width)}).')
        return preview(image), preview(out), status, target


def build_page(page):
    """The Gradio ``Blocks`` of the demo around a :class:`DerainPage`."""
    import gradio as gr
    with gr.Blocks(title='lowvis: derain a photo') as demo:
        gr.Markdown('## Derain a photo\nUpload a rainy photo; the derained '
                    'result is shown beside it and can be downloaded at full '
                    'resolution.')
        upload = gr.File(label='Rainy photo', type='filepath',
                         file_types=list(IMAGE_EXTENSIONS),
                         elem_id='upload')
        status = gr.Markdown('Upload a rainy photo.', elem_id='status')
        with gr.Row():
            rainy = gr.Image(label='Rainy', format='png', interactive=False,
                             elem_id='rainy')
            derained = gr.Image(label='Derained', format='png',
                                interactive=False, elem_id='derained')
        download = gr.File(label='Derained, full resolution (PNG)',
                           interactive=False, elem_id='download')
        upload.upload(page, upload, [rainy, derained, status, download])
    return demo


def theme():
    """Gradio's default look with the system's fonts: the page then loads
    nothing from outside this machine."""
    import gradio as gr
    return gr.themes.Default(font=['Helvetica', 'Arial', 'sans-serif'],
                             font_mono=['monospace'])


def launch(demo, host, port, block=True):
    """Serve ``demo`` on ``host:port``; return the local address."""
    demo.launch(server_name=host, server_port=port, theme=theme(),
                prevent_thread_lock=not block, quiet=not block,
                ssr_mode=False, share=False, show_error=True)
    return f'http://{host}:{port}/'


def main(argv=None):
    args = parse_args(argv)
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
    if importlib.util.find_spec('gradio') is None:
        raise ConfigError("the web demo needs Gradio: pip install "
                          "'lowvis[web]'")
    backend = 'onnxruntime' if args.model else 'torch'
    restorer = build_restorer(backend, args.model, args.config,
                              args.checkpoint, args.tile, args.tile_overlap,
                              device=args.device)
    print(f'serving on http://{args.host}:{args.port}/ (Ctrl+C stops)')
    launch(build_page(DerainPage(restorer, args.tile, args.tile_overlap)), args.host, args.port)
    return 0


def run(argv=None):
    """:func:`main` with one-line errors (torch's wrapper for torch)."""
    chooser = argparse.ArgumentParser(add_help=False)
    chooser.add_argument('--model')
    if chooser.parse_known_args(argv)[0].model:
        return run_main_without_torch(lambda: main(argv))
    from lowvis.utils.cli import run_main
    return run_main(lambda: main(argv))


if __name__ == '__main__':
    sys.exit(run())
