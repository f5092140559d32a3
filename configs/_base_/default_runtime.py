# Runtime shared by every lowvis config.
default_scope = 'lowvis'

env_cfg = dict(
    # cuDNN picks the fastest conv algorithms for the fixed training crops;
    # no effect without CUDA; --deterministic turns it off
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    # log_metric_by_epoch=False: validation metrics at their iteration
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic_local: checkpoints are written to a temporary file and renamed
    checkpoint=dict(
        type='CheckpointHook',
        interval='1/80',  # of train_cfg.max_iters
        by_epoch=False,
        max_keep_ckpts=5,
        save_best='PSNR',
        rule='greater',
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'))

# The lowvis runner adds what every run needs (plain-data checkpoints and
# exact resume, SIGINT/SIGTERM checkpoints, the console header) whatever
# custom_hooks says. Intervals may be fractions of the run ('10%').
custom_hooks = [
    dict(type='TranslationVisualizationHook', interval='1/400'),
    dict(type='ValidationImagesHook', num_images=3),
]

# Scalars and images go to <work_dir>/<timestamp>/vis_data/ (scalars.json,
# vis_image/); tensorboard=True sends them to TensorBoard as well
# (vis_data/events.out.tfevents.*; pip install -e '.[tensorboard]').
tensorboard = False
visualizer = dict(
    type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])

# GANs step each submodule's optimizer separately
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)

randomness = dict(seed=0, deterministic=False)
load_from = None
resume = False
