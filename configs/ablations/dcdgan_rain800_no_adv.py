# Paper Table 4, "w/o adversarial loss" (our reading of the lost symbols:
# 22.84 / 0.731 on Test100). Weight 0 removes the generators' adversarial
# terms, and the discriminator step is skipped (D is not trained).
_base_ = ['../dcdgan_rain800.py']

model = dict(gan_loss=dict(loss_weight=0.0))
