"""Peak signal-to-noise ratio for images in 0-255."""
import numpy as np

from .image_utils import prepare_pair


def psnr(img, ref, crop_border=0, input_order='HWC', convert_to=None,
         channel_order='rgb', round_y=False):
    """PSNR in dB with peak 255: ``10 log10(255^2 / MSE)``.

    The MSE is taken over all pixels and channels of each image in float64,
    after the optional Y conversion and border crop.

    Args:
        img (np.ndarray | torch.Tensor): restored image(s) in 0-255, uint8
            or float (not clipped or rounded here), ``(H, W)``, one image in
            ``input_order`` or a batch with a leading N axis.
        ref (np.ndarray | torch.Tensor): reference image(s), same shape.
        crop_border (int): pixels removed from each side before scoring.
        input_order (str): ``'HWC'`` or ``'CHW'``.
        convert_to (str | None): ``None`` scores the channels as given;
            ``'Y'`` scores the luma of MATLAB's ``rgb2ycbcr`` (16-235).
        channel_order (str): ``'rgb'`` or ``'bgr'``, for ``'Y'`` only.
        round_y (bool): round Y to integers as MATLAB does on uint8 images
            (MPRNet/Restormer scripts); BasicSR and PReNet do not round.

    Returns:
        float | np.ndarray: the PSNR of one image, or a float64 ``(N,)``
        array for a batch; ``inf`` where the images are identical.
    """
    img, ref, batched = prepare_pair(img, ref, crop_border, input_order,
                                     convert_to, channel_order, round_y)
    mse = np.mean((img - ref)**2, axis=(1, 2, 3))
    with np.errstate(divide='ignore'):
        values = 10.0 * np.log10(255.0**2 / mse)
    return values if batched else float(values[0])
