# Paper Table 5, "internal only": 255 negatives from the same feature stack
# (25.47 / 0.815 on Test100).
_base_ = ['../dcdgan_rain800.py']

model = dict(
    contrastive=dict(
        negative_sampler=dict(
            type='InternalNegativeSampler',
            num_negatives=255)))
