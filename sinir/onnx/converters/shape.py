"""Converters for reductions and for operations that move elements: reshape, index, join, pad, expand."""
import numpy as np


def reduction(op_type):
    """Sum, Mean, Max, Min over ``fn.axis`` (None: every axis), keeping the axes if ``fn.keepdims``."""
    def convert(g, step, inputs):
        axis, ndim = step.fn.axis, len(step.input_shapes[0])
        axes = None if axis is None else sorted(a % ndim for a in ((axis,) if np.ndim(axis) == 0 else axis))
        return g.reduce(op_type, inputs[0], axes, step.fn.keepdims, step.path)
    convert.__name__ = f"to_{op_type}"
    return convert


def take_along_axis(g, step, inputs):
    """The values of x.max(dim) / x.min(dim): a ReduceMax / ReduceMin keeping the axis. Other uses
    (sort, topk, median) pick positions that depend on the values and are not exported."""
    fn = step.fn
    x = step.inputs[0].detach().numpy()
    values = np.take_along_axis(x, fn.indices, fn.axis)
    if fn.indices.shape[fn.axis] == 1 and x.ndim:
        for op_type, reduce in (("ReduceMax", np.max), ("ReduceMin", np.min)):
            if np.array_equal(values, reduce(x, axis=fn.axis, keepdims=True)):
                return g.reduce(op_type, inputs[0], [fn.axis % x.ndim], True, step.path)
    raise step.error("only the values of max(dim) and min(dim) are exported; sort, topk and median pick "
                     "positions that depend on the values")


def reshape(g, step, inputs):
    # the traced shape, with -1 on the axis that holds the batch (its length varies)
    shape = [-1 if dynamic else n for n, dynamic in zip(step.output_shape, step.dynamic)]
    if shape.count(-1) > 1:
        raise step.error(f"the reshape to {step.output_shape} spreads the batch over several axes")
    return g.node("Reshape", [inputs[0], g.ints(shape)], step.path)


def transpose(g, step, inputs):
    return g.node("Transpose", inputs, step.path, perm=[int(a) for a in step.fn.axes])


def broadcast_to(g, step, inputs):
    # Expand broadcasts both ways, so a 1 keeps an axis the input already has at full length
    offset = len(step.output_shape) - len(step.input_shapes[0])
    shape = []
    for axis, (n, dynamic) in enumerate(zip(step.output_shape, step.dynamic)):
        if dynamic and (axis < offset or not step.input_dynamic[0][axis - offset]):
            raise step.error("it stretches a value to the batch size, which the graph cannot know in advance")
        shape.append(1 if dynamic else n)
    return g.node("Expand", [inputs[0], g.ints(shape)], step.path)


def concatenate(g, step, inputs):
    return g.node("Concat", inputs, step.path, axis=int(step.fn.axis))


def stack(g, step, inputs):
    axis = step.fn.axis % len(step.output_shape)
    return g.node("Concat", [g.unsqueeze(x, [axis], step.path) for x in inputs], step.path, axis=axis)


def pad(g, step, inputs):
    widths = step.fn.pad_width
    pads = g.ints([before for before, _ in widths] + [after for _, after in widths], "pads")
    return g.node("Pad", [inputs[0], pads, g.constant(np.asarray(step.fn.value, step.dtype), "value")], step.path)


def copy_from(g, step, inputs):
    # a.copy_(source): source broadcast to a's shape (batch included)
    return g.node("Expand", [inputs[1], g.node("Shape", [inputs[0]], step.path)], step.path)


def index(g, step, inputs):
    """x[key] with integers, slices, None, ``...`` and at most one integer array (NumPy's rules)."""
    key = _expanded_key(step)
    if any(isinstance(k, (bool, np.bool_)) or (isinstance(k, np.ndarray) and k.dtype == bool) for k in key):
        raise step.error("boolean masks select a number of elements that depends on the values")
    arrays = [k for k in key if isinstance(k, np.ndarray) and k.ndim > 0]
    if arrays and len(arrays) + sum(_is_int(k) for k in key) > 1:
        raise step.error("only one integer array (and no other integer) may index at once")
    x, axis = inputs[0], 0
    for k in key:
        if k is None:
            x = g.unsqueeze(x, [axis], step.path)
            axis += 1
        elif _is_int(k) or isinstance(k, np.ndarray):
            indices = g.constant(np.asarray(k, dtype=np.int64), "indices")
            x = g.node("Gather", [x, indices], step.path, axis=axis)
            axis += np.ndim(k)
        else:
            if k != slice(None):
                x = _slice(g, step, x, k, axis)
            axis += 1
    return x


def _is_int(k):
    return isinstance(k, (int, np.integer)) or (isinstance(k, np.ndarray) and k.ndim == 0)


def _expanded_key(step):
    key = step.fn.key if isinstance(step.fn.key, tuple) else (step.fn.key,)
    if step.other is not None and not _same_key(key, step.other.key if isinstance(step.other.key, tuple)
                                                else (step.other.key,)):
        raise step.error("its index changes with the batch size (an index built from the input's shape?)")
    key = tuple(np.asarray(k) if isinstance(k, (list, np.ndarray)) else k for k in key)
    if any(k is Ellipsis for k in key):
        at = key.index(Ellipsis)
        used = sum(k is not None for k in key) - 1
        key = key[:at] + (slice(None),) * (len(step.input_shapes[0]) - used) + key[at + 1:]
    return key


def _same_key(a, b):
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, (list, np.ndarray)) or isinstance(y, (list, np.ndarray)):
            if not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def _slice(g, step, x, k, axis):
    # ONNX's Slice reads start, stop and step as Python does (negative counts from the end, out of
    # range is clamped), so they go in as written, and a slice of the batch axis keeps working
    stride = 1 if k.step is None else k.step
    first, last = (0, 2 ** 63 - 1) if stride > 0 else (2 ** 63 - 1, -2 ** 63)
    start = first if k.start is None else k.start
    stop = last if k.stop is None else k.stop
    return g.slice(x, [start], [stop], [axis], [stride], step.path)
