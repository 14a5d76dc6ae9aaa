"""2-D convolution by im2col: gather every input patch into a column, then one matrix product.

Shapes are NCHW, as in PyTorch. In memory, images are kept batch-innermost, (C, H, W, N): the
output of ``W @ columns`` comes out that way, and a transposed NumPy view gives it the NCHW shape
for free. Then a window of rows and columns is a run of W * N contiguous numbers, so gathering
patches (im2col) and scattering them back (col2im) copy long runs instead of short rows.
"""
import numpy as np

from .function import Function


def output_size(size, kernel, stride, padding_before, padding_after, dilation):
    """How many positions a kernel takes along one axis: floor((n + pads - d (k - 1) - 1) / s) + 1."""
    return (size + padding_before + padding_after - dilation * (kernel - 1) - 1) // stride + 1


def to_chwn(x):
    """The (C, H, W, N) view of an NCHW array (free when its memory is batch-innermost)."""
    return x.transpose(1, 2, 3, 0)


def from_chwn(a):
    """The NCHW view of a (C, H, W, N) array, without copying."""
    return a.transpose(3, 0, 1, 2)


def padded_chwn(x, top, bottom, left, right, fill=0.0):
    """x (N, C, H, W) as a (C, H + top + bottom, W + left + right, N) array padded with ``fill``."""
    xc = to_chwn(x)
    if not (top or bottom or left or right):
        return xc
    C, H, W, N = xc.shape
    padded = np.full((C, H + top + bottom, W + left + right, N), fill, dtype=x.dtype)
    padded[:, top:top + H, left:left + W] = xc
    return padded


def window_slices(i, j, out_h, out_w, stride, dilation):
    """The rows and columns that kernel offset (i, j) touches, one per output position."""
    (sh, sw), (dh, dw) = stride, dilation
    return (slice(i * dh, i * dh + sh * (out_h - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (out_w - 1) + 1, sw))


class Conv2d(Function):
    """y[n, o] = b[o] + sum over c, i, j of W[o, c, i, j] x[n, c, s h + d i, s w + d j].

    ``padding`` is (top, bottom, left, right); ``groups`` splits the channels into independent
    convolutions, each a slice of the weight.
    """

    def __init__(self, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), groups=1):
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups

    def forward(self, x, weight, bias=None):
        N, C, H, W = x.shape
        O, C_group, kh, kw = weight.shape
        top, bottom, left, right = self.padding
        out_h = output_size(H, kh, self.stride[0], top, bottom, self.dilation[0])
        out_w = output_size(W, kw, self.stride[1], left, right, self.dilation[1])
        xp = padded_chwn(x, top, bottom, left, right)
        # im2col: columns[c, i, j, h, w, n] = x_padded[c, s h + d i, s w + d j, n]
        columns = np.empty((C, kh, kw, out_h, out_w, N), dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                rows, cols = window_slices(i, j, out_h, out_w, self.stride, self.dilation)
                columns[:, i, j] = xp[:, rows, cols]
        groups = self.groups
        columns = columns.reshape(groups, C_group * kh * kw, out_h * out_w * N)
        kernels = weight.reshape(groups, O // groups, C_group * kh * kw)
        y = kernels[0] @ columns[0] if groups == 1 else np.matmul(kernels, columns)
        y = y.reshape(O, out_h, out_w, N)
        if bias is not None:
            y += bias[:, None, None, None]
        self.columns, self.weight = columns, weight
        self.input_shape, self.padded_shape = x.shape, xp.shape
        return from_chwn(y)

    def backward(self, grad):
        groups, weight = self.groups, self.weight
        O, C_group, kh, kw = weight.shape
        N, out_h, out_w = grad.shape[0], grad.shape[2], grad.shape[3]
        grad_rows = np.ascontiguousarray(to_chwn(grad)).reshape(groups, O // groups, -1)
        grad_x = grad_weight = grad_bias = None
        if self.needs_input_grad[1]:
            # dE/dF = sum over outputs of dE/dO times the input patch
            grad_weight = np.matmul(grad_rows, self.columns.transpose(0, 2, 1)).reshape(weight.shape)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            # dE/db[o] = sum over n, h, w of dE/dy[n, o, h, w]
            grad_bias = grad_rows.reshape(O, -1).sum(axis=1)
        if self.needs_input_grad[0]:
            # dE/dx: each column's gradient W^T . dE/dy goes back to the patch it came from (col2im)
            kernels = weight.reshape(groups, O // groups, -1)
            grad_columns = np.matmul(kernels.transpose(0, 2, 1), grad_rows)
            grad_columns = grad_columns.reshape(-1, kh, kw, out_h, out_w, N)
            grad_padded = np.zeros(self.padded_shape, dtype=grad.dtype)
            for i in range(kh):
                for j in range(kw):
                    rows, cols = window_slices(i, j, out_h, out_w, self.stride, self.dilation)
                    grad_padded[:, rows, cols] += grad_columns[:, i, j]
            top, _, left, _ = self.padding
            H, W = self.input_shape[2:]
            grad_x = from_chwn(grad_padded[:, top:top + H, left:left + W])
        return grad_x, grad_weight, grad_bias
