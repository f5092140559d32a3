# DCD-GAN on Rain800 with the paper's settings: batch 1, random 256 crops,
# flip, Adam(0.5, 0.999) at lr 1e-4 for generators, discriminators and
# projection heads, 300 epochs constant then 300 epochs of linear decay to 0.
# Epochs -> iterations: 700 images / batch 1 = 700 iterations per epoch;
# 300 epochs = 300 * 700 = 210000 iterations, so constant for 210000 and
# decaying over the next 210000 (420000 in all).
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/rain800.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 700  # num_train_images / batch_size
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
    val_interval=f'10/{constant_epochs + decay_epochs}')  # 10 epochs
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=f'{constant_epochs}/{constant_epochs + decay_epochs}',
         end='100%'),
]
default_hooks = dict(checkpoint=dict(
    interval=f'10/{constant_epochs + decay_epochs}'))
