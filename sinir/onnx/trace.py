"""Tracing: run the model once and read back the graph that autograd recorded.

Every operation that sinir records leaves its result with ``tensor.grad_fn``: the Function
instance that made it, whose ``inputs`` are the tensors it was given and whose attributes are
its options (a convolution's stride, a reshape's shape). Walking from the outputs through
``grad_fn.inputs`` back to the leaves gives every operation, each after its inputs. Leaves are
the example input, the model's parameters and buffers, and constants.

Forward hooks on every module record which module produced which tensor, so that each
operation knows its module path ("features.3 (MaxPool2d)") for node names and error messages.

To keep the batch axis dynamic, the model is traced twice, with batch sizes B and B + 1: the
axes whose length differs between the two traces are the ones that follow the batch.
"""
import dataclasses

import numpy as np

from ..grad_mode import enable_grad
from ..tensor import Tensor


class OnnxExportError(ValueError):
    """The model cannot be exported: an operation without an ONNX translation, an unsupported option,
    or a computation that escaped the recorded graph."""


def array_of(tensor):
    """The values of a tensor as an ndarray (detached first: parameters require grad)."""
    return tensor.detach().numpy()


@dataclasses.dataclass
class Step:
    """One recorded operation: what a converter needs to write its ONNX nodes."""
    fn: object                 # the Function instance (its attributes are the operation's options)
    output: Tensor             # the tensor it made
    inputs: list               # the tensors it was given
    dynamic: tuple             # for each output axis: does its length follow the batch size?
    input_dynamic: list        # the same for each input
    path: str                  # the module path, "features.3" ("" outside any module)
    where: str                 # for messages: "features.3 (MaxPool2d)"
    other: object = None       # the same Function in the second trace (None when nothing is dynamic)

    @property
    def op(self):
        return type(self.fn).__name__

    @property
    def input_shapes(self):
        return [tuple(t.shape) for t in self.inputs]

    @property
    def output_shape(self):
        return tuple(self.output.shape)

    @property
    def dtype(self):
        return array_of(self.output).dtype

    def error(self, reason):
        return OnnxExportError(f"cannot export {self.op} in {self.where}: {reason}")


@dataclasses.dataclass
class Trace:
    """What one run of the model recorded."""
    inputs: list               # the input tensors, in order
    outputs: list              # the output tensors, in order
    order: list                # every tensor reachable from the outputs, each after its inputs
    owners: dict               # id(tensor) -> (module path, "path (Type)")
    constants: dict            # id(tensor) -> name for constants the caller named (normalisation)


def record(model, arrays, prepare=None):
    """Run ``model`` on ``arrays`` (one per input) with recording on; returns a Trace.

    ``prepare(tensors) -> (tensors, named constants)`` may put operations before the model
    (the input normalisation); they are recorded too.
    """
    tensors = [Tensor(a, requires_grad=True, dtype=a.dtype) for a in arrays]
    calls, handles = [], []
    for path, module in model.named_modules():
        handles.append(module.register_forward_hook(_call_recorder(path, calls)))
    modes = [(module, module.training) for module in model.modules()]
    constants = {}
    try:
        model.eval()
        with enable_grad():
            model_inputs = tensors
            if prepare is not None:
                model_inputs, named = prepare(tensors)
                constants = {id(t): name for name, t in named.items()}
            outputs = model(*model_inputs)
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes:
            object.__setattr__(module, "training", training)
    outputs = list(outputs) if isinstance(outputs, (tuple, list)) else [outputs]
    if not outputs or not all(isinstance(t, Tensor) for t in outputs):
        kinds = ", ".join(type(t).__name__ for t in outputs)
        raise OnnxExportError(f"onnx export: the model must return a Tensor or a tuple of Tensors, got {kinds}")
    order = topological_order(outputs)
    return Trace(tensors, outputs, order, _module_owners(calls, type(model).__name__), constants)


def _call_recorder(path, calls):
    def hook(module, inputs, output):
        calls.append((path, type(module).__name__, {id(t) for t in _tensors(inputs)}, _tensors(output)))
    return hook


