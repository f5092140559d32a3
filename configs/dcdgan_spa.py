# DCD-GAN on SPA-Data (real rain, Test1000) with the paper's settings, as
# dcdgan_rain800.py: 300 epochs constant + 300 epochs linear decay, validated
# and saved every epoch. Build data/spa with tools/dataset_converters
# (docs/datasets.md).
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/spa.py',
    '_base_/schedules/dcdgan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 28500  # 28500 images / batch 1
train_cfg = dict(max_iters=(300 + 300) * iters_per_epoch,
                 val_interval='1/600')  # every epoch
default_hooks = dict(checkpoint=dict(interval='1/600'))
