# Paper Table 6, "w/o backward cycle" (24.15 / 0.776 on Test100): no
# b -> fake_a -> rec_b, so no second CGB side. External negatives come from
# that side, so this ablation contrasts with the 255 internal negatives.
_base_ = ['../dcdgan_rain800.py']

model = dict(
    backward_cycle=False,
    contrastive=dict(
        negative_sampler=dict(
            type='InternalNegativeSampler',
            num_negatives=255)))
