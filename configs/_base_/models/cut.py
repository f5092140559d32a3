# CUT (Park et al., ECCV 2020), reference settings (taesungp/contrastive-
# unpaired-translation, CUT mode): ResNet-9 generator and 3-layer PatchGAN
# with anti-aliased down/up-sampling (the layout the nce_layers indices
# assume), instance norm, xavier init gain 0.02, lsgan, no image pool;
# PatchNCE on layers 0,4,8,12,16 with 256 patches, one 256-d head for queries
# and keys, internal negatives (same image), temperature 0.07.
# lambda_NCE 1 with the NCE identity term; the reference averages the two NCE
# terms, so each carries 0.5 here.
generator = dict(
    type='ResnetGenerator', ngf=64, n_blocks=9, norm='instance',
    antialias=True, global_residual=False, init_type='xavier',
    init_gain=0.02)
discriminator = dict(
    type='PatchDiscriminator', ndf=64, n_layers=3, norm='instance',
    antialias=True, init_type='xavier', init_gain=0.02)
model = dict(
    type='CUT',
    data_preprocessor=dict(type='UnpairedDataPreprocessor'),
    generators=dict(A2B=generator),
    discriminators=dict(B=discriminator),
    gan_loss=dict(type='GANLoss', gan_mode='lsgan', loss_weight=1.0),
    nce_layers=(0, 4, 8, 12, 16),
    contrastive=dict(
        head=dict(type='ProjectionHead', out_channels=256),
        patch_sampler=dict(type='PatchSampler', num_patches=256),
        negative_sampler=dict(type='InternalNegativeSampler'),
        nce_loss=dict(type='PatchNCELoss', temperature=0.07,
                      loss_weight=0.5)),
    nce_idt=True,
    flip_equivariance=False)
