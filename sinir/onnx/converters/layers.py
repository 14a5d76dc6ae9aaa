"""Converters for the layers: linear, convolutions, poolings, normalisations, resizing."""
import numpy as np

from .elementwise import scalar


def linear(g, step, inputs):
    if len(step.input_shapes[0]) == 2:
        return g.node("Gemm", inputs, step.path, transB=1)      # y = x W^T + b
    weight_t = g.node("Transpose", [inputs[1]], step.path, perm=[1, 0])
    y = g.node("MatMul", [inputs[0], weight_t], step.path)
    return g.node("Add", [y, inputs[2]], step.path) if len(inputs) > 2 else y


def conv2d(g, step, inputs):
    fn = step.fn
    top, bottom, left, right = fn.padding
    return g.node("Conv", inputs, step.path, kernel_shape=list(step.input_shapes[1][2:]),
                  strides=list(fn.stride), pads=[top, left, bottom, right], dilations=list(fn.dilation),
                  group=int(fn.groups))


def conv_transpose2d(g, step, inputs):
    fn = step.fn
    (ph, pw) = fn.padding
    return g.node("ConvTranspose", inputs, step.path, kernel_shape=list(step.input_shapes[1][2:]),
                  strides=list(fn.stride), pads=[ph, pw, ph, pw], output_padding=list(fn.output_padding),
                  dilations=list(fn.dilation), group=int(fn.groups))


def _pool_pads(step, kernel, stride, padding, dilation):
    """ONNX pads [top, left, bottom, right] that give exactly the traced output size without ceil_mode:
    PyTorch's ceil_mode adds a last, partial window, which is extra padding at the bottom and right."""
    extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p)) for o, s, d, k, n, p in
             zip(step.output_shape[2:], stride, dilation, kernel, step.input_shapes[0][2:], padding)]
    return [padding[0], padding[1], padding[0] + extra[0], padding[1] + extra[1]]


def _padded_for_pool(g, step, x, pads, kernel, fill):
    """onnxruntime wants pool padding smaller than the window; beyond that, pad with a Pad node."""
    if all(p < k for p, k in zip(pads, list(kernel) * 2)):
        return x, pads
    widths = g.ints([0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]], "pads")
    return g.node("Pad", [x, widths, g.constant(np.asarray(fill, step.dtype), "value")], step.path), [0, 0, 0, 0]


def max_pool2d(g, step, inputs):
    fn = step.fn
    pads = _pool_pads(step, fn.kernel, fn.stride, fn.padding, fn.dilation)
    x, pads = _padded_for_pool(g, step, inputs[0], pads, fn.kernel, -np.inf)
    return g.node("MaxPool", [x], step.path, kernel_shape=list(fn.kernel), strides=list(fn.stride), pads=pads,
                  dilations=list(fn.dilation))


def avg_pool2d(g, step, inputs):
    fn = step.fn
    pads = _pool_pads(step, fn.kernel, fn.stride, fn.padding, (1, 1))
    x, pads = _padded_for_pool(g, step, inputs[0], pads, fn.kernel, 0.0)
    y = g.node("AveragePool", [x], step.path, kernel_shape=list(fn.kernel), strides=list(fn.stride), pads=pads,
               count_include_pad=1)
    # ONNX divided every window by kh * kw; sinir (PyTorch) divides by fn.divisor, which leaves out
    # the padding when count_include_pad=False, the part past the edge with ceil_mode, or is overridden
    divisor = np.asarray(fn.divisor, dtype=np.float64)
    correction = fn.kernel[0] * fn.kernel[1] / (divisor[..., 0] if divisor.ndim == 3 else divisor)
    if np.all(correction == 1):
        return y
    return g.node("Mul", [y, g.constant(correction.astype(step.dtype), "divisor_correction")], step.path)


