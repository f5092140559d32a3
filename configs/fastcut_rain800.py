# FastCUT on Rain800 with the published settings: CUT's data, optimizer and
# lr (see cut_rain800.py), the FastCUT model (no NCE identity, NCE weight 10,
# flip equivariance: _base_/models/fastcut.py) and 150 constant + 50 decay
# epochs (700 iterations per epoch).
_base_ = [
    '_base_/models/fastcut.py', '_base_/datasets/rain800_resized.py',
    '_base_/schedules/gan_adam.py', '_base_/default_runtime.py'
]

optim_wrapper = dict(heads={{_base_.optim_wrapper.generators}})
iters_per_epoch = 700  # 700 images / batch 1
train_cfg = dict(max_iters=(150 + 50) * iters_per_epoch,
                 val_interval='1/20')  # every 10 epochs
param_scheduler = [  # decay over the last 50 of 200 epochs
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin='75%', end='100%'),
]
default_hooks = dict(checkpoint=dict(interval='1/20'))
