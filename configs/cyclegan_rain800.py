# CycleGAN on Rain800 with the reference settings: batch 1, resize 286 ->
# random crop 256, flip, Adam(0.5, 0.999) at lr 2e-4, 100 epochs constant then
# 100 epochs of linear decay to 0 (700 iterations per epoch).
_base_ = [
    '_base_/models/cyclegan.py', '_base_/datasets/rain800_resized.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 700  # 700 images / batch 1
train_cfg = dict(max_iters=(100 + 100) * iters_per_epoch,
                 val_interval='1/20')  # every 10 epochs
default_hooks = dict(checkpoint=dict(interval='1/20'))
