# Paper Table 4, "w/o adversarial loss" (our reading of the lost symbols:
# 22.84 / 0.731 on Test100). Weight 0 removes the generators' adversarial
# terms; the discriminators still train but no longer guide the generators.
_base_ = ['../dcdgan_rain800.py']

model = dict(gan_loss=dict(loss_weight=0.0))
