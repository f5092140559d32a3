# Iteration-based training with Adam for every submodule and a
# constant-then-linear-decay learning rate (CycleGAN / CUT / DCD-GAN style).
# Configs override lr, max_iters and the decay start; epochs are converted
# to iterations in each config: iters = epochs * images / batch size.
train_cfg = dict(
    type='ResumableIterBasedTrainLoop', max_iters=400000, val_interval=5000)
val_cfg = dict(type='IsolatedRNGValLoop')
test_cfg = dict(type='IsolatedRNGTestLoop')

optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))))

# lr constant for the first half, then linear to 0 over the second half
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=200000, end=400000),
]
