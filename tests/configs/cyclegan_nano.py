# The micro CycleGAN at width 4 and without validation, for the tests that
# train it several times through tools/train.py (kill and resume, the NaN
# guard). Each test's own config inherits this one and adds the data_root
# of the session's demo dataset and what the test changes.
_base_ = ['./cyclegan_micro.py']

generator = dict(ngf=4)
discriminator = dict(ndf=4)
model = dict(
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator))
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(save_best=None))
