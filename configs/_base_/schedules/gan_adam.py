# Iteration-based training with Adam for every submodule and a
# constant-then-linear-decay learning rate (CycleGAN / CUT / DCD-GAN style).
# Configs set lr and max_iters (epochs -> iterations in each config: iters =
# epochs * images / batch size); the decay start and the intervals are
# fractions of the run ('50%': half of train_cfg.max_iters), resolved by the
# lowvis runner, so they follow max_iters (docs/get_started.md).
train_cfg = dict(
    type='ResumableIterBasedTrainLoop', max_iters=400000, val_interval='1/80')
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
         begin='50%', end='100%'),
]
