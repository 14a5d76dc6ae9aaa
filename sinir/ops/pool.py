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


LONG_RUN = 16   # images side by side in memory enough for NumPy's inner loops to pay off


def planes_view(x):
    """x (N, C, H, W) as a 4-D array (planes, H, W, run) whose last axis is innermost in memory.

    NumPy's inner loop runs along the innermost axis. When the batch is innermost and long
    (C, H, W, N) is the natural view. When it is short (2 images of VGG-16), a loop over windows
    would run 2 numbers per call, so the images are copied plane by plane, NCHW, and viewed as
    (N C, H, W, 1): then the inner loop runs along a row. ``from_planes`` undoes this.
    """
    chwn = to_chwn(x)
    if x.shape[0] >= LONG_RUN and chwn.flags.c_contiguous:
        return chwn
    return np.ascontiguousarray(x).reshape(-1, x.shape[2], x.shape[3], 1)


def from_planes(a, batch):
    """The (N, C, H, W) view of a ``planes_view`` array."""
    if a.shape[3] == 1:   # (N C, H, W, 1)
        return a.reshape(batch, -1, a.shape[1], a.shape[2])
    return from_chwn(a)


def padded_planes(a, top, bottom, left, right, fill):
    """a (planes, H, W, run) padded with ``fill`` on its H and W axes."""
    if not (top or bottom or left or right):
        return a
    P, H, W, Q = a.shape
    padded = np.full((P, H + top + bottom, W + left + right, Q), fill, dtype=a.dtype)
    padded[:, top:top + H, left:left + W] = a
    return padded


def first_maxima(candidates, maxima):
    """For each candidate view, in order, where it holds the maximum and no earlier one did.

    The last candidate takes the places left: one of the candidates holds each maximum (NaN aside).
    """
    taken = None
    for index, candidate in enumerate(candidates):
        if taken is not None and index == len(candidates) - 1:
            yield ~taken
            return
        is_max = candidate == maxima
        if taken is None:
            taken = is_max.copy()
        else:
            np.greater(is_max, taken, out=is_max)   # is_max and not taken
            taken |= is_max
        yield is_max


class MaxPool2d(Function):
    """The largest value in each window; the gradient goes to the position of the maximum only
    (the first one in row-major order, if several are equal, as in PyTorch).

    Windows that tile the input (kernel = stride, the 2x2 pool of LeNet-5 and VGG) take the
    maximum in two steps, along each window's rows, then down its columns:
    max over (i, j) of x[i, j] = max over i of (max over j of x[i, j]); the first maximum in
    row-major order is the first row holding it, then the first column of that row. Each step
    reads long runs of memory instead of one strided view per window offset.
    """

    def __init__(self, kernel_size, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
        self.kernel, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.ceil_mode = ceil_mode
        self.tiles = kernel_size == stride and dilation == (1, 1)

    def windows(self, padded, out_h, out_w):
        """For each kernel offset, in row-major order, the (planes, H_out, W_out, run) view it covers."""
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                yield padded[(slice(None),) + window_slices(i, j, out_h, out_w, self.stride, self.dilation)]

    def padded_planes(self, x):
        """x as a padded (planes, H, W, run) array (see ``planes_view``), and the output size."""
        out_h, out_w = (pool_output_size(n, k, s, p, d, self.ceil_mode) for n, k, s, p, d in
                        zip(x.shape[2:], self.kernel, self.stride, self.padding, self.dilation))
        extra_h, extra_w = [max(0, (o - 1) * s + d * (k - 1) + 1 - (n + 2 * p)) for o, s, d, k, n, p in
                            zip((out_h, out_w), self.stride, self.dilation, self.kernel, x.shape[2:], self.padding)]
        (ph, pw) = self.padding
        return padded_planes(planes_view(x), ph, ph + extra_h, pw, pw + extra_w, -np.inf), out_h, out_w

    def row_max(self, padded, out_h, out_w):
        """row_max[., h, w_out] = max over j of x[., h, kw w_out + j] (tiling windows only)."""
        kw = self.kernel[1]
        columns = [padded[:, :out_h * self.kernel[0], j:j + kw * out_w:kw] for j in range(kw)]
        row_max = columns[0].copy() if kw == 1 else np.maximum(columns[0], columns[1])
        for column in columns[2:]:
            np.maximum(row_max, column, out=row_max)
        return row_max

    def forward(self, x):
        padded, out_h, out_w = self.padded_planes(x)
        if self.tiles:
            # best = max over i of row_max[., kh h_out + i, w_out]
            kh = self.kernel[0]
            row_max = self.row_max(padded, out_h, out_w)
            best = row_max[:, 0::kh].copy()
            for i in range(1, kh):
                np.maximum(best, row_max[:, i::kh], out=best)
        else:
            windows = self.windows(padded, out_h, out_w)
            best = next(windows).copy()
            for window in windows:
                np.maximum(best, window, out=best)
        # backward pads (and maximises along rows) again rather than holding copies of the input
        self.input, self.best = x, best
        return from_planes(best, x.shape[0])

    def backward(self, grad):
        # dE/dx = dE/dy at the position of each window's (first) maximum, 0 elsewhere
        best = self.best
        padded, out_h, out_w = self.padded_planes(self.input)
        grad_c = np.ascontiguousarray(grad).reshape(best.shape) if best.shape[3] == 1 else to_chwn(grad)
        (kh, kw), (ph, pw), (H, W) = self.kernel, self.padding, self.input.shape[2:]
        if self.tiles:
            row_max = self.row_max(padded, out_h, out_w)
            covers = padded.shape[1] == kh * out_h and padded.shape[2] == kw * out_w
            grad_padded = (np.empty if covers else np.zeros)(padded.shape, dtype=grad.dtype)
            grad_rows = np.empty(row_max.shape, dtype=grad.dtype)
            rows = [row_max[:, i::kh] for i in range(kh)]
            for i, is_max in enumerate(first_maxima(rows, best)):   # the first row holding the maximum
                np.multiply(grad_c, is_max, out=grad_rows[:, i::kh])
            columns = [(slice(None), slice(0, out_h * kh), slice(j, j + kw * out_w, kw)) for j in range(kw)]
            for column, is_max in zip(columns, first_maxima([padded[c] for c in columns], row_max)):
                np.multiply(grad_rows, is_max, out=grad_padded[column])   # its first column holding it
        else:
            grad_padded = np.zeros(padded.shape, dtype=grad.dtype)
            share = np.empty(best.shape, dtype=grad.dtype)
            targets = self.windows(grad_padded, out_h, out_w)
            for target, is_max in zip(targets, first_maxima(list(self.windows(padded, out_h, out_w)), best)):
                target += np.multiply(grad_c, is_max, out=share)
        return (from_planes(grad_padded[:, ph:ph + H, pw:pw + W], self.input.shape[0]),)


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
