# CycleGAN on Rain800 with the reference settings (batch 1, lr 2e-4,
# resize 286 -> random crop 256, flip).
# Epochs -> iterations: 700 images / batch 1 = 700 iters per epoch;
# 100 constant + 100 decay epochs = 70000 + 70000 iterations.
_base_ = [
    '_base_/models/cyclegan.py', '_base_/datasets/rain800.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 700
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='Resize', keys=['img_A', 'img_B'], size=286),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=256),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(batch_size=1, dataset=dict(pipeline=train_pipeline))
# every 10 of the 200 epochs; the lr decays over the second half (gan_adam)
train_cfg = dict(max_iters=200 * iters_per_epoch, val_interval='10/200')
default_hooks = dict(checkpoint=dict(interval='10/200'))
