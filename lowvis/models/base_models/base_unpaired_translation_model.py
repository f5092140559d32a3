"""Base class of unpaired image-to-image translation models (CycleGAN family).

Domain A is the degraded domain (rainy), domain B the clean one. Generators
are keyed by direction (``'A2B'`` restores, ``'B2A'`` degrades) and
discriminators by the domain they judge (``'B'`` judges clean images).
"""
import logging
from collections import OrderedDict
from contextlib import ExitStack, contextmanager

import torch
import torch.nn as nn
from mmengine.dist import all_reduce
from mmengine.logging import MessageHub, print_log
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.structures import BaseDataElement

from lowvis.models.utils import merge_defaults
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError, NonFiniteLossError

NAN_POLICIES = ('stop', 'skip')
#: signature default of ``gan_loss`` (GANLoss's own: lsgan, weight 1)
GAN_LOSS = dict(type='GANLoss')


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
        gan_loss (dict): config of :class:`GANLoss`, merged into the
            default (lsgan, weight 1; see ``lowvis.models.utils``).
        data_preprocessor (dict): defaults to ``UnpairedDataPreprocessor``.
        seed (int | None): seed of the model's own ``torch.Generator``
            (patch locations, image pool); ``None`` draws it from torch's
            global RNG, which the runner seeds. Its state is checkpointed.
        test_direction (str): generator used by ``predict``.
        nan_policy (str): what a NaN/inf loss term does (see
            :meth:`check_finite`): ``'stop'`` raises
            :class:`NonFiniteLossError` (``tools/train.py`` then saves the
            state and exits), ``'skip'`` drops the batch and counts it in
            the logged ``skipped_batches``.
    """

    def __init__(self, generators, discriminators,
                 gan_loss=GAN_LOSS,
                 data_preprocessor=dict(type='UnpairedDataPreprocessor'),
                 seed=None, test_direction='A2B', nan_policy='stop',
                 init_cfg=None):
        if isinstance(data_preprocessor, dict):
            # build from lowvis's registry, whatever the current scope
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.generators = DomainModuleDict(
            {k: MODELS.build(v) for k, v in generators.items()})
        self.discriminators = DomainModuleDict(
            {k: MODELS.build(v) for k, v in discriminators.items()})
        self.gan_loss = MODELS.build(merge_defaults(GAN_LOSS, gan_loss))
        self.test_direction = test_direction
        if nan_policy not in NAN_POLICIES:
            raise ConfigError(f'model.nan_policy must be one of '
                              f'{NAN_POLICIES}, got {nan_policy!r}')
        self.nan_policy = nan_policy
        if seed is None:
            seed = int(torch.randint(2**62, (1,)))
        self.rng = torch.Generator()
        self.rng.manual_seed(seed)
        self.register_state_dict_post_hook(_drop_wrapper_prefixes)

    # ----------------------------------------------------------- interface
    def forward_train(self, real_a, real_b):
        """Run every generator pass of one iteration; return a dict."""
        raise NotImplementedError

    def discriminator_losses(self, outputs):
        raise NotImplementedError

    def generator_losses(self, outputs):
        raise NotImplementedError

    # ------------------------------------------------------------ training
    def generator_side(self):
        """Names of the submodules the generator step updates.

        Every child with trainable parameters except ``discriminators``
        (generators, and the projection heads of the contrastive methods).
        :class:`MultiOptimWrapperConstructor` gives them ONE optimizer
        wrapper (a param group each), keyed by the first name.
        """
        return tuple(name for name, child in self.named_children()
                     if name != 'discriminators' and any(
                         p.requires_grad for p in child.parameters()))

    def trains_discriminators(self):
        """False when the adversarial weight is 0: the D step is skipped."""
        return self.gan_loss.loss_weight != 0

    @contextmanager
    def _generator_context(self, wrapper):
        """``wrapper.optim_context`` of every generator-side submodule
        (autocast; no DDP gradient sync while accumulating)."""
        with ExitStack() as stack:
            for name in self.generator_side():
                stack.enter_context(wrapper.optim_context(getattr(self,
                                                                  name)))
            yield

    def train_step(self, data, optim_wrapper):
        """One D update then one G (+ heads) update; returns logged values.

        Both go through mmengine's ``update_params``, so gradient
        accumulation (``accumulative_counts``), loss scaling (fp16) and
        gradient clipping hold for every optimizer. ``optim_wrapper`` has
        ``'discriminators'`` and the generator side's wrapper, keyed by the
        first name of :meth:`generator_side`.
        """
        data = self.data_preprocessor(data, True)
        real_a = data['inputs']['img_A']
        real_b = data['inputs']['img_B']
        gen_wrapper = optim_wrapper[self.generator_side()[0]]
        with self._generator_context(gen_wrapper):
            outputs = self.forward_train(real_a, real_b)

        log_d = {}
        if self.trains_discriminators():
            disc_wrapper = optim_wrapper['discriminators']
            with disc_wrapper.optim_context(self.discriminators):
                loss_d, log_d = self.parse_losses(
                    self.discriminator_losses(outputs))
            if not self.check_finite(log_d, 'discriminator'):
                return self._skip_batch(optim_wrapper)
            disc_wrapper.update_params(loss_d)

        with frozen(self.discriminators), \
                self._generator_context(gen_wrapper):
            loss_g, log_g = self.parse_losses(self.generator_losses(outputs))
        if not self.check_finite(log_g, 'generator'):
            return self._skip_batch(optim_wrapper)
        gen_wrapper.update_params(loss_g)
        log_g.pop('loss', None)
        log_d.pop('loss', None)
        logs = {**log_d, **log_g}
        if self.nan_policy == 'skip':
            logs['skipped_batches'] = self._skipped_batches()
        return logs

    # ----------------------------------------------------------- NaN guard
    def check_finite(self, log_vars, step='generator'):
        """Average ``log_vars`` over ranks in place; False if one is NaN/inf.

        Every rank gets the same averages (the logged losses are the mean
        over ranks), so all ranks take the same decision and none is left
        waiting in a gradient all-reduce. Called before the ``step``'s
        optimizer update. A non-finite term raises
        :class:`NonFiniteLossError` naming the terms and the iteration
        (``nan_policy='stop'``), or is logged as a warning and returns False
        so the batch is skipped (``nan_policy='skip'``).
        """
        bad = _average_over_ranks(log_vars)
        if not bad:
            return True
        terms = ', '.join(f'{k}={v}' for k, v in bad.items())
        hub = MessageHub.get_current_instance()
        iteration = hub.get_info('iter')
        where = f' at iteration {iteration + 1}' if iteration is not None \
            else ''
        if self.nan_policy == 'stop':
            raise NonFiniteLossError(
                f'non-finite loss{where} in the {step} step, before its '
                f'update: {terms}; lower the lr or check the data, or set '
                "model.nan_policy='skip' to skip such batches")
        print_log(f'non-finite loss{where} in the {step} step: {terms}; '
                  f'batch skipped, no {step} update ('
                  f'{self._skipped_batches(1)} skipped so far)',
                  logger='current', level=logging.WARNING)
        return False

    def _skipped_batches(self, add=0):
        """Count of skipped batches, kept in the message hub (so it is
        saved in checkpoints and survives a resume)."""
        hub = MessageHub.get_current_instance()
        count = int(hub.get_info('skipped_batches', 0)) + add
        if add:
            hub.update_info('skipped_batches', count)
        return count

    def _skip_batch(self, optim_wrapper):
        """Drop this batch's gradients; log only the skip count."""
        for key in optim_wrapper.keys():
            optim_wrapper[key].zero_grad()
        return {'skipped_batches': self._skipped_batches()}

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
    def load_state_dict(self, state_dict, strict=True, assign=False):
        """``nn.Module``'s, also while submodules are wrapped for DDP.

        Checkpoints hold no DDP ``module.`` in their keys (see
        :func:`_drop_wrapper_prefixes`); torch's loader needs it for the
        wrapped submodules, so it is added here, and dropped again from the
        reported missing and unexpected keys.
        """
        wrapped = {n for n, c in self.named_children() if is_model_wrapper(c)}
        if not wrapped:
            return super().load_state_dict(state_dict, strict, assign)
        renamed = OrderedDict()
        for key, value in state_dict.items():
            head, _, rest = key.partition('.')
            if head in wrapped and not rest.startswith('module.'):
                key = f'{head}.module.{rest}'
            renamed[key] = value
        if hasattr(state_dict, '_metadata'):
            renamed._metadata = state_dict._metadata
        result = super().load_state_dict(renamed, strict, assign)

        def unwrap(key):
            head, _, rest = key.partition('.')
            return f'{head}.{rest[len("module."):]}' if head in wrapped and \
                rest.startswith('module.') else key

        return type(result)([unwrap(k) for k in result.missing_keys],
                            [unwrap(k) for k in result.unexpected_keys])

    def get_extra_state(self):
        # a tensor, not a dict: mmengine broadcasts every state entry
        return self.rng.get_state()

    def set_extra_state(self, state):
        self.rng.set_state(state['rng_state'] if isinstance(state, dict)
                           else state)  # a dict: checkpoints written before

    # ------------------------------------------- identity terms (optional)
    def identity_outputs(self, real_a, real_b):
        """``{'idt_b': G_A2B(b), 'idt_a': G_B2A(a)}`` ([N, 3, H, W]): each
        generator applied to an image already in its target domain."""
        return dict(idt_b=self.generate('A2B', real_b),
                    idt_a=self.generate('B2A', real_a))

    @staticmethod
    def identity_losses(loss, out):
        """``loss_idt_A`` and ``loss_idt_B``: ``loss`` (e.g. an L1Loss)
        between each identity output of ``out`` and its input."""
        return dict(loss_idt_A=loss(out['idt_a'], out['real_a']),
                    loss_idt_B=loss(out['idt_b'], out['real_b']))


