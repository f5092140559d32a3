"""``OptimWrapperDict`` whose wrappers may update several submodules."""
from mmengine.optim import OptimWrapperDict

from lowvis.utils.errors import CheckpointError

from .optimizer_layout import upgrade_optimizer_layout

__all__ = ['GANOptimWrapperDict']


class GANOptimWrapperDict(OptimWrapperDict):
    """mmengine's ``OptimWrapperDict``, aware of shared wrappers.

    Built by :class:`MultiOptimWrapperConstructor`: one wrapper (the
    generator side's) can hold the param groups of several submodules;
    ``group_owners`` names the submodule of each group (kept here, not in
    the param groups, so that optimizer states stay tensors and numbers).

    * :meth:`get_lr` logs one ``<submodule>.lr`` per submodule (the keys
      ``generators.lr``, ``heads.lr``, ``discriminators.lr`` of the
      one-wrapper-per-submodule layout), not one per wrapper.
    * :meth:`load_state_dict` refuses an old-layout optimizer state (one
      per submodule) with a message; :meth:`upgrade_checkpoint` converts
      one (the runner's checkpoint hook calls it on load).

    Args:
        group_owners (dict | None): ``{wrapper name: [submodule of each
            param group]}``; a wrapper left out owns its groups.
        **optim_wrappers: the wrappers, by name.
    """

    def __init__(self, group_owners=None, **optim_wrappers):
        super().__init__(**optim_wrappers)
        self.group_owners = {
            name: list((group_owners or {}).get(name) or [name] * len(
                wrapper.optimizer.param_groups))
            for name, wrapper in self.items()}

    def shared_sides(self):
        """``{wrapper name: submodule names}`` of the shared wrappers."""
        sides = {}
        for name, owners in self.group_owners.items():
            parts = tuple(dict.fromkeys(owners))
            if len(parts) > 1:
                sides[name] = parts
        return sides

    def get_lr(self):
        """``{'<submodule>.lr': [lr of each of its param groups]}``."""
        lrs = {}
        for name, wrapper in self.items():
            base = wrapper.get_lr().get('base_lr')
            if base is not None:
                lrs[f'{name}.base_lr'] = base
            for owner, group in zip(self.group_owners[name],
                                    wrapper.optimizer.param_groups):
                lrs.setdefault(f'{owner}.lr', []).append(group['lr'])
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