def adaptive_pool(kind):
    """AdaptiveAvgPool2d (kind 'Average') and AdaptiveMaxPool2d ('Max')."""
    reduce_op = {"Average": "ReduceMean", "Max": "ReduceMax"}[kind]

    def convert(g, step, inputs):
        fn = step.fn
        (height, width), (out_h, out_w) = step.input_shapes[0][2:], fn.output_size
        if (out_h, out_w) == (1, 1):
            return g.node(f"Global{kind}Pool", inputs, step.path)
        if height % out_h == 0 and width % out_w == 0:           # equal windows side by side: a plain pooling
            kernel = [height // out_h, width // out_w]
            return g.node(f"{kind}Pool", inputs, step.path, kernel_shape=kernel, strides=kernel)
        # uneven (or overlapping) windows: pool the rows window by window, then the columns;
        # both the mean and the maximum over a rectangle can be taken one axis after the other
        x = inputs[0]
        for axis, windows, length in ((2, fn.rows, height), (3, fn.cols, width)):
            if [tuple(w) for w in windows] == [(i, i + 1) for i in range(length)]:
                continue                                          # every window one pixel: nothing to do
            if all(stop - start == 1 for start, stop in windows):  # one pixel each, some repeated
                x = g.node("Gather", [x, g.ints([start for start, _ in windows], "indices")], step.path, axis=axis)
                continue
            parts = []
            for start, stop in windows:
                part = g.slice(x, [start], [stop], [axis], where=step.path)
                parts.append(part if stop - start == 1 else g.reduce(reduce_op, part, [axis], True, step.path))
            x = g.node("Concat", parts, step.path, axis=axis)
        return x
    convert.__name__ = f"adaptive_{kind.lower()}_pool"
    return convert


def batch_norm(g, step, inputs):
    fn = step.fn
    if fn.training:
        raise step.error("it normalises with the batch's own statistics (track_running_stats=False); "
                         "ONNX's BatchNormalization needs running statistics")
    channels = step.input_shapes[0][1]
    rest = iter(inputs[1:])
    scale = next(rest) if fn.weight is not None else g.constant(np.ones(channels, step.dtype), "scale")
    bias = next(rest, None) or g.constant(np.zeros(channels, step.dtype), "bias")
    mean, var = g.array(fn.mean, "running_mean", step.dtype), g.array(fn.var, "running_var", step.dtype)
    return g.node("BatchNormalization", [inputs[0], scale, bias, mean, var], step.path, epsilon=float(fn.eps))


def local_response_norm(g, step, inputs):
    fn = step.fn
    ndim = len(step.input_shapes[0])
    if fn.size % 2 == 1 and ndim == 4:
        return g.node("LRN", inputs, step.path, size=int(fn.size), alpha=float(fn.alpha), beta=float(fn.beta),
                      bias=float(fn.k))
    # ONNX's LRN takes one channel more after c than before for even sizes (PyTorch the other way
    # round), and onnxruntime's only 4-D inputs: sum the squares of neighbouring channels with a
    # convolution of ones over the channel axis instead
    x = inputs[0]
    squares = g.unsqueeze(g.node("Mul", [x, x], step.path), [1], step.path)    # (N, 1, C, ...)
    ones = g.constant(np.ones((1, 1, fn.size) + (1,) * (ndim - 2), step.dtype), "ones")
    before, after = fn.size // 2, (fn.size - 1) // 2
    sums = g.node("Conv", [squares, ones], step.path, pads=[before] + [0] * (ndim - 2) + [after] + [0] * (ndim - 2))
    sums = g.squeeze(sums, [1], step.path)
    # y = x * (k + alpha / n * sum)^-beta
    scale = g.node("Add", [g.node("Mul", [sums, g.constant(np.asarray(fn.alpha / fn.size, step.dtype), "alpha")],
                                  step.path), g.constant(np.asarray(fn.k, step.dtype), "k")], step.path)
    power = g.node("Pow", [scale, g.constant(np.asarray(-fn.beta, step.dtype), "beta")], step.path)
    return g.node("Mul", [x, power], step.path)


def _affine_inputs(step, inputs):
    rest = iter(inputs[1:])
    weight = next(rest) if step.fn.has_weight else None
    bias = next(rest) if step.fn.has_bias else None
    return weight, bias


def _normalized(g, step, x, axes):
    """(x - mean) / sqrt(var + eps) over ``axes``, the variance biased (as PyTorch)."""
    centered = g.node("Sub", [x, g.reduce("ReduceMean", x, axes, True, step.path)], step.path)
    variance = g.reduce("ReduceMean", g.node("Mul", [centered, centered], step.path), axes, True, step.path)
    std = g.node("Sqrt", [g.node("Add", [variance, scalar(g, step, step.fn.eps, "eps")], step.path)], step.path)
    return g.node("Div", [centered, std], step.path)


def layer_norm(g, step, inputs):
    fn = step.fn
    shape = step.input_shapes[0]
    ndim, weight, bias = len(shape), *_affine_inputs(step, inputs)
    if g.opset >= 17:
        scale = weight or g.constant(np.ones(shape[ndim - fn.normalized_ndim:], step.dtype), "scale")
        return g.node("LayerNormalization", [inputs[0], scale] + ([bias] if bias else []), step.path,
                      axis=-fn.normalized_ndim, epsilon=float(fn.eps))
    y = _normalized(g, step, inputs[0], list(range(ndim - fn.normalized_ndim, ndim)))
    y = g.node("Mul", [y, weight], step.path) if weight else y
    return g.node("Add", [y, bias], step.path) if bias else y


def group_norm(g, step, inputs):
    # (N, C, ...) -> (N, groups, rest): normalise each row, back to the input's shape, then per channel
    fn = step.fn
    shape = step.input_shapes[0]
    weight, bias = _affine_inputs(step, inputs)
    grouped = g.node("Reshape", [inputs[0], g.ints([0, fn.num_groups, -1])], step.path)
    y = g.node("Reshape", [_normalized(g, step, grouped, [2]), g.node("Shape", [inputs[0]], step.path)], step.path)
    channel_shape = g.ints([shape[1]] + [1] * (len(shape) - 2))
    if weight:
        y = g.node("Mul", [y, g.node("Reshape", [weight, channel_shape], step.path)], step.path)
    if bias:
        y = g.node("Add", [y, g.node("Reshape", [bias, channel_shape], step.path)], step.path)
    return y


def resize2d(g, step, inputs):
    # y = R x C^T, R and C the fixed mixing matrices of the rows and the columns
    rows = g.constant(np.asarray(step.fn.rows, step.dtype), "rows")
    cols_t = g.constant(np.ascontiguousarray(np.asarray(step.fn.cols, step.dtype).T), "cols_t")
    return g.node("MatMul", [rows, g.node("MatMul", [inputs[0], cols_t], step.path)], step.path)
