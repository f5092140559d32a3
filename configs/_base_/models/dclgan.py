# DCLGAN (Han et al., CVPRW 2021), reference settings (JunlinHan/DCLGAN, DCL
# mode): two ResNet-9 generators and two 3-layer PatchGANs with anti-aliased
# sampling, instance norm, xavier init gain 0.02, hinge GAN, no image pool;
# PatchNCE on layers 4,8,12,16 with 256 patches, two unshared 256-d heads,
# internal negatives, temperature 0.07; L1 identity.
# lambda_GAN 1, lambda_NCE 2, lambda_IDT 1; the reference averages each pair
# of terms over the two directions, so each term carries half its lambda
# here: adversarial 0.5, NCE 1.0 and identity 0.5 per direction.
generator = dict(
    type='ResnetGenerator', ngf=64, n_blocks=9, norm='instance',
    antialias=True, global_residual=False, init_type='xavier',
    init_gain=0.02)
discriminator = dict(
    type='PatchDiscriminator', ndf=64, n_layers=3, norm='instance',
    antialias=True, init_type='xavier', init_gain=0.02)
model = dict(
    type='DCLGAN',
    data_preprocessor=dict(type='UnpairedDataPreprocessor'),
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator),
    gan_loss=dict(type='GANLoss', gan_mode='hinge', loss_weight=0.5),
    nce_layers=(4, 8, 12, 16),
    contrastive=dict(
        head=dict(type='ProjectionHead', out_channels=256),
        patch_sampler=dict(type='PatchSampler', num_patches=256),
        negative_sampler=dict(type='InternalNegativeSampler'),
        nce_loss=dict(type='PatchNCELoss', temperature=0.07,
                      loss_weight=1.0)),
    loss_identity=dict(type='L1Loss', loss_weight=0.5))
