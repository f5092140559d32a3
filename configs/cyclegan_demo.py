# Tiny CycleGAN on the built-in demo data (python tools/make_demo_data.py):
# ngf 16, 3 residual blocks, 64 px crops, global residual on; the shared
# demo schedule. Trains and evaluates in minutes on a CPU.
_base_ = [
    '_base_/models/cyclegan.py', '_base_/datasets/demo_rain.py',
    '_base_/schedules/demo.py'  # includes default_runtime.py
]

generator = dict(
    type='ResnetGenerator', ngf=16, n_blocks=3, norm='instance',
    global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=16, n_layers=2)
model = dict(
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator))
