"""Transposed convolution ("deconvolution"): the gradient of a convolution with respect to its
input, used as a layer that enlarges feature maps.

Each input pixel x[n, c, h, w] adds x times the kernel W[c, :, :, :] into the output window that
starts at (s h, s w): forward is col2im of W^T . x, the scatter a convolution's backward does,
and backward is im2col followed by W . columns, a convolution's forward. Images are handled in
the (C, H, W, N) layout of sinir.ops.conv, whose helpers are reused.
"""
import numpy as np

from .conv import from_chwn, to_chwn, window_slices
from .function import Function


def transposed_output_size(size, kernel, stride, padding, output_padding, dilation):
    """(n - 1) s - 2 p + d (k - 1) + output_padding + 1, PyTorch's formula."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


class ConvTranspose2d(Function):
    """y = sum over input pixels of x[n, c, h, w] * W[c, o, i, j] at output (s h + d i - p, s w + d j - p).

    x (N, C_in, H, W), weight (C_in, C_out / groups, kh, kw), bias (C_out,).
    """

    def __init__(self, stride=(1, 1), padding=(0, 0), output_padding=(0, 0), dilation=(1, 1), groups=1):
        self.stride, self.padding, self.output_padding = stride, padding, output_padding
        self.dilation, self.groups = dilation, groups

    def forward(self, x, weight, bias=None):
        N, C, H, W = x.shape
        _, O_group, kh, kw = weight.shape
        g = self.groups
        (sh, sw), (dh, dw) = self.stride, self.dilation
        out_h = transposed_output_size(H, kh, sh, self.padding[0], self.output_padding[0], dh)
        out_w = transposed_output_size(W, kw, sw, self.padding[1], self.output_padding[1], dw)
        # the uncropped output: every window whole, plus output_padding at the far end
        full_h = (H - 1) * sh + dh * (kh - 1) + 1 + self.output_padding[0]
        full_w = (W - 1) * sw + dw * (kw - 1) + 1 + self.output_padding[1]
        rows = np.ascontiguousarray(to_chwn(x)).reshape(g, C // g, H * W * N)
        kernels = weight.reshape(g, C // g, O_group * kh * kw)
        # columns[o, i, j, h, w, n] = sum over c of W[c, o, i, j] x[n, c, h, w]
        columns = np.matmul(kernels.transpose(0, 2, 1), rows).reshape(g * O_group, kh, kw, H, W, N)
        full = np.zeros((g * O_group, full_h, full_w, N), dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                window_rows, window_cols = window_slices(i, j, H, W, self.stride, self.dilation)
                full[:, window_rows, window_cols] += columns[:, i, j]          # col2im
        ph, pw = self.padding
        y = full[:, ph:ph + out_h, pw:pw + out_w]
        if bias is not None:
            y = y + bias[:, None, None, None]
        self.rows, self.weight, self.full_shape, self.input_shape = rows, weight, full.shape, x.shape
        return from_chwn(y)

    def backward(self, grad):
        g, weight = self.groups, self.weight
        C_in, O_group, kh, kw = weight.shape
        N, C, H, W = self.input_shape
        ph, pw = self.padding
        grad_full = np.zeros(self.full_shape, dtype=grad.dtype)
        grad_full[:, ph:ph + grad.shape[2], pw:pw + grad.shape[3]] = to_chwn(grad)
        # im2col of the output gradient: the window each input pixel wrote to
        columns = np.empty((g * O_group, kh, kw, H, W, N), dtype=grad.dtype)
        for i in range(kh):
            for j in range(kw):
                window_rows, window_cols = window_slices(i, j, H, W, self.stride, self.dilation)
                columns[:, i, j] = grad_full[:, window_rows, window_cols]
        columns = columns.reshape(g, O_group * kh * kw, H * W * N)
        kernels = weight.reshape(g, C_in // g, O_group * kh * kw)
        grad_x = grad_weight = grad_bias = None
        if self.needs_input_grad[0]:
            # dE/dx = W . columns of dE/dy (a convolution of dE/dy with the kernel)
            grad_x = from_chwn(np.matmul(kernels, columns).reshape(C, H, W, N))
        if self.needs_input_grad[1]:
            # dE/dW = x . (columns of dE/dy)^T
            grad_weight = np.matmul(self.rows, columns.transpose(0, 2, 1)).reshape(weight.shape)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_bias = grad.sum(axis=(0, 2, 3))                               # dE/db = sum of dE/dy
        return (grad_x, grad_weight, grad_bias)[:len(self.needs_input_grad)]
