"""Converters for element-wise operations and activations: one ONNX operator each, or a short formula."""
import numpy as np


def same_op(op_type):
    """The converter for an operation that ONNX has under the name ``op_type``, without options."""
    def convert(g, step, inputs):
        return g.node(op_type, inputs, step.path)
    convert.__name__ = f"to_{op_type}"
    return convert


def leaky_relu(g, step, inputs):
    return g.node("LeakyRelu", inputs, step.path, alpha=float(step.fn.negative_slope))


def clip(g, step, inputs):
    fn = step.fn
    low = g.constant(np.asarray(fn.low, step.dtype), "min") if fn.low is not None else ""
    high = g.constant(np.asarray(fn.high, step.dtype), "max") if fn.high is not None else ""
    return g.node("Clip", [inputs[0], low, high], step.path)


def cast(g, step, inputs):
    return g.node("Cast", inputs, step.path, to=g.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(step.fn.dtype)))


def where(g, step, inputs):
    condition = step.fn.condition
    if step.other is not None and (condition.shape != step.other.condition.shape
                                   or not np.array_equal(condition, step.other.condition)):
        raise step.error("its condition changes with the input but is not part of the recorded graph")
    return g.node("Where", [g.constant(condition, "condition")] + inputs, step.path)


def softmax(g, step, inputs):
    return g.node("Softmax", inputs, step.path, axis=int(step.fn.axis))


def log_softmax(g, step, inputs):
    return g.node("LogSoftmax", inputs, step.path, axis=int(step.fn.axis))


def scalar(g, step, value, name):
    """A one-number constant in the operation's dtype."""
    return g.constant(np.asarray(value, step.dtype), name)


def gelu(g, step, inputs):
    approximate = getattr(step.fn, "approximate", "none")
    if g.opset >= 20:
        return g.node("Gelu", inputs, step.path, approximate=approximate)
    x = inputs[0]
    if approximate == "tanh":      # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = g.node("Mul", [g.node("Mul", [x, x], step.path), x], step.path)
        inner = g.node("Add", [x, g.node("Mul", [cube, scalar(g, step, 0.044715, "c")], step.path)], step.path)
        inner = g.node("Mul", [inner, scalar(g, step, np.sqrt(2 / np.pi), "sqrt_2_over_pi")], step.path)
        phi = g.node("Tanh", [inner], step.path)
    else:                          # 0.5 x (1 + erf(x / sqrt(2)))
        phi = g.node("Erf", [g.node("Div", [x, scalar(g, step, np.sqrt(2), "sqrt_2")], step.path)], step.path)
    half_x = g.node("Mul", [x, scalar(g, step, 0.5, "half")], step.path)
    return g.node("Mul", [half_x, g.node("Add", [phi, scalar(g, step, 1, "one")], step.path)], step.path)


def silu(g, step, inputs):
    return g.node("Mul", [inputs[0], g.node("Sigmoid", inputs, step.path)], step.path)


def elu(g, step, inputs):
    return g.node("Elu", inputs, step.path, alpha=float(step.fn.alpha))


def softplus(g, step, inputs):
    # log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (PyTorch's rule)
    fn, x = step.fn, inputs[0]
    scaled = g.node("Mul", [x, scalar(g, step, fn.beta, "beta")], step.path)
    soft = g.node("Div", [g.node("Softplus", [scaled], step.path), scalar(g, step, fn.beta, "beta")], step.path)
    linear = g.node("Greater", [scaled, scalar(g, step, fn.threshold, "threshold")], step.path)
    return g.node("Where", [linear, x, soft], step.path)


def hardtanh(g, step, inputs):
    low, high = scalar(g, step, step.fn.min_val, "min"), scalar(g, step, step.fn.max_val, "max")
    return g.node("Clip", [inputs[0], low, high], step.path)


def prelu(g, step, inputs):
    # one slope, or one per channel (axis 1): shaped so that it broadcasts over the other axes
    ndim, count = len(step.input_shapes[0]), int(np.prod(step.input_shapes[1]))
    shape = [1, count] + [1] * (ndim - 2) if ndim >= 2 and count > 1 else ([count] if count > 1 else [])
    slope = g.node("Reshape", [inputs[1], g.ints(shape)], step.path)
    return g.node("PRelu", [inputs[0], slope], step.path)
