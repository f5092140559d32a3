"""plugins/hard_negatives: HardNegativeSampler and its DCD-GAN config."""
import glob
import math
import os.path as osp

import pytest
import torch

from lowvis.models.contrastive import ContrastiveBranch
from lowvis.registry import MODELS
from lowvis.utils.errors import ConfigError
from plugins.hard_negatives import HardNegativeSampler
from tool_modules import training_refusal

CONFIG = 'plugins/hard_negatives/configs/dcdgan_demo_hard_negatives.py'


def unit_vectors(degrees):
    """[1, len, 2] unit vectors at the given angles."""
    rad = torch.tensor(degrees, dtype=torch.float64) * math.pi / 180
    return torch.stack([rad.cos(), rad.sin()], dim=-1).unsqueeze(0)


def kept(mask, query):
    """Bank indices that are negatives of ``query`` (image 0)."""
    return sorted(torch.nonzero(~mask[0, query]).flatten().tolist())


KEYS = unit_vectors([0, 10, 30, 100, 180])


def test_registered_under_its_file_name():
    sampler = MODELS.build(dict(type='HardNegativeSampler', num_negatives=2))
    assert isinstance(sampler, HardNegativeSampler)


def test_keeps_the_most_similar_candidates():
    bank, mask = HardNegativeSampler(num_negatives=2)(KEYS)
    assert torch.equal(bank, KEYS)
    assert mask.shape == (1, 5, 5)
    # angles to 0 deg: 10 < 30 < 90 < 180 -> the two hardest are 1 and 2
    assert kept(mask, 0) == [1, 2]
    # angles to 100 deg: 70 (idx 2) < 80 (idx 4) < 90 (idx 1) < 100 (idx 0)
    assert kept(mask, 3) == [2, 4]
    # angles to 180 deg: 80 (idx 3) < 150 (idx 2) < 170 < 180
    assert kept(mask, 4) == [2, 3]


def test_skip_nearest_drops_the_closest_first():
    _, mask = HardNegativeSampler(num_negatives=2, skip_nearest=1)(KEYS)
    assert kept(mask, 0) == [2, 3]
    assert kept(mask, 3) == [1, 4]


def test_positive_is_never_a_negative_and_counts_are_exact():
    keys = torch.nn.functional.normalize(torch.randn(3, 16, 8), dim=-1)
    _, mask = HardNegativeSampler(num_negatives=15)(keys)
    assert mask.diagonal(dim1=1, dim2=2).all()
    assert ((~mask).sum(-1) == 15).all()


def test_external_candidates_are_ranked_with_the_internal_ones():
    other = unit_vectors([5, 170])
    sampler = HardNegativeSampler(num_negatives=2, include_external=True)
    bank, mask = sampler(KEYS, other)
    assert bank.shape == (1, 7, 2) and mask.shape == (1, 5, 7)
    assert torch.equal(bank[:, 5:], other)
    # to 0 deg: external 5 deg (bank 5) then internal 10 deg (bank 1)
    assert kept(mask, 0) == [1, 5]
    # to 180 deg: external 170 deg (bank 6) then internal 100 deg (bank 3)
    assert kept(mask, 4) == [3, 6]
    # without include_external the other side's keys are ignored
    bank, _ = HardNegativeSampler(num_negatives=2)(KEYS, other)
    assert bank.shape == (1, 5, 2)


def test_bank_is_detached():
    keys = KEYS.clone().requires_grad_(True)
    bank, _ = HardNegativeSampler(num_negatives=1)(keys)
    assert not bank.requires_grad


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match='include_external=True needs'):
        HardNegativeSampler(num_negatives=1, include_external=True)(KEYS)
    with pytest.raises(ConfigError, match='only 4 candidates'):
        HardNegativeSampler(num_negatives=4, skip_nearest=1)(KEYS)
    with pytest.raises(ConfigError, match='num_negatives must be an integer'):
        HardNegativeSampler(num_negatives=0)
    with pytest.raises(ConfigError, match='skip_nearest'):
        HardNegativeSampler(skip_nearest=-1)


def test_impossible_counts_are_refused_when_the_branch_is_built():
    def branch(**sampler):
        return ContrastiveBranch(
            nce_layers=[0], feature_channels={'A2B': [4], 'B2A': [4]},
            head=dict(type='ProjectionHead', out_channels=16),
            patch_sampler=dict(type='PatchSampler', num_patches=12),
            negative_sampler=dict(type='HardNegativeSampler', **sampler))
    with pytest.raises(ConfigError) as info:
        branch(num_negatives=10, skip_nearest=2)
    assert str(info.value) == (
        'HardNegativeSampler: skip_nearest + num_negatives = '
        '12 but each query has only 11 candidates '
        '(PatchSampler.num_patches=12); lower them or sample more patches '
        '(PatchSampler.num_patches).')
    branch(num_negatives=9, skip_nearest=2)  # 11 of 11: accepted
    # the other side's 12 keys are candidates too
    branch(num_negatives=21, skip_nearest=2, include_external=True)
    with pytest.raises(ConfigError, match='only 23 candidates'):
        branch(num_negatives=22, skip_nearest=2, include_external=True)


def test_impossible_counts_stop_the_real_tool_before_training(
        run_tool, demo_data_root, tmp_path):
    # 63 internal + 64 external candidates per query; 4 + 124 wanted
    assert training_refusal(
        run_tool, CONFIG, demo_data_root, tmp_path,
        'model.contrastive.negative_sampler.num_negatives=124') == (
        'error: HardNegativeSampler: skip_nearest + num_negatives = 128 but '
        'each query has only 127 candidates (PatchSampler.num_patches=64); '
        'lower them or sample more patches (PatchSampler.num_patches).')


def test_contrastive_branch_trains_with_it():
    torch.manual_seed(0)
    branch = ContrastiveBranch(
        nce_layers=[0, 1], feature_channels={'A2B': [4, 8], 'B2A': [4, 8]},
        head=dict(type='ProjectionHead', out_channels=16),
        patch_sampler=dict(type='PatchSampler', num_patches=12),
        negative_sampler=dict(type='HardNegativeSampler', num_negatives=8,
                              skip_nearest=2, include_external=True))
    feats = [torch.randn(2, 4, 8, 8), torch.randn(2, 8, 4, 4)]
    queries = [f.clone().requires_grad_(True) for f in feats]
    side1 = branch.sample(queries, feats, 'B2A', 'A2B')
    side2 = branch.sample(feats, queries, 'A2B', 'B2A')
    loss = branch.side_loss(side1, side2)
    assert torch.isfinite(loss)
    loss.backward()
    assert queries[0].grad is not None and queries[0].grad.abs().sum() > 0


def test_dcdgan_config_trains(train_micro, demo_data_root):
    result, work_dir = train_micro(CONFIG, demo_data_root)
    log = result.stdout + result.stderr
    # the full config goes to the run's log file, not to the console
    log_files = glob.glob(osp.join(work_dir, '*', '*.log'))
    assert log_files and "type='HardNegativeSampler'" in open(
        log_files[0]).read()
    assert 'loss_nce_side1' in log and 'loss_nce_side2' in log
