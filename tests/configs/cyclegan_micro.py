# Micro CycleGAN for the test suite: the demo config shrunk so that training
# four iterations and validating takes seconds on one CPU core. The tests
# set data_root (a freshly built demo dataset) with --cfg-options.
_base_ = ['../../configs/cyclegan_demo.py']

crop_size = 32
micro_iters = 4
generator = dict(
    type='ResnetGenerator', ngf=8, n_blocks=1, norm='instance',
    global_residual=True)
discriminator = dict(type='PatchDiscriminator', ndf=8, n_layers=2)
model = dict(
    generators=dict(A2B=generator, B2A=generator),
    discriminators=dict(B=discriminator, A=discriminator),
    pool_size=4)

train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=crop_size),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))

train_cfg = dict(max_iters=micro_iters, val_interval=micro_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=micro_iters // 2, end=micro_iters),
]
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=micro_iters, max_keep_ckpts=1))
custom_hooks = [
    dict(type='PlainCheckpointHook'),
    dict(type='TranslationVisualizationHook', interval=micro_iters),
]
