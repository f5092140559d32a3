# Paper Table 4, "w/o frequency loss" (our reading of the lost symbols:
# 25.40 / 0.799 on Test100).
_base_ = ['../dcdgan_rain800.py']

model = dict(loss_freq=dict(loss_weight=0.0))
