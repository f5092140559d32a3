# The shared demo schedule: every method's *_demo.py config uses it, so the
# demo configs compare fairly (same data, crops, batch, iterations, lr).
# Only demo_iters is an iteration count; everything else is a fraction of
# the run, so --iters N (or train_cfg.max_iters=N) alone rescales it all.
_base_ = ['./gan_adam.py', '../default_runtime.py']

demo_iters = 1200

train_cfg = dict(max_iters=demo_iters, val_interval='1/6')  # 6 curve points
# lr constant over the first half, then linear to 0 (as gan_adam.py)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval='50%', max_keep_ckpts=2))
custom_hooks = [
    dict(type='TranslationVisualizationHook', interval='50%'),
    dict(type='ValidationImagesHook', num_images=3),
]
