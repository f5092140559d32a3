# Paper Table 4, "w/o colour cycle-consistency loss" (our reading of the
# lost symbols: 25.08 / 0.782 on Test100).
_base_ = ['../dcdgan_rain800.py']

model = dict(loss_cycle=dict(loss_weight=0.0))
