# DCD-GAN on Rain800 with the paper's settings: batch 1, random 256 crops,
# flip, Adam(0.5, 0.999) at lr 1e-4 for generators, discriminators and
# projection heads, 300 epochs constant then 300 epochs of linear decay to 0
# (700 iterations per epoch: 210000 + 210000 iterations).
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/rain800.py',
    '_base_/schedules/dcdgan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 700  # 700 images / batch 1
train_cfg = dict(max_iters=(300 + 300) * iters_per_epoch,
                 val_interval='1/60')  # every 10 epochs
default_hooks = dict(checkpoint=dict(interval='1/60'))
