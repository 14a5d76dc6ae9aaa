"""Functions behind the layers and losses, PyTorch's ``torch.nn.functional`` names.

>>> import sinir.nn.functional as F
>>> loss = F.cross_entropy(logits, labels)
"""
import numpy as np

from .. import ops
from ..functions import pad as _numpy_style_pad
from ..random import default_generator
from ..tensor import Tensor, _lift

REDUCTIONS = ("mean", "sum", "none")


# ----- activations ---------------------------------------------------------------------------
def relu(x):
    return x.relu()


def leaky_relu(x, negative_slope=0.01):
    return ops.LeakyReLU(negative_slope)(x)


def sigmoid(x):
    return x.sigmoid()


def tanh(x):
    return x.tanh()


def softmax(x, dim=-1):
    return x.softmax(dim)


def log_softmax(x, dim=-1):
    return x.log_softmax(dim)


# ----- layers ------------------------------------------------------------------------------
def linear(x, weight, bias=None, layer="linear"):
    """y = x W^T + b, for x (..., in_features) and W (out_features, in_features)."""
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(f"{layer}: expected input of shape (..., {weight.shape[1]}), got {x.shape} "
                         f"(weight of shape {weight.shape})")
    return ops.Linear()(x, weight) if bias is None else ops.Linear()(x, weight, bias)


def dropout(x, p=0.5, training=True):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (in training only)."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0
    keep = default_generator().random(x.shape) >= p
    return x * Tensor._make((keep / (1 - p)).astype(x.dtype))


def pad(x, pad, mode="constant", value=0.0):
    """PyTorch-style padding: ``pad`` lists (before, after) widths from the last axis backwards.

    >>> F.pad(images, (1, 1, 2, 2))      # 1 column each side, 2 rows above and below
    """
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: {pad} must hold (before, after) pairs for at most {x.ndim} axes")
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return _numpy_style_pad(x, widths, value)


def one_hot(labels, num_classes=-1):
    """Integer labels (N,) -> rows of zeros with a one at each label (N, num_classes), int64."""
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
    if num_classes < 0:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"one_hot: labels must lie in [0, {num_classes}), got {labels.min()}..{labels.max()}")
    return Tensor._make(np.eye(num_classes, dtype=np.int64)[labels])


