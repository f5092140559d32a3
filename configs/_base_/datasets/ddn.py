# DDN-Data (Rain12600 / Rain1400): 12600 rainy training images, used unpaired; Test1400.
# Build data/ddn with tools/dataset_converters/ddn_data.py
# (see docs/datasets.md).
# 12600 training images: 12600 iterations per epoch at batch 1.
_base_ = ['./unpaired_deraining.py']

data_root = 'data/ddn'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
