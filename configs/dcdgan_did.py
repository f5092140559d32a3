# DCD-GAN on DID-Data (Test1200) with the paper's settings, as
# dcdgan_rain800.py: 300 epochs constant + 300 epochs linear decay, validated
# and saved every epoch. Build data/did with tools/dataset_converters
# (docs/datasets.md).
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/did.py',
    '_base_/schedules/dcdgan_adam.py', '_base_/default_runtime.py'
]

iters_per_epoch = 12000  # 12000 images / batch 1
train_cfg = dict(max_iters=(300 + 300) * iters_per_epoch,
                 val_interval='1/600')  # every epoch
default_hooks = dict(checkpoint=dict(interval='1/600'))
