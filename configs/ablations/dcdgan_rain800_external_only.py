# Paper Table 5, "external only": 255 negatives from the other CGB side's
# keys of the same layer (25.09 / 0.798 on Test100).
_base_ = ['../dcdgan_rain800.py']

model = dict(
    contrastive=dict(
        negative_sampler=dict(
            type='ExternalNegativeSampler',
            num_negatives=255)))
