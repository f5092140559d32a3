"""One rule for defaults: configs merge into the signature's defaults."""
import pytest

from lowvis.models.utils import build_optional, loss_enabled, merge_defaults


def test_merge_keeps_what_is_not_given_and_never_edits_the_defaults():
    defaults = dict(nce_loss=dict(type='PatchNCELoss', loss_weight=0.5),
                    patch_sampler=dict(type='PatchSampler'))
    merged = merge_defaults(defaults, dict(nce_loss=dict(temperature=0.1)))
    assert merged == dict(
        nce_loss=dict(type='PatchNCELoss', loss_weight=0.5, temperature=0.1),
        patch_sampler=dict(type='PatchSampler'))
    assert defaults['nce_loss'] == dict(type='PatchNCELoss', loss_weight=0.5)


def test_another_type_or_delete_replaces_instead_of_merging():
    defaults = dict(sampler=dict(type='DualNegativeSampler', num_internal=3))
    other = merge_defaults(defaults,
                           dict(sampler=dict(type='InternalNegativeSampler')))
    assert other == dict(sampler=dict(type='InternalNegativeSampler'))
    deleted = merge_defaults(defaults, dict(sampler=dict(
        _delete_=True, type='DualNegativeSampler')))
    assert deleted == dict(sampler=dict(type='DualNegativeSampler'))


def test_none_turns_the_part_off():
    assert merge_defaults(dict(type='L1Loss'), None) is None


@pytest.mark.parametrize('cfg, on', [
    (None, False), ({}, False), (dict(type='L1Loss', loss_weight=0), False),
    (dict(type='L1Loss'), True), (dict(type='L1Loss', loss_weight=0.5), True)
])
def test_loss_enabled(cfg, on):
    assert loss_enabled(cfg) is on
    assert (build_optional(cfg) is not None) is on
