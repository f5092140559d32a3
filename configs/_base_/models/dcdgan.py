# DCD-GAN (Chen et al., CVPR 2022), the paper's objective (see docs/dcdgan.md):
# ResNet-9 generators and 3-layer PatchGANs with anti-aliased sampling (the
# public code's layout, which the nce_layers indices assume), instance norm,
# xavier init gain 0.02.
# The method's defaults live in DCDGAN's signature (lowvis/models/editors/
# dcdgan/dcdgan.py) and the contrastive branch's: contrastive 2 per CGB side
# on layers 4,8,12,16 (256 patches, 256-d heads, temperature 0.07), colour
# cycle 1, adversarial 1 (lsgan: the paper names no gan_mode; the public code
# uses hinge, configs/dcdgan_official_rain800.py), frequency 0.1 with
# norm='l1' on the cycle pairs, no identity term, no image pool, and dual
# negatives (all 255 internal + 256 external). The switches a config may
# name: contrastive.negative_sampler (Internal/External/DualNegativeSampler),
# loss_cycle (ColorCycleLoss or L1Loss), loss_freq.norm ('l1' or 'l2_sum',
# the public code's formula), freq_pairs ('cycle' or 'translated_vs_real',
# the public code's), loss_identity, backward_cycle, pool_size.
generator = dict(type='ResnetGenerator', antialias=True, init_type='xavier')
discriminator = dict(
    type='PatchDiscriminator', antialias=True, init_type='xavier')
model = dict(
    type='DCDGAN',
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator))
