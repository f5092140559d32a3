# Tiny DCD-GAN on the built-in demo data (python tools/make_demo_data.py):
# ngf 16, 3 residual blocks, 64 px crops, global residual on, 64 patches per
# layer; the shared demo schedule. Trains and evaluates in minutes on a CPU.
# With 3 residual blocks (antialias layout) the encoder layers are 0-11 and
# the blocks 12-14, so the NCE taps are the two down-sampling convs and
# residual blocks 1 and 3.
#
# Demo recipe (docs/training_notes.md): the contrastive weight is 0.1 per CGB
# side instead of the paper's 2. At this scale the PatchNCE gradient at the
# deraining generator is 3-50x the adversarial one and holds the output at
# the input (identity satisfies the contrast): with weight 2 the demo gains
# +0.3 dB in 1200 iterations, with 0.1 it gains +2.5 dB. Everything else,
# and the code path, is the paper's; configs/dcdgan_rain800.py keeps 2.
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/demo_rain.py',
    '_base_/schedules/demo.py',  # includes default_runtime.py
    '_base_/models/demo_widths.py'
]

model = dict(
    generators=dict(
        A2B={{_base_.tiny_generator}}, B2A={{_base_.tiny_generator}}),
    discriminators=dict(
        B={{_base_.tiny_discriminator}}, A={{_base_.tiny_discriminator}}),
    nce_layers=(4, 8, 12, 14),
    contrastive=dict(
        nce_loss=dict(loss_weight=0.1),
        patch_sampler=dict(num_patches=64),
        negative_sampler=dict(num_internal=63, num_external=64)))
optim_wrapper = dict(
    heads={{_base_.optim_wrapper.generators}})
