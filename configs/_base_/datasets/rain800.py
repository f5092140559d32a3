# Rain800 (ID-CGAN): 700 training pairs, used unpaired; Test100.
# Build data/rain800 with tools/dataset_converters/rain800.py
# (see docs/datasets.md).
# 700 training images: 700 iterations per epoch at batch 1.
_base_ = ['./unpaired_deraining.py']

data_root = 'data/rain800'
# GPU throughput: decoding and cropping in 4 worker processes kept alive
# between epochs, batches in pinned memory for asynchronous copies
train_dataloader = dict(
    num_workers=4, persistent_workers=True, pin_memory=True,
    dataset=dict(data_root=data_root))
val_dataloader = dict(
    num_workers=2, pin_memory=True, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
