# The tiny networks of the contrastive demo configs (cut_demo.py,
# dclgan_demo.py; dcdgan_demo.py uses the plain pair at the end): the
# reference layout (anti-aliased sampling, instance norm, xavier init gain
# 0.02) at demo widths, ngf 16 with
# 3 residual blocks and ndf 16 with 2 layers, global residual on. A config
# that lists this file uses them as {{_base_.tiny_generator}} and
# {{_base_.tiny_discriminator}}. With 3 residual blocks the generator's
# encoder layers are 0-11 and its blocks 12-14 (the NCE tap indices).
tiny_generator = dict(
    type='ResnetGenerator', ngf=16, n_blocks=3, norm='instance',
    antialias=True, global_residual=True, init_type='xavier',
    init_gain=0.02)
tiny_discriminator = dict(
    type='PatchDiscriminator', ndf=16, n_layers=2, norm='instance',
    antialias=True, init_type='xavier', init_gain=0.02)
# The same networks in CycleGAN's sampling layout (strided and transposed
# convolutions instead of blur sampling), the architecture the DCD-GAN paper
# names ("based on CycleGAN"; its public code uses the anti-aliased one).
# dcdgan_demo.py uses them: at demo size they derain where the anti-aliased
# pair leaves the streaks (docs/training_notes.md). With 3 residual blocks
# the encoder layers are 0-9 (down-sampling convs 4 and 7) and the blocks
# 10-12.
tiny_plain_generator = dict(tiny_generator, antialias=False)
tiny_plain_discriminator = dict(tiny_discriminator, antialias=False)
