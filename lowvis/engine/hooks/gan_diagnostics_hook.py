"""Measure what drives (or stalls) an unpaired GAN while it trains."""
import json
import os.path as osp

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from lowvis.engine.model_utils import bare_model
from lowvis.registry import HOOKS


@HOOKS.register_module()
class GANDiagnosticsHook(Hook):
    """Every ``interval`` iterations, record one batch's training signals.

    For the current training batch it re-runs the model's generator passes
    (``forward_train``) and writes one JSON line to
    ``<work_dir>/diagnostics.jsonl`` with:

    * ``iter``: the iteration just finished (1-based);
    * ``delta_A2B``: mean absolute change the restoring generator makes,
      ``mean|G_A2B(a) - a|`` on the [0, 1] scale (0 = identity);
    * ``grad_A2B/<loss>``: L2 norm of each generator loss term's gradient
      with respect to ``G_A2B``'s parameters (0 for terms that do not reach
      it), i.e. which term actually moves the deraining generator;
    * ``D_<domain>_real`` / ``D_<domain>_fake``: mean raw discriminator
      output on the domain's real images and on the generated ones (for
      lsgan the targets are 1 and 0).

    The model's and torch's RNG states are saved before and restored after,
    so a run with the hook trains exactly as one without it. Costs one
    forward plus one backward per loss term, every ``interval`` iterations.
    Rank 0 only.

    Args:
        interval (int): iterations between measurements.
    """

    priority = 'LOW'

    def __init__(self, interval=50):
        self.interval = interval

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if (data_batch is None or not is_main_process()
                or not self.every_n_train_iters(runner, self.interval)):
            return
        model = bare_model(runner.model)
        record = dict(iter=runner.iter + 1, **self.measure(model, data_batch))
        with open(osp.join(runner.work_dir, 'diagnostics.jsonl'), 'a') as f:
            f.write(json.dumps(record) + '\n')

    def measure(self, model, data_batch):
        """Return ``{name: float}`` for one batch (see the class doc)."""
        cpu_state = torch.get_rng_state()
        model_state = model.rng.get_state()
        try:
            return self._measure(model, data_batch)
        finally:
            torch.set_rng_state(cpu_state)
            model.rng.set_state(model_state)

    def _measure(self, model, data_batch):
        data = model.data_preprocessor(data_batch, True)
        real_a, real_b = data['inputs']['img_A'], data['inputs']['img_B']
        out = model.forward_train(real_a, real_b)
        stats = dict(delta_A2B=float(
            (out['fake_b'] - real_a).detach().abs().mean()) / 2)
        with torch.no_grad():
            for domain, real, fake in (('B', real_b, out['fake_b']),
                                       ('A', real_a, out.get('fake_a'))):
                if fake is None or domain not in model.discriminators:
                    continue
                stats[f'D_{domain}_real'] = float(
                    model.discriminate(domain, real).mean())
                stats[f'D_{domain}_fake'] = float(
                    model.discriminate(domain, fake).mean())
        params = [p for p in model.generators['A2B'].parameters()
                  if p.requires_grad]
        losses = model.generator_losses(out)
        for name, loss in losses.items():
            grads = torch.autograd.grad(loss, params, retain_graph=True,
                                        allow_unused=True)
            norm = sum(float(g.pow(2).sum()) for g in grads if g is not None)
            stats[f'grad_A2B/{name}'] = norm ** 0.5
        model.zero_grad(set_to_none=True)
        return stats
