# CycleGAN (Zhu et al. 2017), reference settings: ResNet-9 generators,
# 70x70 PatchGAN discriminators, instance norm, normal init 0.02 (the
# architectures' defaults). The method's defaults live in CycleGAN's
# signature (lowvis/models/editors/cyclegan/cyclegan.py): lsgan, cycle L1 10,
# identity L1 0.5 x 10 = 5, image pool 50. A config changes one of them by
# naming only it, e.g. model = dict(loss_identity=dict(loss_weight=0.0)).
generator = dict(type='ResnetGenerator')
discriminator = dict(type='PatchDiscriminator')
model = dict(
    type='CycleGAN',
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator))
