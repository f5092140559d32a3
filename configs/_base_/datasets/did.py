# DID-Data (DID-MDN, Rain1200): 12000 training pairs (Rain_Heavy/Medium/Light), used unpaired; Test1200.
# Build data/did with tools/dataset_converters/did_data.py
# (see docs/datasets.md).
_base_ = ['./unpaired_deraining.py']

data_root = 'data/did'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
# training images per epoch, used by schedules to convert epochs
num_train_images = 12000
