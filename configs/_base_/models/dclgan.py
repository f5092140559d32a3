# DCLGAN (Han et al., CVPRW 2021), reference settings (JunlinHan/DCLGAN, DCL
# mode): two ResNet-9 generators and two 3-layer PatchGANs with anti-aliased
# sampling, instance norm, xavier init gain 0.02.
# The method's defaults live in DCLGAN's signature (lowvis/models/editors/
# dclgan/dclgan.py) and the contrastive branch's: hinge GAN, no image pool,
# PatchNCE on layers 4,8,12,16 with 256 patches, two unshared 256-d heads,
# negatives from every patch of the minibatch (the reference's PatchNCELoss
# flattens the batch), temperature 0.07, L1 identity; lambda_GAN 1,
# lambda_NCE 2, lambda_IDT 1, each averaged over the two directions by the
# reference, so each term carries half its lambda: adversarial 0.5, NCE 1.0
# and identity 0.5 per direction.
generator = dict(type='ResnetGenerator', antialias=True, init_type='xavier')
discriminator = dict(
    type='PatchDiscriminator', antialias=True, init_type='xavier')
model = dict(
    type='DCLGAN',
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator))
