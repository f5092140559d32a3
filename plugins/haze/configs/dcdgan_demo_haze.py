# DCD-GAN demo (configs/dcdgan_demo.py) trained to remove haze instead of
# rain: same model, schedule and crops, on data/demo_haze (trainA hazy,
# trainB clean, testA/testB for PSNR/SSIM). Build the data, then train, from
# the repository root:
#   python plugins/haze/make_haze_data.py
#   python tools/train.py plugins/haze/configs/dcdgan_demo_haze.py
_base_ = ['../../../configs/dcdgan_demo.py']

# registers SyntheticHaze (for pipelines that haze clean images on the fly)
custom_imports = dict(imports=['plugins.haze'], allow_failed_imports=False)

data_root = 'data/demo_haze'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
