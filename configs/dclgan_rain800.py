# DCLGAN on Rain800 with the published settings: batch 1, resize 286 ->
# random crop 256, flip, Adam(0.5, 0.999) at lr 2e-4 for generators and
# discriminators, 200 epochs constant then 200 epochs of linear decay to 0.
# The projection heads' optimizer gets no lr in the reference code, so it
# runs at Adam's defaults (lr 1e-3, betas 0.9, 0.999); kept here.
# Epochs -> iterations: 700 images / batch 1 = 700 iterations per epoch;
# 200 + 200 epochs = 140000 + 140000 iterations.
_base_ = [
    '_base_/models/dclgan.py', '_base_/datasets/rain800.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 700  # num_train_images / batch_size
constant_epochs = 200
decay_epochs = 200
lr = 2e-4

train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='Resize', keys=['img_A', 'img_B'], size=286),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=256),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(batch_size=1, dataset=dict(pipeline=train_pipeline))
adam = dict(type='Adam', lr=lr, betas=(0.5, 0.999))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generators=dict(type='OptimWrapper', optimizer=adam),
    discriminators=dict(type='OptimWrapper', optimizer=adam),
    heads=dict(type='OptimWrapper',
               optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))))
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
