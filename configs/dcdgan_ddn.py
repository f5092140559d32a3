# DCD-GAN on DDN-Data (Rain12600 / Test1400) with the paper's settings, as dcdgan_rain800.py
# (batch 1, 256 crops, Adam(0.5, 0.999) lr 1e-4 for generators,
# discriminators and heads, 300 epochs constant + 300 epochs linear decay).
# Epochs -> iterations: 12600 images / batch 1 = 12600 iterations per epoch;
# 300 epochs = 300 * 12600 = 3780000 iterations constant, then as many
# decaying. Build data/ddn with tools/dataset_converters (docs/datasets.md).
_base_ = ['./dcdgan_rain800.py']

data_root = 'data/ddn'
iters_per_epoch = 12600  # num_train_images / batch_size
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
# the decay over the second half is dcdgan_rain800.py's ('300/600')
train_cfg = dict(max_iters=600 * iters_per_epoch, val_interval='1/600')
default_hooks = dict(checkpoint=dict(interval='1/600'))  # every epoch
