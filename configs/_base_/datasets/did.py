# DID-Data (DID-MDN, Rain1200): 12000 training pairs (Rain_Heavy/Medium/Light), used unpaired; Test1200.
# Build data/did with tools/dataset_converters/did_data.py
# (see docs/datasets.md).
# 12000 training images: 12000 iterations per epoch at batch 1.
_base_ = ['./unpaired_deraining.py']

data_root = 'data/did'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
