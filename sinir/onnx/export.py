"""``export``: a sinir model as an ONNX file, shaped like ``torch.onnx.export``.

The model runs once (twice when the batch axis is dynamic, see trace.py) on the example input;
each recorded operation becomes ONNX nodes (converters/); parameters and buffers become
initializers under their state_dict names; the file is checked with ``onnx.checker``.
"""
import sys

import numpy as np

from ..files import atomic_write
from ..tensor import Tensor
from .converters import CONVERTERS
from .graph import GraphBuilder, memory_key
from .trace import OnnxExportError, array_of, record, steps

DEFAULT_OPSET = 17
MIN_OPSET = 13     # Softmax along one axis, and ReduceSum, Squeeze, Unsqueeze taking axes as inputs


def require_onnx():
    """Import the ``onnx`` package, or say which extra provides it."""
    try:
        import onnx
        import onnx.numpy_helper  # noqa: F401
    except ImportError:
        raise ImportError("ONNX export needs the onnx package: pip install 'sinir[onnx]'") from None
    return onnx


def export(model, example_input, path, input_names=None, output_names=None, dynamic_axes=None,
           opset_version=DEFAULT_OPSET, normalize=None):
    """Write ``model`` to ``path`` as an ONNX model; returns the ``onnx.ModelProto``.

    example_input   a Tensor or array (N, ...), or a tuple of them for a model of several inputs;
                    the model runs on it in eval mode (dropout off, BatchNorm's running statistics)
    path            the .onnx file to write (None: only return the model)
    input_names     names of the graph's inputs (default "input", or "input_0", "input_1", ...)
    output_names    names of its outputs (default "output", or "output_0", ...)
    dynamic_axes    as in torch.onnx.export, {name: {0: "batch"}}; only the batch axis (0) can be
                    dynamic, other sizes are fixed by the example. Default: a dynamic batch on every
                    input and output; {} for a fully static graph
    opset_version   the ONNX opset (default 17, at least 13)
    normalize       (mean, std): put (x - mean) / std (per channel for sequences) before the model,
                    so that the file takes raw inputs (images scaled to [0, 1])

    >>> sinir.onnx.export(model, sinir.randn(1, 1, 28, 28), "lenet5.onnx")
    """
    onnx = require_onnx()
    if not isinstance(opset_version, (int, np.integer)) or \
            not MIN_OPSET <= opset_version <= onnx.defs.onnx_opset_version():
        raise ValueError(f"onnx export: opset_version must be an integer from {MIN_OPSET} to "
                         f"{onnx.defs.onnx_opset_version()}, got {opset_version!r}")
    arrays = _example_arrays(example_input, model)
    input_names = _names(input_names, len(arrays), "input")
    prepare = _normalizer(normalize, arrays) if normalize is not None else None

    first = record(model, arrays, prepare)
    output_count = len(first.outputs)
    output_names = _names(output_names, output_count, "output")
    batch_names = _batch_names(dynamic_axes, input_names, output_names)
    second = None
    if batch_names:
        if len({a.shape[0] for a in arrays}) != 1:
            raise ValueError("onnx export: with a dynamic batch axis, every example input needs the same batch size")
        second = record(model, [np.concatenate([a, a[:1]]) for a in arrays], prepare)
        if len(second.outputs) != output_count:
            raise OnnxExportError("onnx export: the model returns a different number of outputs for another "
                                  "batch size")
    operations, dynamic = steps(first, second)

    helper = onnx.helper
    onnx_model = onnx.ModelProto()
    g = GraphBuilder(onnx, int(opset_version), onnx_model.graph)
    for name in output_names:
        g.reserve(name)
    names = _leaf_names(g, model, first, input_names, dynamic)
    for step in operations:
        convert = CONVERTERS.get(step.op)
        if convert is None:
            raise step.error("sinir.onnx has no ONNX translation for it (the operations it translates are "
                             "the keys of sinir.onnx.CONVERTERS, listed in docs/onnx.md)")
        names[id(step.output)] = convert(g, step, [names[id(t)] for t in step.inputs])
    g.write_batch_fills(input_names[0])
    _check_inputs_used(g, first, input_names)
    _name_outputs(g, first.outputs, [names[id(t)] for t in first.outputs], output_names)

    graph = onnx_model.graph        # filled in place: copying the weights between messages is slow
    graph.name = type(model).__name__
    graph.node.extend(g.nodes)
    graph.input.extend(_value_info(helper, name, t, dynamic[id(t)], batch_names.get(name))
                       for name, t in zip(input_names, first.inputs))
    graph.output.extend(_value_info(helper, name, t, dynamic[id(t)], batch_names.get(name))
                        for name, t in zip(output_names, first.outputs))
    opset = helper.make_opsetid("", int(opset_version))
    onnx_model.opset_import.append(opset)
    onnx_model.ir_version = helper.find_min_ir_version_for([opset])
    onnx_model.producer_name = "sinir"
    onnx_model.producer_version = str(getattr(sys.modules.get("sinir"), "__version__", ""))
    data = onnx_model.SerializeToString()
    onnx.checker.check_model(data, full_check=True)
    if path is not None:
        atomic_write(path, lambda file: file.write(data))
    return onnx_model


