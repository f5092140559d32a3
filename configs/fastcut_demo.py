# Tiny FastCUT on the built-in demo data: cut_demo.py's widths, crops, taps
# and schedule with FastCUT's settings (as _base_/models/fastcut.py: no NCE
# identity, NCE weight 10, flip equivariance).
_base_ = ['./cut_demo.py']

model = dict(
    contrastive=dict(nce_loss=dict(loss_weight=10.0)),
    nce_idt=False,
    flip_equivariance=True)
