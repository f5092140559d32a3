# The shared demo schedule: every method's *_demo.py config uses it, so the
# demo configs compare fairly (same data, crops, batch, iterations, lr).
_base_ = ['./gan_adam.py', '../default_runtime.py']

demo_iters = 1200
train_cfg = dict(max_iters=demo_iters, val_interval=demo_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=demo_iters // 2, end=demo_iters),
]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=demo_iters // 2, max_keep_ckpts=2))
custom_hooks = [
    dict(type='PlainCheckpointHook'),
    dict(type='TranslationVisualizationHook', interval=demo_iters // 2),
]
