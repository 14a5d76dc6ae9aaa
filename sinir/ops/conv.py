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
    """x (N, C, H, W) as a (C, H + top + bottom, W + left + right, N) array padded with ``fill``.

    Without padding it is x's own memory when that is batch-innermost already, else one copy
    (gathering patches from NCHW memory would read one number per image, far apart)."""
    xc = to_chwn(x)
    if not (top or bottom or left or right):
        return np.ascontiguousarray(xc)
    C, H, W, N = xc.shape
    padded = np.full((C, H + top + bottom, W + left + right, N), fill, dtype=x.dtype)
    padded[:, top:top + H, left:left + W] = xc
    return padded


def window_slices(i, j, out_h, out_w, stride, dilation):
    """The rows and columns that kernel offset (i, j) touches, one per output position."""
    (sh, sw), (dh, dw) = stride, dilation
    return (slice(i * dh, i * dh + sh * (out_h - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (out_w - 1) + 1, sw))


def summed_over_blocks(a, b, block=4096):
    """a . b^T for a (m, n) and b (k, n), as the sum over blocks of ``block`` columns of the products."""
    total = a[:, :block] @ b[:, :block].T
    for start in range(block, a.shape[1], block):
        total += a[:, start:start + block] @ b[:, start:start + block].T
    return total


class Conv2d(Function):
    """y[n, o] = b[o] + sum over c, i, j of W[o, c, i, j] x[n, c, s h + d i, s w + d j].

    ``padding`` is (top, bottom, left, right); ``groups`` splits the channels into independent
    convolutions, each a slice of the weight. Large stride-1 images take the same sums in
    blocks (see ``ShiftedRows``), which keeps the patch matrix small.
    """

    def __init__(self, stride=(1, 1), padding=(0, 0, 0, 0), dilation=(1, 1), groups=1):
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups

    def forward(self, x, weight, bias=None):
        N, C, H, W = x.shape
        O, C_group, kh, kw = weight.shape
        top, bottom, left, right = self.padding
        out_h = output_size(H, kh, self.stride[0], top, bottom, self.dilation[0])
        out_w = output_size(W, kw, self.stride[1], left, right, self.dilation[1])
        if ShiftedRows.pays_off(self, weight.shape, out_h, out_w, N):
            self.shifted = ShiftedRows(x, weight.shape, self.padding, self.dilation)
            y = self.shifted.forward(weight)
            if bias is not None:
                y += bias[:, None, None, None]
            self.weight = weight
            return from_chwn(y[:, :, :out_w])
        xp = padded_chwn(x, top, bottom, left, right)
        columns = self.im2col(xp, weight.shape, out_h, out_w)
        groups = self.groups
        kernels = weight.reshape(groups, O // groups, C_group * kh * kw)
        y = kernels[0] @ columns[0] if groups == 1 else np.matmul(kernels, columns)
        y = y.reshape(O, out_h, out_w, N)
        if bias is not None:
            y += bias[:, None, None, None]
        # backward needs the columns again: kept if small, else rebuilt from the input (which
        # the previous layer holds anyway: no copy is kept)
        if columns.nbytes <= self.KEEP_COLUMNS_BYTES:
            self.columns = columns
        else:
            self.columns, self.input = None, x
        self.weight, self.input_shape, self.padded_shape = weight, x.shape, xp.shape
        return from_chwn(y)

    KEEP_COLUMNS_BYTES = 16 * 2 ** 20   # larger patch matrices are not held from forward to backward

    def im2col(self, xp, weight_shape, out_h, out_w):
        """The patch matrix of the padded (C, H_p, W_p, N) input: (groups, C_group kh kw, H_out W_out N)."""
        C, N = xp.shape[0], xp.shape[3]
        _, C_group, kh, kw = weight_shape
        if self.pointwise(weight_shape):
            return xp.reshape(self.groups, C_group, -1)   # a 1x1 kernel's patches are the pixels themselves
        # im2col: columns[c, i, j, h, w, n] = x_padded[c, s h + d i, s w + d j, n]
        columns = np.empty((C, kh, kw, out_h, out_w, N), dtype=xp.dtype)
        for i in range(kh):
            for j in range(kw):
                rows, cols = window_slices(i, j, out_h, out_w, self.stride, self.dilation)
                columns[:, i, j] = xp[:, rows, cols]
        return columns.reshape(self.groups, C_group * kh * kw, out_h * out_w * N)

    def pointwise(self, weight_shape):
        """A 1x1 kernel with stride 1 and no padding: its patch matrix is the (C, H W N) image, no copy."""
        return weight_shape[2:] == (1, 1) and self.stride == (1, 1) and not any(self.padding)

    def backward(self, grad):
        if hasattr(self, "shifted"):
            return self.shifted.backward(grad, self.weight, self.needs_input_grad)[:len(self.needs_input_grad)]
        groups, weight = self.groups, self.weight
        O, C_group, kh, kw = weight.shape
        N, out_h, out_w = grad.shape[0], grad.shape[2], grad.shape[3]
        grad_rows = np.ascontiguousarray(to_chwn(grad)).reshape(groups, O // groups, -1)
        grad_x = grad_weight = grad_bias = None
        if self.needs_input_grad[1]:
            columns = self.columns
            if columns is None:
                columns = self.im2col(padded_chwn(self.input, *self.padding), weight.shape, out_h, out_w)
            # dE/dF = sum over outputs of dE/dO times the input patch: dE/dW = dE/dy . columns^T
            patch_rows, positions = columns.shape[1:]
            if groups == 1 and O * patch_rows <= 1024 and positions >= 16384:
                # a tiny dE/dW from very many positions (LeNet-5's first layer: 6 x 25 numbers from
                # 50,176 positions): OpenBLAS shares such a product badly between its threads;
                # summed over blocks of positions it took 2.4x less time
                grad_weight = summed_over_blocks(grad_rows[0], columns[0]).reshape(weight.shape)
            elif groups == 1 and O < patch_rows <= positions:
                # the same product transposed, (columns . dE/dy^T)^T: measured 1.3-2x faster in
                # OpenBLAS when the patch has more rows than there are output channels
                grad_weight = np.ascontiguousarray((columns[0] @ grad_rows[0].T).T).reshape(weight.shape)
            elif groups == 1:
                grad_weight = (grad_rows[0] @ columns[0].T).reshape(weight.shape)
            else:
                grad_weight = np.matmul(grad_rows, columns.transpose(0, 2, 1)).reshape(weight.shape)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            # dE/db[o] = sum over n, h, w of dE/dy[n, o, h, w]
            grad_bias = grad_rows.reshape(O, -1).sum(axis=1)
        if self.needs_input_grad[0]:
            # dE/dx: each column's gradient W^T . dE/dy goes back to the patch it came from (col2im)
            kernels = weight.reshape(groups, O // groups, -1)
            grad_columns = np.matmul(kernels.transpose(0, 2, 1), grad_rows)
            if self.pointwise(weight.shape):                   # col2im of a 1x1 kernel: nothing to add up
                return (from_chwn(grad_columns.reshape(-1, out_h, out_w, N)), grad_weight,
                        grad_bias)[:len(self.needs_input_grad)]
            grad_columns = grad_columns.reshape(-1, kh, kw, out_h, out_w, N)
            grad_padded = np.zeros(self.padded_shape, dtype=grad.dtype)
            for i in range(kh):
                for j in range(kw):
                    rows, cols = window_slices(i, j, out_h, out_w, self.stride, self.dilation)
                    grad_padded[:, rows, cols] += grad_columns[:, i, j]
            top, _, left, _ = self.padding
            H, W = self.input_shape[2:]
            grad_x = from_chwn(grad_padded[:, top:top + H, left:left + W])
        return (grad_x, grad_weight, grad_bias)[:len(self.needs_input_grad)]   # one per input


class ShiftedRows:
    """A stride-1 convolution as im2col in blocks of output positions (about 32 MiB of patches each).

    Flatten the padded image (C, H_p, W_p, N) to (C, H_p W_p N). With stride 1, output position
    p = (h W_p + w) N + n reads, for kernel offset (i, j), input position p + (d_h i W_p + d_w j) N:
    the patch row of offset (i, j) is the image itself, shifted. So a block of columns of the
    patch matrix is kh kw contiguous slices of the image, and

        y[:, block] = W . columns[:, block]     (W as (O, kh kw C), columns as (kh kw C, block))

    is the plain im2col product done one block at a time: the full patch matrix (231 MB for
    VGG-16's 64->64 convolution at 224x224, batch 2) is never built, nor held until backward. Output positions with
    w >= W_out wrap into the next row; they are computed and dropped (a few percent of the work).
    Backward needs no patch matrix either: the patch row of offset (i, j) is the image shifted,
    so dE/dW[:, :, i, j] = dE/dy . (image shifted by offset (i, j))^T, one matrix product per
    offset; and dE/dx, the col2im of W^T . dE/dy, is gathered blockwise as a forward-style
    product of the transposed kernels with shifted copies of dE/dy (see ``grad_input``).
    """

    # a block of the patch matrix. Measured on 2 idle cores (VGG-16, batch 4): 8 MiB blocks took
    # 21-28% less time than 32 MiB ones for the 64- and 128-channel layers (the block stays in
    # cache between the copies and the product); 2 MiB ones make each product too small for two
    # BLAS threads to share, hence also at least MIN_BLOCK positions (512 channels: 18 MiB)
    BLOCK_BYTES = 8 * 2 ** 20
    MIN_BLOCK = 1024             # output positions: fewer make the matrix products slow
    MIN_PATCH_BYTES = 32 * 2 ** 20   # used when the whole patch matrix is larger (VGG-16 at 56x56: 5-10% faster)

    @classmethod
    def pays_off(cls, conv, weight_shape, out_h, out_w, batch):
        """Whether ``conv`` (a Conv2d) should take this path: stride 1, one group, a large patch matrix."""
        O, C, kh, kw = weight_shape
        patch_bytes = C * kh * kw * out_h * out_w * batch * 4   # float32
        return conv.stride == (1, 1) and conv.groups == 1 and patch_bytes > cls.MIN_PATCH_BYTES

    def __init__(self, x, weight_shape, padding, dilation):
        N, C, H, W = x.shape
        _, _, kh, kw = weight_shape
        top, bottom, left, right = padding
        dh, dw = dilation
        self.input, self.input_shape, self.padding = x, x.shape, padding
        self.out_h, self.width = H + top + bottom - dh * (kh - 1), W + left + right
        # one spare row at the bottom: the dropped positions of the last row read past the image
        self.padded_shape = (C, H + top + bottom + 1, self.width, N)
        self.length = self.out_h * self.width * N     # output positions, dropped ones included
        self.shifts = [(dh * i * self.width + dw * j) * N for i in range(kh) for j in range(kw)]
        self.block = max(self.MIN_BLOCK, self.BLOCK_BYTES // (x.itemsize * C * kh * kw))

    def padded(self):
        """The input, (C, H_p + 1, W_p, N), zero-padded (built again in backward: not kept)."""
        top, _, left, _ = self.padding
        H, W = self.input_shape[2:]
        padded = np.zeros(self.padded_shape, dtype=self.input.dtype)
        padded[:, top:top + H, left:left + W] = to_chwn(self.input)
        return padded

    def blocks(self):
        """(start, stop, columns): each block of the patch matrix, (kh kw C, stop - start)."""
        flat = self.padded().reshape(self.padded_shape[0], -1)
        C = flat.shape[0]
        buffer = np.empty((len(self.shifts), C, self.block), dtype=flat.dtype)
        for start in range(0, self.length, self.block):
            stop = min(start + self.block, self.length)
            for index, shift in enumerate(self.shifts):
                buffer[index, :, :stop - start] = flat[:, start + shift:stop + shift]
            yield start, stop, buffer.reshape(-1, self.block)[:, :stop - start]

    def forward(self, weight):
        """y as (O, H_out, W_p, N): columns w >= W_out are to be dropped."""
        O = weight.shape[0]
        kernels = weight.transpose(0, 2, 3, 1).reshape(O, -1)     # (O, kh kw C), offsets first
        y = np.empty((O, self.length), dtype=weight.dtype)
        for start, stop, columns in self.blocks():
            np.matmul(kernels, columns, out=y[:, start:stop])
        N = self.input_shape[0]
        return y.reshape(O, self.out_h, self.width, N)

    def backward(self, grad, weight, needs_input_grad):
        """dE/dx, dE/dW, dE/db without building the patch matrix again (see ``grad_input``)."""
        O, C, kh, kw = weight.shape
        N, out_w = grad.shape[0], grad.shape[3]
        before = self.shifts[-1]          # zeros in front: dE/dx reads dE/dy up to this far back
        top, _, left, _ = self.padding
        H, W = self.input_shape[2:]
        row = self.width * N              # one padded image row, all its columns and images
        extended = np.zeros((O, before + max(self.length, (top + H) * row)), dtype=grad.dtype)
        grad_rows = extended[:, before:before + self.length]      # (O, H_out W_p N): 0 at dropped positions
        grad_rows.reshape(O, self.out_h, self.width, N)[:, :, :out_w] = to_chwn(grad)
        want_bias = len(needs_input_grad) > 2 and needs_input_grad[2]
        grad_x = grad_weight = grad_bias = None
        if needs_input_grad[1]:
            # dE/dW[:, :, i, j] = dE/dy . (x shifted by offset (i, j))^T: the patch row of offset
            # (i, j) is a shifted slice of the flat image, so no patch matrix is needed
            flat = self.padded().reshape(C, -1)
            grad_kernels = np.empty((len(self.shifts), O, C), dtype=grad.dtype)
            for index, shift in enumerate(self.shifts):
                np.matmul(grad_rows, flat[:, shift:shift + self.length].T, out=grad_kernels[index])
            grad_weight = grad_kernels.reshape(kh, kw, O, C).transpose(2, 3, 0, 1)
            del flat                      # the rebuilt image is not held while dE/dx is computed
        if want_bias:
            # dE/db[o] = sum over n, h, w of dE/dy[n, o, h, w]
            grad_bias = grad_rows.sum(axis=1)
        if needs_input_grad[0]:
            grad_x = self.grad_input(extended, weight, before, top * row, (top + H) * row)
            grad_x = from_chwn(grad_x.reshape(C, H, self.width, N)[:, :, left:left + W])
        return grad_x, grad_weight, grad_bias

    def grad_input(self, extended, weight, before, first, last):
        """dE/dx at flat padded positions first..last: the forward product run backwards.

        col2im adds W^T . dE/dy at position p onto every input position p + shift it was read
        from. Gathering instead of scattering: input position q receives, from each kernel
        offset k, W_k^T . dE/dy[q - shift_k], so

            dE/dx[:, block] = W' . G[:, block]     (W' as (C, kh kw O), G as (kh kw O, block))

        where rows k O .. (k + 1) O - 1 of G are dE/dy shifted by -shift_k: the same shifted-slice product as forward,
        with dE/dy as the image and the transposed kernels (a "full" correlation). ``extended``
        holds dE/dy after ``before`` zeros, so the slices never start before 0. Each position of
        dE/dx is written once, by one matrix product, instead of kh kw additions.
        """
        O, C = weight.shape[:2]
        kernels = weight.transpose(1, 2, 3, 0).reshape(C, -1)     # (C, kh kw O), offsets first
        grad_x = np.empty((C, last - first), dtype=extended.dtype)
        block = max(self.MIN_BLOCK, self.BLOCK_BYTES // (extended.itemsize * len(self.shifts) * O))
        buffer = np.empty((len(self.shifts), O, block), dtype=extended.dtype)
        for start in range(first, last, block):
            stop = min(start + block, last)
            for index, shift in enumerate(self.shifts):
                buffer[index, :, :stop - start] = extended[:, before + start - shift:before + stop - shift]
            np.matmul(kernels, buffer.reshape(-1, block)[:, :stop - start], out=grad_x[:, start - first:stop - first])
        return grad_x
