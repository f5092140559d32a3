# The built-in demo data: python tools/make_demo_data.py writes
# data/demo_rain from photos shipped with scikit-image (no download).
_base_ = ['./unpaired_deraining.py']

data_root = 'data/demo_rain'
crop_size = 64
train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=crop_size),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
