"""Pooling: max and average over windows, one strided slice per window offset (no 6-D views).

Like the convolution, the work happens on the batch-innermost (C, H, W, N) view.
"""
import math

import numpy as np

from .conv import from_chwn, padded_chwn, to_chwn, window_slices
from .function import Function


def pool_output_size(size, kernel, stride, padding, dilation=1, ceil_mode=False):
    """PyTorch's rule: floor (or ceil) of (n + 2p - d (k - 1) - 1) / s, plus 1; with ceil_mode a
    last window must still start inside the input or the left padding."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _padded(x, kernel, stride, padding, dilation, out_size, fill):
    """Pad by ``padding`` each side, and on the bottom/right as far as ceil_mode's last window reaches."""
    extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p))
             for o, s, d, k, n, p in zip(out_size, stride, dilation, kernel, x.shape[2:], padding)]
    ph, pw = padding
    return padded_chwn(x, ph, ph + extra[0], pw, pw + extra[1], fill)


class MaxPool2d(Function):
    """The largest value in each window; the gradient goes to the position of the maximum only
    (the first one, if several are equal, as in PyTorch)."""

    def __init__(self, kernel_size, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
        self.kernel, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.ceil_mode = ceil_mode

    def windows(self, padded, out_h, out_w):
        """For each kernel offset, in row-major order, the (C, H_out, W_out, N) view it covers."""
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                yield padded[(slice(None),) + window_slices(i, j, out_h, out_w, self.stride, self.dilation)]

    def forward(self, x):
        out_h, out_w = (pool_output_size(n, k, s, p, d, self.ceil_mode) for n, k, s, p, d in
                        zip(x.shape[2:], self.kernel, self.stride, self.padding, self.dilation))
        xp = _padded(x, self.kernel, self.stride, self.padding, self.dilation, (out_h, out_w), -np.inf)
        windows = self.windows(xp, out_h, out_w)
        best = next(windows).copy()
        for window in windows:
            np.maximum(best, window, out=best)
        self.padded, self.best, self.input_shape = xp, best, x.shape
        return from_chwn(best)

    def backward(self, grad):
        # dE/dx = dE/dy at the position of each window's maximum, 0 elsewhere
        grad_c = to_chwn(grad)
        grad_padded = np.zeros(self.padded.shape, dtype=grad.dtype)
        out_h, out_w = grad.shape[2:]
        taken = np.zeros(self.best.shape, dtype=bool)   # windows whose maximum was already found
        for window, target in zip(self.windows(self.padded, out_h, out_w), self.windows(grad_padded, out_h, out_w)):
            is_max = window == self.best
            is_max &= ~taken
            taken |= is_max
            target += grad_c * is_max
        (ph, pw), (H, W) = self.padding, self.input_shape[2:]
        return (from_chwn(grad_padded[:, ph:ph + H, pw:pw + W]),)


def _window_counts(size, kernel, stride, padding, out, count_include_pad):
    """How many elements each window averages along one axis (PyTorch's divisor)."""
    starts = np.arange(out) * stride - padding
    ends = np.minimum(starts + kernel, size + padding)
    if count_include_pad:
        return ends - starts
    return np.minimum(ends, size) - np.maximum(starts, 0)


class AvgPool2d(Function):
    """The mean of each window; the gradient is shared equally: divided by the window size."""

    def __init__(self, kernel_size, stride, padding=(0, 0), ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        self.kernel, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x):
        out_h, out_w = (pool_output_size(n, k, s, p, 1, self.ceil_mode)
                        for n, k, s, p in zip(x.shape[2:], self.kernel, self.stride, self.padding))
        xp = _padded(x, self.kernel, self.stride, self.padding, (1, 1), (out_h, out_w), 0.0)
        if self.divisor_override:
            self.divisor = np.asarray(self.divisor_override, dtype=x.dtype)
        else:
            rows = _window_counts(x.shape[2], self.kernel[0], self.stride[0], self.padding[0], out_h,
                                  self.count_include_pad)
            cols = _window_counts(x.shape[3], self.kernel[1], self.stride[1], self.padding[1], out_w,
                                  self.count_include_pad)
            self.divisor = np.outer(rows, cols).astype(x.dtype)[:, :, None]   # (H_out, W_out, 1)
        total = np.zeros((xp.shape[0], out_h, out_w, xp.shape[3]), dtype=x.dtype)
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                total += xp[(slice(None),) + window_slices(i, j, out_h, out_w, self.stride, (1, 1))]
        self.input_shape, self.padded_shape = x.shape, xp.shape
        return from_chwn(total / self.divisor)

    def backward(self, grad):
        # dE/dx = dE/dy / (window size), for every element of the window
        share = to_chwn(grad) / self.divisor
        grad_padded = np.zeros(self.padded_shape, dtype=grad.dtype)
        out_h, out_w = grad.shape[2:]
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                grad_padded[(slice(None),) + window_slices(i, j, out_h, out_w, self.stride, (1, 1))] += share
        (ph, pw), (H, W) = self.padding, self.input_shape[2:]
        return (from_chwn(grad_padded[:, ph:ph + H, pw:pw + W]),)


def adaptive_windows(size, out):
    """PyTorch's adaptive windows: [floor(i n / out), ceil((i + 1) n / out)) for i < out."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


class AdaptiveAvgPool2d(Function):
    """Average over windows chosen so that the output has a fixed size, whatever the input's."""

    def __init__(self, output_size):
        self.output_size = output_size

    def forward(self, x):
        self.input_shape = x.shape
        self.rows = adaptive_windows(x.shape[2], self.output_size[0])
        self.cols = adaptive_windows(x.shape[3], self.output_size[1])
        out = np.empty(x.shape[:2] + tuple(self.output_size), dtype=x.dtype)
        for a, (r0, r1) in enumerate(self.rows):
            for b, (c0, c1) in enumerate(self.cols):
                out[:, :, a, b] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
        return out

    def backward(self, grad):
        # dE/dx = dE/dy / (window size) over each window (windows may overlap: the shares add up)
        grad_x = np.zeros(self.input_shape, dtype=grad.dtype)
        for a, (r0, r1) in enumerate(self.rows):
            for b, (c0, c1) in enumerate(self.cols):
                grad_x[:, :, r0:r1, c0:c1] += (grad[:, :, a, b] / ((r1 - r0) * (c1 - c0)))[:, :, None, None]
        return (grad_x,)


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    """The maximum over windows chosen so that the output has a fixed size."""

    def forward(self, x):
        self.input_shape = x.shape
        self.rows = adaptive_windows(x.shape[2], self.output_size[0])
        self.cols = adaptive_windows(x.shape[3], self.output_size[1])
        out = np.empty(x.shape[:2] + tuple(self.output_size), dtype=x.dtype)
        self.winners = {}
        for a, (r0, r1) in enumerate(self.rows):
            for b, (c0, c1) in enumerate(self.cols):
                window = x[:, :, r0:r1, c0:c1].reshape(x.shape[0], x.shape[1], -1)
                self.winners[a, b] = window.argmax(axis=2)
                out[:, :, a, b] = np.take_along_axis(window, self.winners[a, b][..., None], axis=2)[..., 0]
        return out

    def backward(self, grad):
        # dE/dx = dE/dy at each window's maximum
        grad_x = np.zeros(self.input_shape, dtype=grad.dtype)
        for a, (r0, r1) in enumerate(self.rows):
            for b, (c0, c1) in enumerate(self.cols):
                width = c1 - c0
                rows, cols = np.divmod(self.winners[a, b], width)
                n, c = np.indices(rows.shape)
                grad_x[n, c, r0 + rows, c0 + cols] += grad[:, :, a, b]
        return (grad_x,)
