# Paper Table 4, "w/ plain cycle-consistency loss" instead of the colour one
# (25.32 / 0.795 on Test100). Note: ColorCycleLoss = 3 x the plain L1 mean,
# so at equal weight this ablation is the same loss at a third of the weight.
_base_ = ['../dcdgan_rain800.py']

model = dict(loss_cycle=dict(type='L1Loss', loss_weight=1.0))
