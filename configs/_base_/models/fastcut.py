# FastCUT (Park et al., ECCV 2020): CUT without the NCE identity term,
# lambda_NCE 10 (one NCE term, so weight 10) and flip equivariance.
_base_ = ['./cut.py']

model = dict(
    contrastive=dict(nce_loss=dict(loss_weight=10.0)),
    nce_idt=False,
    flip_equivariance=True)
