# SPA-Data (SPANet, real rain): 28500 training pairs, used unpaired; Test1000.
# Build data/spa with tools/dataset_converters/spa_data.py
# (see docs/datasets.md).
# 28500 training images: 28500 iterations per epoch at batch 1.
_base_ = ['./unpaired_deraining.py']

data_root = 'data/spa'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
