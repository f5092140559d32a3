"""CycleGAN's history of generated images for discriminator updates."""
import torch
import torch.nn as nn


class ImagePool(nn.Module):
    """Keep up to ``pool_size`` past fakes; return a mix of new and old ones.

    Once full, each incoming image is, with probability 0.5, swapped with a
    random stored one (which is returned instead). Randomness comes from the
    ``torch.Generator`` passed to :meth:`query`, and the stored images are
    part of the module's state dict (``_extra_state``), so a resumed run
    continues exactly. ``pool_size=0`` returns the input unchanged.
    """

    def __init__(self, pool_size=50):
        super().__init__()
        self.pool_size = pool_size
        self.images = []

    def query(self, images, generator=None):
        """``images``: ``[N, C, H, W]`` (detached); returns the same shape."""
        if self.pool_size == 0:
            return images
        out = []
        for image in images.detach():
            image = image.unsqueeze(0)
            if len(self.images) < self.pool_size:
                self.images.append(image.clone())
                out.append(image)
                continue
            if torch.rand(1, generator=generator).item() > 0.5:
                idx = int(torch.randint(self.pool_size, (1,),
                                        generator=generator))
                out.append(self.images[idx].clone())
                self.images[idx] = image.clone()
            else:
                out.append(image)
        return torch.cat(out, 0)

    def get_extra_state(self):
        # a tensor, not a dict: mmengine broadcasts every state entry
        if not self.images:
            return torch.zeros(0)
        return torch.cat(self.images, 0).cpu()

    def set_extra_state(self, state):
        # a dict: checkpoints written before
        stored = state['images'] if isinstance(state, dict) else state
        device = next(iter(self.buffers()), stored).device
        self.images = [img.unsqueeze(0).to(device) for img in stored] \
            if stored.numel() else []