def _tensors(value):
    """The tensors in a value that may be a tuple of tensors and tuples (an LSTM's (y, (h, c)))."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _tensors(item)]
    return []


def topological_order(outputs):
    """Every tensor reachable from ``outputs`` through grad_fn.inputs, each after all of its inputs
    (an explicit stack rather than recursion, so that deep networks are fine)."""
    order, seen = [], set()
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        stack.append((tensor, True))
        if tensor.grad_fn is not None:
            stack.extend((t, False) for t in reversed(tensor.grad_fn.inputs) if id(t) not in seen)
    return order


def _module_owners(calls, root_type):
    """id(tensor) -> (path, label) of the innermost module whose forward made it.

    A module's operations are those between its inputs and its output. Hooks fire when a module
    finishes, so inner modules come before the modules around them and claim their operations first.
    """
    owners = {}
    for path, kind, input_ids, outputs in calls:
        label = f"{path} ({kind})" if path else f"the forward of {root_type}"
        stack, visited = list(outputs), set()
        while stack:
            tensor = stack.pop()
            if id(tensor) in input_ids or id(tensor) in visited or tensor.grad_fn is None:
                continue
            visited.add(id(tensor))
            owners.setdefault(id(tensor), (path, label))
            stack.extend(tensor.grad_fn.inputs)
    return owners


def steps(first, second=None):
    """The operations of ``first`` as Steps, in order, and {id(tensor): dynamic axes} for every tensor.
    ``second`` (the same model traced with one more example) tells which axes follow the batch;
    without it every axis is static."""
    if second is not None and [_signature(t) for t in first.order] != [_signature(t) for t in second.order]:
        raise OnnxExportError("onnx export: the model records different operations for batch sizes "
                              f"{first.inputs[0].shape[0]} and {second.inputs[0].shape[0]}; its graph depends on "
                              "the batch size, so export it with a fixed batch (dynamic_axes={})")
    input_ids = {id(t) for t in first.inputs}
    batch_sizes = (first.inputs[0].shape[0], second.inputs[0].shape[0]) if second is not None else None
    outside = "the input normalisation" if first.constants else "code outside the model's modules"
    dynamic, result = {}, []
    for tensor, twin in zip(first.order, second.order if second is not None else first.order):
        dynamic[id(tensor)] = _axes_that_differ(tensor, twin)
        fn = tensor.grad_fn
        if fn is None:
            continue
        path, where = first.owners.get(id(tensor), ("", outside))
        step = Step(fn, tensor, list(fn.inputs), dynamic[id(tensor)], [dynamic[id(t)] for t in fn.inputs],
                    path, where, twin.grad_fn if second is not None else None)
        if second is not None:
            _check_constant_inputs(step, input_ids, batch_sizes)
        result.append(step)
    return result, dynamic


def _signature(tensor):
    fn = tensor.grad_fn
    return (type(fn).__name__, len(fn.inputs)) if fn is not None else None


def _axes_that_differ(tensor, twin):
    """Per axis, whether its length changed between the two traces (the batch axes)."""
    if tensor.ndim != twin.ndim:
        raise OnnxExportError(f"onnx export: a tensor of shape {tuple(tensor.shape)} has {twin.ndim} axes "
                              "at the other batch size; the model's graph depends on the batch size")
    return tuple(a != b for a, b in zip(tensor.shape, twin.shape))


def _check_constant_inputs(step, input_ids, batch_sizes):
    """A constant (a leaf that is not an input) must be the same in both traces, or the graph would
    freeze a value that really depends on the input. One exception: an array of one repeated value
    whose length follows the batch (the zero initial state of a recurrent layer); the graph makes it."""
    for tensor, twin in zip(step.inputs, step.other.inputs):
        if tensor is twin or tensor.grad_fn is not None or id(tensor) in input_ids:
            continue
        if tuple(tensor.shape) == tuple(twin.shape) and np.array_equal(array_of(tensor), array_of(twin)):
            continue
        if not is_batch_fill(tensor, twin, batch_sizes):
            raise step.error(f"one of its inputs, a constant of shape {tuple(tensor.shape)}, changes with the "
                             "input: it was computed outside sinir's recorded operations (through .numpy(), "
                             "a comparison, argmax, ...), so the exported graph could not follow it")


def is_batch_fill(tensor, twin, batch_sizes):
    """True for two arrays of one repeated value whose differing axes are the two batch sizes."""
    a, b = array_of(tensor), array_of(twin)
    if a.ndim != b.ndim or a.size == 0 or b.size == 0:
        return False
    if any(m != n and (m, n) != batch_sizes for m, n in zip(a.shape, b.shape)):
        return False
    value = a.flat[0]
    return bool(np.all(a == value) and np.all(b == value))
