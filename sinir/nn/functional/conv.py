"""Convolution (1-D, 2-D, transposed), pooling and resizing of feature maps."""
import numpy as np

from ... import ops
from ...ops.conv_transpose import ConvTranspose2d as _ConvTranspose2d, transposed_output_size
from ...ops.interpolate import Resize2d, output_sizes, resize_matrices
from ...ops.pool import pool_output_size


def _int_tuple(value, name, where, minimum, length=2):
    """An int or ``length`` ints -> a tuple of ``length`` ints, each at least ``minimum``."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * length
    if len(values) != length or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                        and v >= minimum for v in values):
        more = "" if length == 1 else " or a pair of them" if length == 2 else f" or {length} of them"
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}{more}, got {value!r}")
    return tuple(int(v) for v in values)


def _int_pair(value, name, where, minimum):
    """An int or a pair of ints -> a pair, each at least ``minimum``."""
    return _int_tuple(value, name, where, minimum, 2)


def _check_image_batch(name, x, channels=None):
    if x.ndim != 4:
        raise ValueError(f"{name}: expected a 4-D input (N, C, H, W), got shape {tuple(x.shape)}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{name}: expected {channels} input channels, got input of shape {tuple(x.shape)} "
                         f"({x.shape[1]} channels)")


def conv_padding(padding, kernel_size, dilation, stride, where="conv2d"):
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same' (stride 1 only)."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if tuple(stride) != (1,) * len(stride):
            raise ValueError(f"{where}: padding='same' needs stride 1, got stride {stride}")
        totals = [d * (k - 1) for d, k in zip(dilation, kernel_size)]
        return (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2, totals[1] - totals[1] // 2)
    if isinstance(padding, str):
        raise ValueError(f"{where}: padding must be an int, a pair, 'same' or 'valid', got {padding!r}")
    ph, pw = _int_pair(padding, "padding", where, 0)
    return (ph, ph, pw, pw)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in PyTorch) of (N, C, H, W) with (O, C / groups, kh, kw)."""
    stride = _int_pair(stride, "stride", "conv2d", 1)
    dilation = _int_pair(dilation, "dilation", "conv2d", 1)
    kernel = weight.shape[2:]
    pads = conv_padding(padding, kernel, dilation, stride, "conv2d")
    _check_image_batch("conv2d", input, weight.shape[1] * groups)
    if groups < 1 or weight.shape[0] % groups:
        raise ValueError(f"conv2d: groups={groups} must divide the {weight.shape[0]} output channels")
    for axis, size, pad_total in ((0, input.shape[2], pads[0] + pads[1]), (1, input.shape[3], pads[2] + pads[3])):
        reach = dilation[axis] * (kernel[axis] - 1) + 1
        if reach > size + pad_total:
            raise ValueError(f"conv2d: the kernel spans {reach} pixels (size {kernel[axis]}, dilation "
                             f"{dilation[axis]}) but the padded input is only {size + pad_total} "
                             f"({'height' if axis == 0 else 'width'} {size} + padding {pad_total}); "
                             f"input shape {tuple(input.shape)}")
    op = ops.Conv2d(stride, pads, dilation, groups)
    return op(input, weight) if bias is None else op(input, weight, bias)


def _one_d(value):
    return value if isinstance(value, str) else (1, value[0] if isinstance(value, (tuple, list)) else value)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution of (N, C, L) with (O, C / groups, k): a 2-D convolution of height 1."""
    if input.ndim != 3 or weight.ndim != 3:
        raise ValueError(f"conv1d: expected input (N, C, L) and weight (O, C / groups, k), got {tuple(input.shape)} "
                         f"and {tuple(weight.shape)}")
    padding = padding if isinstance(padding, str) else (0, _int_tuple(padding, "padding", "conv1d", 0, 1)[0])
    out = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, _one_d(stride), padding, _one_d(dilation), groups)
    return out.squeeze(2)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed convolution of (N, C_in, H, W) with (C_in, C_out / groups, kh, kw): the output is
    (N, C_out, (H - 1) s - 2 p + d (k - 1) + output_padding + 1, ...)."""
    stride = _int_pair(stride, "stride", "conv_transpose2d", 1)
    padding = _int_pair(padding, "padding", "conv_transpose2d", 0)
    output_padding = _int_pair(output_padding, "output_padding", "conv_transpose2d", 0)
    dilation = _int_pair(dilation, "dilation", "conv_transpose2d", 1)
    _check_image_batch("conv_transpose2d", input, weight.shape[0])
    if groups < 1 or weight.shape[0] % groups:
        raise ValueError(f"conv_transpose2d: groups={groups} must divide the {weight.shape[0]} input channels")
    for axis in (0, 1):
        if output_padding[axis] >= max(stride[axis], dilation[axis]):
            raise ValueError(f"conv_transpose2d: output_padding {output_padding} must be smaller than the "
                             f"stride {stride} or the dilation {dilation}")
        size = transposed_output_size(input.shape[2 + axis], weight.shape[2 + axis], stride[axis], padding[axis],
                                      output_padding[axis], dilation[axis])
        if size < 1:
            raise ValueError(f"conv_transpose2d: the output would have size {size} along axis {2 + axis} "
                             f"(padding {padding} too large for input shape {tuple(input.shape)})")
    op = _ConvTranspose2d(stride, padding, output_padding, dilation, groups)
    return op(input, weight) if bias is None else op(input, weight, bias)


