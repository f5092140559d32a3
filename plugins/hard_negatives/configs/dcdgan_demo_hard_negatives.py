# DCD-GAN demo (configs/dcdgan_demo.py) with hard negatives: each query keeps
# the 64 candidates most similar to its positive, out of the 63 internal and
# 64 external keys of its layer, after skipping the 4 nearest (likely false
# negatives). Run from the repository root so 'plugins' is importable:
#   python tools/train.py plugins/hard_negatives/configs/dcdgan_demo_hard_negatives.py
_base_ = ['../../../configs/dcdgan_demo.py']

custom_imports = dict(
    imports=['plugins.hard_negatives'], allow_failed_imports=False)

model = dict(
    contrastive=dict(
        negative_sampler=dict(
            _delete_=True, type='HardNegativeSampler', num_negatives=64,
            skip_nearest=4, include_external=True)))
