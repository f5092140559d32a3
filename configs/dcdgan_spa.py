# DCD-GAN on SPA-Data (real rain, Test1000) with the paper's settings, as dcdgan_rain800.py
# (batch 1, 256 crops, Adam(0.5, 0.999) lr 1e-4 for generators,
# discriminators and heads, 300 epochs constant + 300 epochs linear decay).
# Epochs -> iterations: 28500 images / batch 1 = 28500 iterations per epoch;
# 300 epochs = 300 * 28500 = 8550000 iterations constant, then as many
# decaying. Build data/spa with tools/dataset_converters (docs/datasets.md).
_base_ = ['./dcdgan_rain800.py']

data_root = 'data/spa'
iters_per_epoch = 28500  # num_train_images / batch_size
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
# the decay over the second half is dcdgan_rain800.py's ('300/600')
train_cfg = dict(max_iters=600 * iters_per_epoch, val_interval='1/600')
default_hooks = dict(checkpoint=dict(interval='1/600'))  # every epoch
