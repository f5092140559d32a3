# Rain800 (ID-CGAN): 700 training pairs, used unpaired; Test100.
# Build data/rain800 with tools/dataset_converters/rain800.py
# (see docs/datasets.md).
# 700 training images: 700 iterations per epoch at batch 1.
_base_ = ['./unpaired_deraining.py']

data_root = 'data/rain800'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
