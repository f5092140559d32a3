"""Export a restoring generator to ONNX, with its input/output contract.

The exported graph maps ``image`` (``float32 [N, 3, H, W]``, RGB in [-1, 1],
``H`` and ``W`` dynamic multiples of 4, at least 16) to ``restored`` of the
same shape and range. Padding to those sizes is **not** in the graph: the
runtime pads and crops (:class:`lowvis.deploy.OnnxRestorer`), as
:func:`lowvis.apis.restore` does. The contract is written into the model's
metadata (:data:`lowvis.deploy.onnx_restorer.CONTRACT`).

The TorchScript-based exporter of ``torch.onnx`` is used (``dynamo=False``):
it needs no extra package and handles the lowvis generators. Tracing must
not depend on values: a ``TracerWarning`` (a tensor turned into a Python
value, which would freeze one input's behaviour into the graph) fails the
export, and so does an operator ONNX cannot express; the error names the
first layer that cannot be exported.
"""
import contextlib
import ctypes
import importlib.util
import io
import os
import os.path as osp
import sys
import warnings

import numpy as np
import torch

from lowvis.deploy.onnx_restorer import CONTRACT, INPUT_NAME, OUTPUT_NAME
from lowvis.utils.errors import ConfigError
from lowvis.version import __version__

__all__ = ['export_onnx', 'first_failing_layer', 'check_parity']

_DYNAMIC = {0: 'batch', 2: 'height', 3: 'width'}


