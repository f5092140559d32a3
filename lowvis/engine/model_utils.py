"""Small helpers on the runner's model."""
from mmengine.model import is_model_wrapper

__all__ = ['bare_model']


def bare_model(model):
    """``model`` without its distributed wrapper (``model.module``), if any."""
    return model.module if is_model_wrapper(model) else model
