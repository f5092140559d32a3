# Tiny DCD-GAN on the built-in demo data (python tools/make_demo_data.py):
# ngf 16, 3 residual blocks, ndf 16 with 2 layers, 64 px crops, global
# residual on, 64 patches per layer; the shared demo schedule. Trains and
# evaluates in minutes on a CPU.
#
# Demo recipe (docs/training_notes.md), three changes from
# configs/dcdgan_rain800.py, everything else (the loss terms and the other
# weights, passes, negatives, init, lr) as there:
# - the contrastive weight is 0.1 per CGB side instead of the paper's 2: at
#   this scale the PatchNCE gradient at the deraining generator is 3-50x the
#   adversarial one and holds the output at the input;
# - generators and discriminators in CycleGAN's sampling layout (strided and
#   transposed convolutions), the architecture the paper names, instead of
#   the public code's anti-aliased blur sampling, which at demo size lifts
#   the veil but leaves the streaks as coloured fringes;
# - the colour cycle weight is 10/3 instead of 1: CycleGAN's cycle strength
#   (ColorCycleLoss sums three per-channel means, so 10/3 of it is an L1 mean
#   of weight 10), which in that layout stops the late fall of PSNR.
# With 3 residual blocks in that layout the NCE taps are the two
# down-sampling convs (4, 7) and residual blocks 1 and 3 (10, 12).
_base_ = [
    '_base_/models/dcdgan.py', '_base_/datasets/demo_rain.py',
    '_base_/schedules/demo.py',  # includes default_runtime.py
    '_base_/models/demo_widths.py'
]

model = dict(
    loss_cycle=dict(loss_weight=10 / 3),
    generators=dict(
        A2B={{_base_.tiny_plain_generator}},
        B2A={{_base_.tiny_plain_generator}}),
    discriminators=dict(
        B={{_base_.tiny_plain_discriminator}},
        A={{_base_.tiny_plain_discriminator}}),
    nce_layers=(4, 7, 10, 12),
    contrastive=dict(
        nce_loss=dict(loss_weight=0.1),
        patch_sampler=dict(num_patches=64),
        negative_sampler=dict(num_internal=63, num_external=64)))
optim_wrapper = dict(
    heads={{_base_.optim_wrapper.generators}})
