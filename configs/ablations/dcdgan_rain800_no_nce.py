# Paper Table 4, "w/o contrastive loss" (our reading of the lost symbols:
# 24.03 / 0.754 on Test100). Weight 0 removes the CGB: no heads are built,
# so the heads' optimizer entry goes too.
_base_ = ['../dcdgan_rain800.py']

model = dict(contrastive=dict(nce_loss=dict(loss_weight=0.0)))
optim_wrapper = dict(
    _delete_=True,
    constructor='MultiOptimWrapperConstructor',
    generators={{_base_.optim_wrapper.generators}},
    discriminators={{_base_.optim_wrapper.discriminators}})