def _average_over_ranks(log_vars):
    """Replace each value of ``log_vars`` by its detached mean over ranks.

    Returns ``{name: value}`` of the non-finite ones (without the total
    ``loss`` when a named term explains it).
    """
    names = list(log_vars)
    values = torch.stack([log_vars[k].detach().float().reshape(())
                          for k in names])
    all_reduce(values, op='mean')  # no-op without a process group
    for name, value in zip(names, values):
        log_vars[name] = value
    finite = torch.isfinite(values).tolist()
    bad = {k: float(v) for k, v, ok in zip(names, values, finite) if not ok}
    if len(bad) > 1:
        bad.pop('loss', None)
    return bad


def _drop_wrapper_prefixes(module, state_dict, prefix, local_metadata):
    """Save ``generators.A2B.*``, not ``generators.module.A2B.*``.

    mmengine's ``MMSeparateDistributedDataParallel`` wraps each submodule in
    DDP, which adds ``module.`` to its keys; mmengine's loader strips the
    wrappers before matching keys, so without this hook a multi-process
    checkpoint would load neither into a resumed run nor for testing.
    """
    for name, child in module.named_children():
        if not is_model_wrapper(child):
            continue
        old, new = f'{prefix}{name}.module.', f'{prefix}{name}.'
        for key in [k for k in state_dict if k.startswith(old)]:
            state_dict[new + key[len(old):]] = state_dict.pop(key)
