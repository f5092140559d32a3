# Rain800 with the CycleGAN / CUT / DCLGAN data recipe: each image resized
# to 286 x 286 (aspect ratio not kept), then random 256 crops and flips.
_base_ = ['./rain800.py']

train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='Resize', keys=['img_A', 'img_B'], size=286),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=256),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
