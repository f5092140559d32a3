# CycleGAN demo (configs/cyclegan_demo.py) with U-Net generators instead of
# ResNet ones: ngf 16, 3 down stages (64 px crops -> 8 px bottleneck),
# global residual. Run from the repository root so 'plugins' is importable:
#   python tools/train.py plugins/unet_generator/configs/cyclegan_demo_unet.py
_base_ = ['../../../configs/cyclegan_demo.py']

custom_imports = dict(
    imports=['plugins.unet_generator'], allow_failed_imports=False)

# _delete_ drops the ResNet keys (n_blocks, antialias, ...) of the base
generator = dict(
    _delete_=True, type='UnetGenerator', ngf=16, num_downs=3,
    norm='instance', global_residual=True)
model = dict(generators=dict(A2B=generator, B2A=generator))
