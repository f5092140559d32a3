# DCD-GAN on DID-Data (Test1200) with the paper's settings, as dcdgan_rain800.py
# (batch 1, 256 crops, Adam(0.5, 0.999) lr 1e-4 for generators,
# discriminators and heads, 300 epochs constant + 300 epochs linear decay).
# Epochs -> iterations: 12000 images / batch 1 = 12000 iterations per epoch;
# 300 epochs = 300 * 12000 = 3600000 iterations constant, then as many
# decaying. Build data/did with tools/dataset_converters (docs/datasets.md).
_base_ = ['./dcdgan_rain800.py']

data_root = 'data/did'
iters_per_epoch = 12000  # num_train_images / batch_size
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
# the decay over the second half is dcdgan_rain800.py's ('300/600')
train_cfg = dict(max_iters=600 * iters_per_epoch, val_interval='1/600')
default_hooks = dict(checkpoint=dict(interval='1/600'))  # every epoch
