# DCD-GAN (Chen et al., CVPR 2022), the paper's objective (see docs/dcdgan.md):
# ResNet-9 generators and 3-layer PatchGANs with anti-aliased sampling (the
# public code's layout, which the nce_layers indices assume), instance norm,
# xavier init gain 0.02; contrastive 2 (per CGB side), colour cycle 1,
# adversarial 1, frequency 0.1; 255 internal + 256 external negatives.
# gan_mode: the paper does not name one; lsgan as CycleGAN (the public code
# uses hinge: configs/dcdgan_official_rain800.py).
generator = dict(
    type='ResnetGenerator', ngf=64, n_blocks=9, norm='instance',
    antialias=True, global_residual=False, init_type='xavier',
    init_gain=0.02)
discriminator = dict(
    type='PatchDiscriminator', ndf=64, n_layers=3, norm='instance',
    antialias=True, init_type='xavier', init_gain=0.02)
model = dict(
    type='DCDGAN',
    data_preprocessor=dict(type='UnpairedDataPreprocessor'),
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator),
    gan_loss=dict(type='GANLoss', gan_mode='lsgan', loss_weight=1.0),
    nce_layers=(4, 8, 12, 16),
    contrastive=dict(
        head=dict(type='ProjectionHead', out_channels=256),
        patch_sampler=dict(type='PatchSampler', num_patches=256),
        # internal + external ("dual") negatives; the ablations swap in
        # InternalNegativeSampler / ExternalNegativeSampler
        negative_sampler=dict(
            type='DualNegativeSampler', num_internal=255, num_external=256),
        nce_loss=dict(type='PatchNCELoss', temperature=0.07,
                      loss_weight=2.0)),
    # ColorCycleLoss (paper eq. 3) or dict(type='L1Loss') for a plain cycle
    loss_cycle=dict(type='ColorCycleLoss', loss_weight=1.0),
    # norm='l1' (ortho FFT) or 'l2_sum' (the public code's formula)
    loss_freq=dict(type='FrequencyLoss', loss_weight=0.1, norm='l1'),
    freq_pairs='cycle',  # or 'translated_vs_real' (public code)
    loss_identity=dict(type='L1Loss', loss_weight=0.0),  # off (paper)
    backward_cycle=True,
    pool_size=0)
