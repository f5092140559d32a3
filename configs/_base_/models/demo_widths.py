# The tiny networks of the contrastive demo configs (cut_demo.py,
# dclgan_demo.py, dcdgan_demo.py): the reference layout (anti-aliased
# sampling, instance norm, xavier init gain 0.02) at demo widths, ngf 16 with
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
