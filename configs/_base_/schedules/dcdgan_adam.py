# DCD-GAN's optimizers (paper): Adam(0.5, 0.999) at lr 1e-4 for the
# generators, the discriminators and the projection heads. Configs add the
# run length (300 constant + 300 decay epochs, in iterations).
_base_ = ['./gan_adam.py']

adam = dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))
optim_wrapper = dict(
    generators=dict(optimizer=adam),
    discriminators=dict(optimizer=adam),
    heads=dict(type='OptimWrapper', optimizer=adam))
