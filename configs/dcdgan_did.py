# DCD-GAN on DID-Data (Test1200) with the paper's settings, as
# dcdgan_rain800.py:
# batch 1, random 256 crops, Adam(0.5, 0.999) lr 1e-4 for generators,
# discriminators and heads, 300 epochs constant + 300 epochs linear decay.
# Epochs -> iterations: 12000 images / batch 1 = 12000 iterations per epoch;
# 300 epochs = 300 * 12000 = 3600000 iterations constant,
# then 3600000 decaying.
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/did.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 12000  # num_train_images / batch_size
constant_epochs = 300
decay_epochs = 300
lr = 1e-4

train_dataloader = dict(batch_size=1)
adam = dict(type='Adam', lr=lr, betas=(0.5, 0.999))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generators=dict(type='OptimWrapper', optimizer=adam),
    discriminators=dict(type='OptimWrapper', optimizer=adam),
    heads=dict(type='OptimWrapper', optimizer=adam))
train_cfg = dict(
    max_iters=(constant_epochs + decay_epochs) * iters_per_epoch,
    val_interval=iters_per_epoch)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=constant_epochs * iters_per_epoch,
         end=(constant_epochs + decay_epochs) * iters_per_epoch),
]
default_hooks = dict(checkpoint=dict(interval=iters_per_epoch))