def _example_arrays(example_input, model):
    """The example inputs as arrays, in the dtype of the model's parameters (np.random gives float64)."""
    items = example_input if isinstance(example_input, tuple) else (example_input,)
    dtypes = {np.dtype(p.dtype) for p in model.parameters() if np.dtype(p.dtype).kind == "f"}
    target = dtypes.pop() if len(dtypes) == 1 else None
    arrays = []
    for item in items:
        array = np.asarray(array_of(item) if isinstance(item, Tensor) else item)
        if array.dtype.kind != "f" or array.ndim == 0:
            raise ValueError(f"onnx export: example inputs must be floating arrays with a batch axis, "
                             f"got dtype {array.dtype} and shape {array.shape}")
        arrays.append(array if target is None else array.astype(target, copy=False))
    return arrays


def _names(names, count, prefix):
    if names is None:
        return [prefix] if count == 1 else [f"{prefix}_{i}" for i in range(count)]
    names = list(names)
    if len(names) != count or len(set(names)) != count or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"onnx export: {prefix}_names must be {count} different non-empty strings, got {names}")
    return names


def _batch_names(dynamic_axes, input_names, output_names):
    """{value name: the name of its batch dimension}, empty for a static graph."""
    every = input_names + output_names
    if dynamic_axes is None:
        return {name: "batch" for name in every}
    if not isinstance(dynamic_axes, dict):
        raise ValueError(f"onnx export: dynamic_axes must be a dict such as {{'input': {{0: 'batch'}}}}, "
                         f"got {dynamic_axes!r}")
    chosen = {}
    for name, axes in dynamic_axes.items():
        if name not in every:
            raise ValueError(f"onnx export: dynamic_axes names {name!r}, which is none of the inputs and "
                             f"outputs {every}")
        axes = axes if isinstance(axes, dict) else {axis: "batch" for axis in axes}
        if set(axes) - {0}:
            raise ValueError(f"onnx export: only axis 0 (the batch) can be dynamic, dynamic_axes gives "
                             f"{name!r} axes {sorted(axes)}: the other sizes are fixed by the example input")
        if axes:
            chosen[name] = str(axes[0])
    if not chosen:
        return {}
    return {name: chosen.get(name, "batch") for name in every}


def _normalizer(normalize, arrays):
    """prepare() for record(): (x - mean) / std on the first input, the constants named."""
    try:
        mean, std = (np.asarray(v, dtype=arrays[0].dtype) for v in normalize)
    except (TypeError, ValueError):
        raise ValueError(f"onnx export: normalize must be (mean, std), got {normalize!r}") from None
    if mean.ndim:            # per channel: (C,) -> (C, 1, 1), as sinir.datasets.Normalize does
        mean, std = mean.reshape(-1, 1, 1), std.reshape(-1, 1, 1)
    if (std <= 0).any():
        raise ValueError(f"onnx export: normalize's std must be positive, got {normalize[1]!r}")

    def prepare(tensors):
        mean_t, std_t = Tensor(mean, dtype=mean.dtype), Tensor(std, dtype=std.dtype)
        return [(tensors[0] - mean_t) / std_t] + tensors[1:], {"input_mean": mean_t, "input_std": std_t}
    return prepare


def _leaf_names(g, model, trace, input_names, dynamic):
    """ONNX names for the leaves: inputs, parameters and buffers (state_dict names), constants,
    and arrays of one value shaped like the batch (see trace.is_batch_fill)."""
    names = {id(t): g.reserve(name) for name, t in zip(input_names, trace.inputs)}
    parameters = {id(p): name for name, p in model.named_parameters()}
    g.named_arrays = {memory_key(b): name for name, b in model.named_buffers()}
    for tensor in trace.order:
        if tensor.grad_fn is not None or id(tensor) in names:
            continue
        if id(tensor) in parameters:
            names[id(tensor)] = g.initializer(array_of(tensor), parameters[id(tensor)])
        elif any(dynamic[id(tensor)]):
            array = array_of(tensor)
            names[id(tensor)] = g.batch_fill(array.flat[0].item(), array.dtype, array.shape, dynamic[id(tensor)])
        else:
            array = array_of(tensor)
            names[id(tensor)] = g.array(array, trace.constants.get(id(tensor), "constant"), array.dtype)
    return names


def _check_inputs_used(g, trace, input_names):
    used = {name for node in g.nodes for name in node.input}
    for name, tensor in zip(input_names, trace.inputs):
        if name not in used and not any(t is tensor for t in trace.outputs):
            raise OnnxExportError(f"onnx export: the outputs do not depend on input {name!r}; the model "
                                  "computed them outside sinir's recorded operations (through .numpy(), "
                                  "sinir.no_grad(), ...), so there is no graph to export")


def _name_outputs(g, outputs, current, wanted):
    """Give the graph's outputs the names asked for: rename the node outputs that compute them
    (an Identity node where the output is an input, an initializer or another output)."""
    produced = {out for node in g.nodes for out in node.output}
    renames, taken = {}, set()
    for old, new in zip(current, wanted):
        if old in produced and old not in taken and old not in renames:
            renames[old] = new
            taken.add(old)
        else:
            g.nodes.append(g.onnx.helper.make_node("Identity", [renames.get(old, old)], [new], name=f"/{new}/Identity"))
    for node in g.nodes:
        node.input[:] = [renames.get(name, name) for name in node.input]
        node.output[:] = [renames.get(name, name) for name in node.output]


def _value_info(helper, name, tensor, dynamic, batch_name):
    shape = [batch_name if (is_dynamic and batch_name) else int(n) for n, is_dynamic in zip(tensor.shape, dynamic)]
    element_type = helper.np_dtype_to_tensor_dtype(array_of(tensor).dtype)
    return helper.make_tensor_value_info(name, element_type, shape)