def _pool_arguments(name, input, kernel_size, stride, padding, dilation=1, ceil_mode=False):
    _check_image_batch(name, input)
    kernel = _int_pair(kernel_size, "kernel_size", name, 1)
    stride = kernel if stride is None else _int_pair(stride, "stride", name, 1)
    padding = _int_pair(padding, "padding", name, 0)
    dilation = _int_pair(dilation, "dilation", name, 1)
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(f"{name}: padding {padding} must be at most half the kernel size {kernel}")
    for axis in (0, 1):
        size = input.shape[2 + axis]
        if pool_output_size(size, kernel[axis], stride[axis], padding[axis], dilation[axis], ceil_mode) < 1:
            reach = dilation[axis] * (kernel[axis] - 1) + 1
            raise ValueError(f"{name}: the window spans {reach} pixels but the padded input is only "
                             f"{size + 2 * padding[axis]}; input shape {tuple(input.shape)}")
    return kernel, stride, padding, dilation


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each window; stride defaults to the kernel size."""
    if return_indices:
        raise ValueError("max_pool2d: return_indices=True is not supported")
    kernel, stride, padding, dilation = _pool_arguments("max_pool2d", input, kernel_size, stride, padding,
                                                        dilation, ceil_mode)
    return ops.MaxPool2d(kernel, stride, padding, dilation, ceil_mode)(input)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each window; stride defaults to the kernel size."""
    kernel, stride, padding, _ = _pool_arguments("avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)
    return ops.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)(input)


def _adaptive_size(name, input, output_size):
    _check_image_batch(name, input)
    size = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    size = tuple(input.shape[2 + i] if s is None else s for i, s in enumerate(size))
    return _int_pair(size, "output_size", name, 1)


def adaptive_avg_pool2d(input, output_size):
    return ops.AdaptiveAvgPool2d(_adaptive_size("adaptive_avg_pool2d", input, output_size))(input)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    if return_indices:
        raise ValueError("adaptive_max_pool2d: return_indices=True is not supported")
    return ops.AdaptiveMaxPool2d(_adaptive_size("adaptive_max_pool2d", input, output_size))(input)


INTERPOLATION_MODES = ("nearest", "bilinear")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize (N, C, H, W) images to ``size`` (h, w) or by ``scale_factor``, 'nearest' or 'bilinear'
    (PyTorch's pixel positions; ``align_corners`` for bilinear only).

    >>> F.interpolate(x, scale_factor=2, mode="bilinear").shape     # x (1, 3, 8, 8)
    (1, 3, 16, 16)
    """
    if mode not in INTERPOLATION_MODES:
        raise ValueError(f"interpolate: mode must be one of {INTERPOLATION_MODES}, got {mode!r}")
    if input.ndim != 4:
        raise ValueError(f"interpolate: expected a 4-D input (N, C, H, W), got shape {tuple(input.shape)}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if align_corners is not None and mode == "nearest":
        raise ValueError("interpolate: align_corners applies to mode='bilinear' only")
    if antialias:
        raise ValueError("interpolate: antialias=True is not supported")
    if size is not None:
        size = _int_pair(size, "size", "interpolate", 1)
    else:
        factors = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * 2
        if len(factors) != 2 or not all(f > 0 for f in factors):
            raise ValueError(f"interpolate: scale_factor must be positive (one or two numbers), got {scale_factor!r}")
        scale_factor = None if recompute_scale_factor else tuple(float(f) for f in factors)
        size = output_sizes(input.shape, None, factors)
        if min(size) < 1:
            raise ValueError(f"interpolate: scale_factor {factors} gives an empty output for input {tuple(input.shape)}")
    rows, cols = resize_matrices(input.shape, size, scale_factor, mode, bool(align_corners), input.dtype)
    return Resize2d(rows, cols)(input)
