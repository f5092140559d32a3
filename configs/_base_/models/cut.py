# CUT (Park et al., ECCV 2020), reference settings (taesungp/contrastive-
# unpaired-translation, CUT mode): ResNet-9 generator and 3-layer PatchGAN
# with anti-aliased down/up-sampling (the layout the nce_layers indices
# assume), instance norm, xavier init gain 0.02.
# The method's defaults live in CUT's signature (lowvis/models/editors/cut/
# cut.py) and the contrastive branch's: lsgan, no image pool, PatchNCE on
# layers 0,4,8,12,16 with 256 patches, one 256-d head for queries and keys,
# internal negatives (same image), temperature 0.07, lambda_NCE 1 with the
# NCE identity term (the reference averages the two NCE terms, so each
# carries 0.5).
generator = dict(type='ResnetGenerator', antialias=True, init_type='xavier')
discriminator = dict(
    type='PatchDiscriminator', antialias=True, init_type='xavier')
model = dict(
    type='CUT',
    generators=dict(A2B=generator),
    discriminators=dict(B=discriminator))
