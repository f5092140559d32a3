# CycleGAN (Zhu et al. 2017), reference settings: ResNet-9 generators,
# 70x70 PatchGAN discriminators, instance norm, lsgan, cycle 10,
# identity 0.5 x 10, image pool 50, normal init 0.02.
generator = dict(
    type='ResnetGenerator', ngf=64, n_blocks=9, norm='instance',
    antialias=False, global_residual=False, init_type='normal',
    init_gain=0.02)
discriminator = dict(
    type='PatchDiscriminator', ndf=64, n_layers=3, norm='instance',
    antialias=False, init_type='normal', init_gain=0.02)
model = dict(
    type='CycleGAN',
    data_preprocessor=dict(type='UnpairedDataPreprocessor'),
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator),
    gan_loss=dict(type='GANLoss', gan_mode='lsgan', loss_weight=1.0),
    loss_cycle=dict(type='L1Loss', loss_weight=10.0),
    loss_identity=dict(type='L1Loss', loss_weight=5.0),
    pool_size=50)
