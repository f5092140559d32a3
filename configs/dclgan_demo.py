# Tiny DCLGAN on the built-in demo data (python tools/make_demo_data.py),
# matching cyclegan_demo.py and dcdgan_demo.py: ngf 16, 3 residual blocks,
# ndf 16 with 2 layers, 64 px crops, global residual on, 64 patches per
# layer, the shared demo schedule (heads at the generators' lr, as in
# dcdgan_demo.py). NCE taps: the two down-sampling convs and residual blocks
# 1 and 3 (layers 12-14 with 3 blocks).
_base_ = [
    '_base_/models/dclgan.py', '_base_/datasets/demo_rain.py',
    '_base_/schedules/demo.py',  # includes default_runtime.py
    '_base_/models/demo_widths.py'
]

model = dict(
    generators=dict(
        A2B={{_base_.tiny_generator}}, B2A={{_base_.tiny_generator}}),
    discriminators=dict(
        B={{_base_.tiny_discriminator}}, A={{_base_.tiny_discriminator}}),
    nce_layers=(4, 8, 12, 14),
    contrastive=dict(patch_sampler=dict(num_patches=64)))
optim_wrapper = dict(
    heads={{_base_.optim_wrapper.generators}})