# ----- losses ------------------------------------------------------------------------------
def _check_reduction(name, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _matching_target(name, input, target):
    """Check that prediction and target have one shape, and make the target a Tensor."""
    target = _lift(target, input)
    if input.shape != target.shape:
        raise ValueError(f"{name}: input shape {input.shape} and target shape {target.shape} differ; "
                         "they must be equal (reshape one, e.g. target.reshape(-1, 1))")
    return target


def mse_loss(input, target, reduction="mean"):
    """Mean squared error: mean((input - target)^2). The course's MSE."""
    _check_reduction("mse_loss", reduction)
    difference = input - _matching_target("mse_loss", input, target)
    return _reduce(difference * difference, reduction)


def rmse_loss(input, target, reduction="mean", eps=1e-8):
    """Root mean squared error: sqrt(mean((input - target)^2) + eps).

    eps sits inside the root so that the gradient stays finite at a perfect fit. The root is
    taken after the reduction, so RMSE is not additive over batches: the mean of per-batch RMSEs
    is not the RMSE of the whole set. 'sum' gives sqrt(sum of squares + eps), 'none' the root
    of each squared error (+ eps).
    """
    _check_reduction("rmse_loss", reduction)
    difference = input - _matching_target("rmse_loss", input, target)
    return (_reduce(difference * difference, reduction) + eps).sqrt()


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error: mean(|input - target|). The course's MAE."""
    _check_reduction("l1_loss", reduction)
    return _reduce((input - _matching_target("l1_loss", input, target)).abs(), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta); d = input - target."""
    _check_reduction("huber_loss", reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    return _reduce(ops.Huber(delta)(input, _matching_target("huber_loss", input, target)), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta; d = input - target."""
    _check_reduction("smooth_l1_loss", reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    return _reduce(ops.SmoothL1(beta)(input, _matching_target("smooth_l1_loss", input, target)), reduction)


def binary_cross_entropy(input, target, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p = input and labels y = target."""
    _check_reduction("binary_cross_entropy", reduction)
    target = _matching_target("binary_cross_entropy", input, target)
    return _reduce(ops.BinaryCrossEntropy()(input, target), reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input), computed stably from the raw scores."""
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    target = _matching_target("binary_cross_entropy_with_logits", input, target)
    if pos_weight is not None:
        pos_weight = np.asarray(pos_weight.data if isinstance(pos_weight, Tensor) else pos_weight,
                                dtype=input.dtype)
    return _reduce(ops.BinaryCrossEntropyWithLogits(pos_weight)(input, target), reduction)


def _classes_last(input):
    """(N, C, d1, d2, ...) logits -> (N * d1 * d2 ..., C) rows, as PyTorch's K-dimensional losses."""
    if input.ndim == 1:
        return input.reshape(1, -1)
    if input.ndim == 2:
        return input
    order = (0,) + tuple(range(2, input.ndim)) + (1,)
    return input.permute(order).reshape(-1, input.shape[1])


def cross_entropy(input, target, reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of logits ``input`` (N, C) against class indices (N,) or
    class probabilities (N, C). Fused: finite even for logits of +-1e4.

    >>> F.cross_entropy(logits, sinir.tensor([3, 0, 7]))
    """
    _check_reduction("cross_entropy", reduction)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    target_data = np.asarray(target.data if isinstance(target, Tensor) else target)
    logits = _classes_last(input)
    classes = logits.shape[1]
    if target_data.dtype.kind in "iu":
        expected = (input.shape[0],) + input.shape[2:] if input.ndim > 1 else ()
        if target_data.shape != expected:
            raise ValueError(f"cross_entropy: logits of shape {input.shape} need class indices of "
                             f"shape {expected}, got {target_data.shape}")
        if target_data.size and (target_data.min() < 0 or target_data.max() >= classes):
            raise ValueError(f"cross_entropy: class indices must lie in [0, {classes}), got "
                             f"{target_data.min()}..{target_data.max()}")
        q = Tensor._make(np.eye(classes, dtype=input.dtype)[target_data.reshape(-1)])
        out_shape = target_data.shape
    else:
        target = _matching_target("cross_entropy", input, target)
        q = _classes_last(target)
        out_shape = (input.shape[0],) + input.shape[2:] if input.ndim > 1 else ()
    loss = ops.CrossEntropy(label_smoothing)(logits, q)
    return _reduce(loss.reshape(out_shape), reduction)


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood: -input[n, target[n]] for log-probabilities ``input`` (N, C)."""
    _check_reduction("nll_loss", reduction)
    target_data = np.asarray(target.data if isinstance(target, Tensor) else target)
    if input.ndim != 2 or target_data.shape != (input.shape[0],) or target_data.dtype.kind not in "iu":
        raise ValueError(f"nll_loss: needs log-probabilities (N, C) and integer targets (N,), "
                         f"got {input.shape} and {target_data.shape} of dtype {target_data.dtype}")
    if target_data.size and (target_data.min() < 0 or target_data.max() >= input.shape[1]):
        raise ValueError(f"nll_loss: class indices must lie in [0, {input.shape[1]}), got "
                         f"{target_data.min()}..{target_data.max()}")
    picked = input[np.arange(input.shape[0]), target_data]
    return _reduce(-picked, reduction)


# ----- convolution, pooling, normalisation ---------------------------------------------------
def _int_pair(value, name, layer, minimum):
    """An int or a pair of ints -> a pair, each at least ``minimum``."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and v >= minimum for v in pair):
        raise ValueError(f"{layer}: {name} must be an integer >= {minimum} or a pair of them, got {value!r}")
    return tuple(int(v) for v in pair)


def _check_image_batch(layer, x, channels=None):
    if x.ndim != 4:
        raise ValueError(f"{layer}: expected a 4-D input (N, C, H, W), got shape {x.shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{layer}: expected {channels} input channels, got input of shape {x.shape} "
                         f"({x.shape[1]} channels)")


def conv_padding(padding, kernel_size, dilation, stride, layer="conv2d"):
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same' (stride 1 only)."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"{layer}: padding='same' needs stride 1, got stride {stride}")
        totals = [d * (k - 1) for d, k in zip(dilation, kernel_size)]
        return (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2, totals[1] - totals[1] // 2)
    if isinstance(padding, str):
        raise ValueError(f"{layer}: padding must be an int, a pair, 'same' or 'valid', got {padding!r}")
    ph, pw = _int_pair(padding, "padding", layer, 0)
    return (ph, ph, pw, pw)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, layer="conv2d"):
    """2-D convolution (cross-correlation, as in PyTorch) of (N, C, H, W) with (O, C / groups, kh, kw)."""
    stride = _int_pair(stride, "stride", layer, 1)
    dilation = _int_pair(dilation, "dilation", layer, 1)
    kernel = weight.shape[2:]
    pads = conv_padding(padding, kernel, dilation, stride, layer)
    _check_image_batch(layer, input, weight.shape[1] * groups)
    if groups < 1 or weight.shape[0] % groups:
        raise ValueError(f"{layer}: groups={groups} must divide the {weight.shape[0]} output channels")
    for axis, size, pad_total in ((0, input.shape[2], pads[0] + pads[1]), (1, input.shape[3], pads[2] + pads[3])):
        reach = dilation[axis] * (kernel[axis] - 1) + 1
        if reach > size + pad_total:
            raise ValueError(f"{layer}: the kernel spans {reach} pixels (size {kernel[axis]}, dilation "
                             f"{dilation[axis]}) but the padded input is only {size + pad_total} "
                             f"({'height' if axis == 0 else 'width'} {size} + padding {pad_total}); "
                             f"input shape {input.shape}")
    op = ops.Conv2d(stride, pads, dilation, groups)
    return op(input, weight) if bias is None else op(input, weight, bias)


def _pool_arguments(layer, input, kernel_size, stride, padding, dilation=1, ceil_mode=False):
    _check_image_batch(layer, input)
    kernel = _int_pair(kernel_size, "kernel_size", layer, 1)
    stride = kernel if stride is None else _int_pair(stride, "stride", layer, 1)
    padding = _int_pair(padding, "padding", layer, 0)
    dilation = _int_pair(dilation, "dilation", layer, 1)
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(f"{layer}: padding {padding} must be at most half the kernel size {kernel}")
    for axis in (0, 1):
        size = input.shape[2 + axis]
        if ops.pool.pool_output_size(size, kernel[axis], stride[axis], padding[axis], dilation[axis], ceil_mode) < 1:
            reach = dilation[axis] * (kernel[axis] - 1) + 1
            raise ValueError(f"{layer}: the window spans {reach} pixels but the padded input is only "
                             f"{size + 2 * padding[axis]}; input shape {input.shape}")
    return kernel, stride, padding, dilation


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, layer="max_pool2d"):
    """The maximum of each window; stride defaults to the kernel size."""
    kernel, stride, padding, dilation = _pool_arguments(layer, input, kernel_size, stride, padding, dilation,
                                                        ceil_mode)
    return ops.MaxPool2d(kernel, stride, padding, dilation, ceil_mode)(input)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None, layer="avg_pool2d"):
    """The mean of each window; stride defaults to the kernel size."""
    kernel, stride, padding, _ = _pool_arguments(layer, input, kernel_size, stride, padding, 1, ceil_mode)
    return ops.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)(input)


def _output_size(layer, input, output_size):
    _check_image_batch(layer, input)
    size = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    size = tuple(input.shape[2 + i] if s is None else s for i, s in enumerate(size))
    return _int_pair(size, "output_size", layer, 1)


def adaptive_avg_pool2d(input, output_size, layer="adaptive_avg_pool2d"):
    return ops.AdaptiveAvgPool2d(_output_size(layer, input, output_size))(input)


def adaptive_max_pool2d(input, output_size, layer="adaptive_max_pool2d"):
    return ops.AdaptiveMaxPool2d(_output_size(layer, input, output_size))(input)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Normalise each channel (axis 1). In training, by the batch's statistics, updating
    ``running_mean`` / ``running_var`` in place (momentum None: a cumulative average is the
    caller's to handle); otherwise by the running statistics."""
    inputs = [t for t in (weight, bias) if t is not None]
    if training or running_mean is None:
        if input.size // input.shape[1] < 2 and training:
            raise ValueError(f"batch_norm: training needs more than one value per channel, got input "
                             f"of shape {input.shape}")
        op = ops.BatchNorm(eps)
        out = op(input, *inputs)
        if training and running_mean is not None:
            count = input.size // input.shape[1]
            running_mean *= 1 - momentum
            running_mean += momentum * op.mean
            running_var *= 1 - momentum
            running_var += momentum * op.var * count / (count - 1)   # the unbiased variance, as PyTorch
        return out
    return ops.BatchNorm(eps, running_mean, running_var)(input, *inputs)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    if input.ndim < 3:
        raise ValueError(f"local_response_norm: expected (N, C, ...) input, got shape {input.shape}")
    return ops.LocalResponseNorm(size, alpha, beta, k)(input)


def dropout2d(x, p=0.5, training=True):
    """Zero whole channels with probability p (and scale the rest by 1 / (1 - p)), in training only."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout2d: p must be in [0, 1], got {p}")
    if not training or p == 0:
        return x
    keep = default_generator().random(x.shape[:2] + (1,) * (x.ndim - 2)) >= p
    return x * Tensor._make((keep / (1 - p) if p < 1 else keep * 0.0).astype(x.dtype))
