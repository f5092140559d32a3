"""LPIPS metric for the mmengine evaluator (offline backbone weights)."""
import torch

from lowvis.registry import METRICS
from ..functional.lpips_model import build_lpips
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class LPIPS(BaseImageMetric):
    """Mean LPIPS distance (Zhang et al. 2018, v0.1) to ground truth.

    Lower is better; 0 for identical images. Reports ``'LPIPS'``. The
    backbone's ImageNet weights must be on disk (see
    :func:`lowvis.evaluation.functional.build_lpips`); the network is built
    when the metric is, so a missing file fails before evaluation starts.

    Args:
        net (str): ``'alex'``, ``'vgg'`` or ``'squeeze'``.
        weights_path (str | None): torchvision's backbone file, e.g.
            ``alexnet-owt-7be5be79.pth``; ``None`` reads the environment
            variable ``LOWVIS_LPIPS_BACKBONE``.
        device (str | None): where the network runs; ``None`` picks CUDA
            when available.
        pred_key, gt_key, collect_device, prefix: see
            :class:`BaseImageMetric`.
    """

    def __init__(self, net='alex', weights_path=None, device=None,
                 pred_key='pred_img', gt_key='gt_img', collect_device='cpu',
                 prefix=None):
        super().__init__(pred_key, gt_key, collect_device, prefix)
        if device is None:
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        self.device = torch.device(device)
        self.model = build_lpips(net, weights_path).to(self.device)

    @property
    def result_key(self):
        return 'LPIPS'

    def _to_input(self, img):
        """uint8 ``(3, H, W)`` RGB -> float ``[1, 3, H, W]`` in [-1, 1]."""
        tensor = torch.from_numpy(img).to(self.device, torch.float32)
        return (tensor / 127.5 - 1.0)[None]

    @torch.no_grad()
    def score(self, pred, gt):
        return self.model(self._to_input(pred), self._to_input(gt)).item()
