"""Base class of unpaired image-to-image translation models (CycleGAN family).

Domain A is the degraded domain (rainy), domain B the clean one. Generators
are keyed by direction (``'A2B'`` restores, ``'B2A'`` degrades) and
discriminators by the domain they judge (``'B'`` judges clean images).
"""
from contextlib import contextmanager

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

from lowvis.registry import MODELS


class DomainModuleDict(nn.ModuleDict):
    """A ``ModuleDict`` that is also callable: ``modules(key, *args)``.

    Calling through ``forward`` (rather than indexing) keeps the models
    usable when the whole dict is wrapped for distributed training.
    """

    def forward(self, key, *args, **kwargs):
        return self[key](*args, **kwargs)



@contextmanager
def frozen(module):
    """Temporarily set ``requires_grad=False`` on a module's parameters."""
    params = [p for p in module.parameters() if p.requires_grad]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in params:
            p.requires_grad_(True)


class BaseUnpairedTranslationModel(BaseModel):
    """Generators and discriminators per domain, one D step then one G step.

    Subclasses implement :meth:`forward_train` (all generator passes of an
    iteration), :meth:`discriminator_losses` and :meth:`generator_losses`
    (dicts of named loss tensors, keys starting with ``loss_``).

    Args:
        generators (dict): ``{'A2B': cfg, 'B2A': cfg}`` (one-sided methods
            give only ``'A2B'``).
        discriminators (dict): ``{'B': cfg, 'A': cfg}``.
        gan_loss (dict): config of :class:`GANLoss`.
        data_preprocessor (dict): defaults to ``UnpairedDataPreprocessor``.
        seed (int | None): seed of the model's own ``torch.Generator``
            (patch locations, image pool); ``None`` draws it from torch's
            global RNG, which the runner seeds. Its state is checkpointed.
        test_direction (str): generator used by ``predict``.
    """

    #: optimizer-wrapper keys stepped together in the generator step
    generator_optim_keys = ('generators',)

    def __init__(self, generators, discriminators,
                 gan_loss=dict(type='GANLoss', gan_mode='lsgan'),
                 data_preprocessor=dict(type='UnpairedDataPreprocessor'),
                 seed=None, test_direction='A2B', init_cfg=None):
        if isinstance(data_preprocessor, dict):
            # build from lowvis's registry, whatever the current scope
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.generators = DomainModuleDict(
            {k: MODELS.build(v) for k, v in generators.items()})
        self.discriminators = DomainModuleDict(
            {k: MODELS.build(v) for k, v in discriminators.items()})
        self.gan_loss = MODELS.build(gan_loss)
        self.test_direction = test_direction
        if seed is None:
            seed = int(torch.randint(2**62, (1,)))
        self.rng = torch.Generator()
        self.rng.manual_seed(seed)

    # ----------------------------------------------------------- interface
    def forward_train(self, real_a, real_b):
        """Run every generator pass of one iteration; return a dict."""
        raise NotImplementedError

    def discriminator_losses(self, outputs):
        raise NotImplementedError

    def generator_losses(self, outputs):
        raise NotImplementedError

    # ------------------------------------------------------------ training
    def train_step(self, data, optim_wrapper):
        """One D update then one G (+ heads) update; returns logged values."""
        data = self.data_preprocessor(data, True)
        real_a = data['inputs']['img_A']
        real_b = data['inputs']['img_B']
        gen_wrappers = [optim_wrapper[k] for k in self.generator_optim_keys
                        if k in optim_wrapper]
        with gen_wrappers[0].optim_context(self.generators):
            outputs = self.forward_train(real_a, real_b)

        disc_wrapper = optim_wrapper['discriminators']
        with disc_wrapper.optim_context(self.discriminators):
            loss_d, log_d = self.parse_losses(
                self.discriminator_losses(outputs))
        self.check_finite(log_d)
        disc_wrapper.update_params(loss_d)

        with frozen(self.discriminators), \
                gen_wrappers[0].optim_context(self.generators):
            loss_g, log_g = self.parse_losses(self.generator_losses(outputs))
        self.check_finite(log_g)
        gen_wrappers[0].backward(loss_g)
        for wrapper in gen_wrappers:
            wrapper.step()
            wrapper.zero_grad()
        log_g.pop('loss', None)
        log_d.pop('loss', None)
        return {**log_d, **log_g}

    def check_finite(self, log_vars):
        """Hook for the NaN guard; the base implementation accepts all."""

    def generate(self, direction, image, **kwargs):
        """Run one generator (through the possibly wrapped dict)."""
        return self.generators(direction, image, **kwargs)

    def discriminate(self, domain, image):
        return self.discriminators(domain, image)

    def gan_d_loss(self, domain, real, fake):
        """Discriminator loss of one domain: mean of its real and fake terms."""
        loss_real = self.gan_loss(self.discriminate(domain, real), True,
                                  is_disc=True)
        loss_fake = self.gan_loss(self.discriminate(domain, fake.detach()),
                                  False, is_disc=True)
        return 0.5 * (loss_real + loss_fake)

    def gan_g_loss(self, domain, fake):
        return self.gan_loss(self.discriminate(domain, fake), True)

    # ----------------------------------------------------------- inference
    def forward(self, inputs, data_samples=None, mode='tensor'):
        if mode == 'tensor':
            return self.generate(self.test_direction, inputs['img_A'])
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f"{type(self).__name__} trains through train_step; "
                         f"forward mode must be 'tensor' or 'predict', got "
                         f'{mode!r}')

    @torch.no_grad()
    def predict(self, inputs, data_samples=None):
        """Restore ``inputs['img_A']``; one ``BaseDataElement`` per image.

        Each has float32 ``[3, H, W]`` RGB 0-255 tensors ``pred_img``,
        ``input_img`` and (when ``inputs`` has ``img_B``) ``gt_img``, on the
        CPU, plus the sample's metainfo (``name`` ...).
        """
        destruct = self.data_preprocessor.destruct
        fake = self.generate(self.test_direction, inputs['img_A'])
        results = []
        for i in range(fake.shape[0]):
            meta = data_samples[i].metainfo if data_samples else {}
            out = BaseDataElement(metainfo=meta)
            out.pred_img = destruct(fake[i]).cpu()
            out.input_img = destruct(inputs['img_A'][i]).cpu()
            if 'img_B' in inputs:
                out.gt_img = destruct(inputs['img_B'][i]).cpu()
            results.append(out)
        return results

    # -------------------------------------------------------------- state
    def get_extra_state(self):
        return {'rng_state': self.rng.get_state()}

    def set_extra_state(self, state):
        self.rng.set_state(state['rng_state'])
