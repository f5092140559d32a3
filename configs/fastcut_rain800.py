# FastCUT on Rain800 with the published settings: CUT's data, optimizer and
# lr (see cut_rain800.py), the FastCUT model (no NCE identity, NCE weight 10,
# flip equivariance) and 150 constant + 50 decay epochs.
# Epochs -> iterations: 700 per epoch; 150 + 50 epochs = 105000 + 35000.
_base_ = ['./cut_rain800.py']

iters_per_epoch = 700  # num_train_images / batch_size
constant_epochs = 150
decay_epochs = 50
model = dict(
    contrastive=dict(nce_loss=dict(loss_weight=10.0)),
    nce_idt=False,
    flip_equivariance=True)
train_cfg = dict(max_iters=(constant_epochs + decay_epochs) * iters_per_epoch,
                 val_interval=f'10/{constant_epochs + decay_epochs}')
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=f'{constant_epochs}/{constant_epochs + decay_epochs}',
         end='100%'),
]
default_hooks = dict(checkpoint=dict(
    interval=f'10/{constant_epochs + decay_epochs}'))