@contextlib.contextmanager
def _native_output_off():
    """Silence file descriptors 1 and 2: on an export error the TorchScript
    exporter prints its whole IR graph from C++ (torch 2.x keeps its ONNX
    log switched on after the first export), which would bury the one-line
    message."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        with open(os.devnull, 'w') as devnull:
            os.dup2(devnull.fileno(), 1)
            os.dup2(devnull.fileno(), 2)
            try:
                yield
            finally:
                libc.fflush(None)  # what C++ buffered goes to devnull too
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


class TracingError(RuntimeError):
    """Tracing turned a tensor into a Python value outside torch itself."""


def _trace_export(module, args, target, opset):
    """``torch.onnx.export``; a ``TracerWarning`` raised by code outside
    torch (a value-dependent branch in a layer) becomes a
    :class:`TracingError`. torch's own checks (e.g. instance norm's size
    check) are left alone."""
    with warnings.catch_warnings(record=True) as caught, _native_output_off():
        warnings.simplefilter('always')
        torch.onnx.export(
            module, args, target, dynamo=False, opset_version=opset,
            input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: _DYNAMIC, OUTPUT_NAME: _DYNAMIC},
            do_constant_folding=True)
    torch_dir = osp.dirname(osp.abspath(torch.__file__)) + os.sep
    for warning in caught:
        if issubclass(warning.category, torch.jit.TracerWarning) and \
                not osp.abspath(warning.filename).startswith(torch_dir):
            message = str(warning.message).strip().split('. ')[0]
            raise TracingError(f'{message} ({osp.basename(warning.filename)}'
                               f':{warning.lineno})')


def _first_line(err):
    text = str(err).strip()
    line = text.splitlines()[0] if text else ''
    return f'{type(err).__name__}: {line}'


def _layer_inputs(net, x):
    """Inputs of every named submodule in one forward pass of ``x``, and the
    innermost module still running if the pass raised (else ``None``)."""
    inputs, stack, handles = {}, [], []
    for name, module in net.named_modules():
        if not name:
            continue

        def pre(mod, args, name=name):
            stack.append(name)
            inputs.setdefault(name, tuple(
                a.detach().clone() if torch.is_tensor(a) else a for a in args))

        def post(mod, args, out):
            stack.pop()

        handles += [module.register_forward_pre_hook(pre),
                    module.register_forward_hook(post)]
    try:
        with torch.no_grad():
            net(x)
        failed = None
    except Exception:  # the layer that raised is on top of the stack
        failed = stack[-1] if stack else ''
    finally:
        for handle in handles:
            handle.remove()
    return inputs, failed


def first_failing_layer(net, x, opset=17):
    """Name of the deepest submodule of ``net`` that cannot be exported.

    Descends from ``net``: the first child whose own export fails is entered,
    until no child fails; that module is the culprit (``''`` for ``net``
    itself, i.e. its own ``forward``).
    """
    inputs, failed = _layer_inputs(net, x)
    if failed is not None:
        return failed
    modules = dict(net.named_modules())
    current = ''
    while True:
        for child_name, child in modules[current].named_children():
            name = f'{current}.{child_name}' if current else child_name
            if name not in inputs:
                continue
            try:
                _trace_export(child, inputs[name], io.BytesIO(), opset)
            except Exception:
                current = name
                break
        else:
            return current


def check_parity(net, path, size, atol=1e-4):
    """Max abs difference of ONNX Runtime (CPU) and torch on one random
    ``[1, 3, *size]`` input in [-1, 1]; ``None`` without onnxruntime."""
    if importlib.util.find_spec('onnxruntime') is None:
        return None
    from lowvis.deploy import OnnxRestorer
    runtime = OnnxRestorer(path)
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, *size, generator=gen) * 2 - 1
    with torch.no_grad():
        ref = net(x).float().numpy()
    out = runtime.session.run([OUTPUT_NAME], {INPUT_NAME: x.numpy()})[0]
    return float(np.abs(out - ref).max())


def _model_metadata(model, extra):
    import onnx
    entries = dict(CONTRACT, **{k: str(v) for k, v in extra.items()})
    entries['lowvis.version'] = __version__
    model.metadata_props.extend(
        onnx.StringStringEntryProto(key=k, value=v)
        for k, v in entries.items())


def export_onnx(net, path, name='generator', sample_size=(64, 96),
                opset=17, metadata=None, verify_size=(52, 76)):
    """Export ``net`` (``[N, 3, H, W]`` -> same, in [-1, 1]) to ``path``.

    Args:
        net (nn.Module): the restoring generator (moved to the CPU, eval).
        path (str): ``.onnx`` file, written atomically.
        name (str): what to call ``net`` in error messages.
        sample_size (tuple[int, int]): ``(H, W)`` of the tracing input.
        opset (int): ONNX opset.
        metadata (dict | None): extra metadata entries (stringified).
        verify_size (tuple[int, int] | None): a size other than
            ``sample_size`` at which ONNX Runtime must agree with torch
            within 1e-4 (skipped when onnxruntime is not installed).

    Returns:
        float | None: the verified max abs difference.

    Raises:
        ConfigError: onnx missing, a layer that cannot be exported (named),
            or an exported graph that disagrees with torch.
    """
    try:
        import onnx
    except ImportError:
        raise ConfigError("exporting needs the onnx package: pip install "
                          "'lowvis[onnx]'") from None
    net = net.cpu().float().eval()
    x = torch.rand(1, 3, *sample_size, generator=torch.Generator()
                   .manual_seed(0)) * 2 - 1
    buffer = io.BytesIO()
    try:
        _trace_export(net, (x, ), buffer, opset)
    except Exception as err:
        layer = first_failing_layer(net, x, opset)
        where = f'layer {layer} ({type(net.get_submodule(layer)).__name__})' \
            if layer else f'its forward ({type(net).__name__})'
        raise ConfigError(f'cannot export the {name} to ONNX: {where} is not '
                          f'traceable: {_first_line(err)}') from None
    model = onnx.load_from_string(buffer.getvalue())
    _model_metadata(model, metadata or {})
    onnx.checker.check_model(model, full_check=True)
    parent = osp.dirname(osp.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    onnx.save(model, tmp)
    diff = check_parity(net, tmp, verify_size) if verify_size else None
    if diff is not None and not diff <= 1e-4:
        os.remove(tmp)
        raise ConfigError(
            f'the exported {name} differs from torch by {diff:.3g} (max abs) '
            f'at {verify_size[0]}x{verify_size[1]}; it depends on the '
            'tracing size and cannot be exported with dynamic H and W')
    os.replace(tmp, path)
    return diff
