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
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic_local: checkpoints are written to a temporary file and renamed
    checkpoint=dict(
        type='CheckpointHook',
        interval=5000,
        by_epoch=False,
        max_keep_ckpts=5,
        save_best='PSNR',
        rule='greater',
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'))

custom_hooks = [
    # plain-data checkpoints (weights_only loading) and exact resume
    dict(type='PlainCheckpointHook'),
    dict(type='TranslationVisualizationHook', interval=1000),
]

# add dict(type='TensorboardVisBackend') to also send logs/images to TB
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
