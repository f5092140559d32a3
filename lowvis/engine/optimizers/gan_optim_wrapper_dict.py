"""``OptimWrapperDict`` whose wrappers may update several submodules."""
from mmengine.optim import OptimWrapperDict

from lowvis.utils.errors import CheckpointError

from .optimizer_layout import upgrade_optimizer_layout

__all__ = ['GANOptimWrapperDict']


class GANOptimWrapperDict(OptimWrapperDict):
    """mmengine's ``OptimWrapperDict``, aware of shared wrappers.

    Built by :class:`MultiOptimWrapperConstructor`: each param group is
    tagged ``submodule=<name>``, so one wrapper (the generator side's) can
    hold the groups of several submodules.

    * :meth:`get_lr` logs one ``<submodule>.lr`` per submodule (the keys
      ``generators.lr``, ``heads.lr``, ``discriminators.lr`` of the
      one-wrapper-per-submodule layout), not one per wrapper.
    * :meth:`load_state_dict` refuses an old-layout optimizer state (one
      per submodule) with a message; :meth:`upgrade_checkpoint` converts
      one (the runner's checkpoint hook calls it on load).
    """

    def shared_sides(self):
        """``{wrapper name: submodule names}`` of the shared wrappers."""
        sides = {}
        for name, wrapper in self.items():
            parts = list(dict.fromkeys(
                g.get('submodule', name)
                for g in wrapper.optimizer.param_groups))
            if len(parts) > 1:
                sides[name] = tuple(parts)
        return sides

    def get_lr(self):
        """``{'<submodule>.lr': [lr of each of its param groups]}``."""
        lrs = {}
        for name, wrapper in self.items():
            base = wrapper.get_lr().get('base_lr')
            if base is not None:
                lrs[f'{name}.base_lr'] = base
            for group in wrapper.optimizer.param_groups:
                key = f'{group.get("submodule", name)}.lr'
                lrs.setdefault(key, []).append(group['lr'])
        return lrs

    def upgrade_checkpoint(self, checkpoint):
        """Convert an old-layout ``checkpoint`` in place; True if it was."""
        return upgrade_optimizer_layout(checkpoint, self.shared_sides())

    def load_state_dict(self, state_dict):
        unknown = sorted(set(state_dict) - set(self.keys()))
        if unknown:
            raise CheckpointError(
                f'the checkpoint holds optimizer states {sorted(state_dict)}'
                f' but this run updates {sorted(self.keys())} (one wrapper '
                'for the generator side): it has the old layout; convert it '
                'with tools/convert_checkpoint.py --upgrade CKPT --config '
                'CFG --out NEW.pth')
        super().load_state_dict(state_dict)
