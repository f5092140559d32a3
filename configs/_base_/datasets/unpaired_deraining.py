# Unpaired training on <data_root>/trainA (rainy) + trainB (clean);
# full-resolution evaluation on testA (rainy) against testB (ground truth).
# Dataset configs set data_root and may change crop_size / load_size.
data_root = 'data/rain800'  # set by the dataset config
crop_size = 256

train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=crop_size),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='PackUnpairedInputs'),
]

train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='UnpairedInfiniteSampler', shuffle=True),
    dataset=dict(
        type='UnpairedImageDataset',
        data_root=data_root,
        dir_A='trainA',
        dir_B='trainB',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='PairedImageDataset',
        data_root=data_root,
        dir_A='testA',
        dir_B='testB',
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# PSNR/SSIM on RGB and on the Y channel (most deraining papers report Y),
# plus the degraded input's scores as a reference point.
val_evaluator = [
    dict(type='PSNR'),
    dict(type='SSIM'),
    dict(type='PSNR', convert_to='Y'),
    dict(type='SSIM', convert_to='Y'),
    dict(type='PSNR', pred_key='input_img', prefix='input'),
    dict(type='SSIM', pred_key='input_img', prefix='input'),
    dict(type='PSNR', pred_key='input_img', prefix='input', convert_to='Y'),
    dict(type='SSIM', pred_key='input_img', prefix='input', convert_to='Y'),
]
test_evaluator = val_evaluator
