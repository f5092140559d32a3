# Tiny FastCUT on the built-in demo data: cut_demo.py's widths, crops, taps
# and schedule with the FastCUT model (no NCE identity, NCE weight 10, flip
# equivariance).
_base_ = [
    '_base_/models/fastcut.py', '_base_/datasets/demo_rain.py',
    '_base_/schedules/demo.py'  # includes default_runtime.py
]

generator = dict(
    type='ResnetGenerator', ngf=16, n_blocks=3, norm='instance',
    antialias=True, global_residual=True, init_type='xavier',
    init_gain=0.02)
discriminator = dict(
    type='PatchDiscriminator', ndf=16, n_layers=2, norm='instance',
    antialias=True, init_type='xavier', init_gain=0.02)
model = dict(
    generators=dict(A2B=generator),
    discriminators=dict(B=discriminator),
    nce_layers=(0, 4, 8, 12, 14),
    contrastive=dict(patch_sampler=dict(num_patches=64)))
optim_wrapper = dict(
    heads={{_base_.optim_wrapper.generators}})
