# The public DCD-GAN code's objective (github cschenxiang/DCD-GAN), which
# differs from the paper (docs/dcdgan.md lists every difference):
# - hinge GAN; generator terms averaged over the two directions:
#   0.5 * (GAN_A2B + GAN_B2A) -> adversarial weight 0.5 each;
# - contrastive: lambda_NCE 2 times 0.5 * (NCE1 + NCE2) -> 1.0 per side;
#   negatives = every other sampled patch of the minibatch (internal, with
#   include_batch; no external negatives);
# - identity L1: lambda_IDT 1 times 0.5 * (idt_A + idt_B) -> 0.5 each;
# - its colour / cycle L1 and frequency terms are computed but never added
#   to the objective -> weight 0 (removed);
# - projection heads at Adam's default lr 1e-3 (their optimizer gets no lr);
# - images resized to 512 then randomly cropped to 256, flipped.
_base_ = ['./dcdgan_rain800.py']

model = dict(
    gan_loss=dict(type='GANLoss', gan_mode='hinge', loss_weight=0.5),
    contrastive=dict(
        negative_sampler=dict(
            type='InternalNegativeSampler',
            include_batch=True),
        nce_loss=dict(loss_weight=1.0)),
    loss_cycle=dict(loss_weight=0.0),
    loss_freq=dict(loss_weight=0.0),
    loss_identity=dict(type='L1Loss', loss_weight=0.5))
optim_wrapper = dict(
    heads=dict(optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))))

train_pipeline = [
    dict(type='LoadImageFromFile', key='img_A'),
    dict(type='LoadImageFromFile', key='img_B'),
    dict(type='Resize', keys=['img_A', 'img_B'], size=512),
    dict(type='RandomCrop', keys=['img_A', 'img_B'], crop_size=256),
    dict(type='Flip', keys=['img_A', 'img_B'], prob=0.5),
    dict(type='PackUnpairedInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
