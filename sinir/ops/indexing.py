"""Operations that pick or place elements by index: gather, scatter, scatter_add, index_select,
masked_select, repeat.

Their inputs are checked once, in ``sinir/tensor_functions.py``; here the index arrays are
already valid (integers in range, the right number of dimensions).

**Positions along one axis.** gather and scatter take, for every element of ``index``, the position
"the element's own coordinates, with coordinate ``dim`` replaced by its value". For dim=1 of a
matrix: ``y[i][j] = x[i][index[i][j]]``. ``positions(index, dim)`` builds exactly that as a tuple
of NumPy index arrays, so that ``x[positions(index, dim)]`` picks and ``np.add.at(out,
positions(index, dim), values)`` places (adding where a position is named twice).
"""
import numpy as np

from ..autograd import Function, unbroadcast


def positions(index, dim):
    """The NumPy key that picks ``x[..., index[i, j, ...], ...]`` (``index`` along ``dim``, each
    other coordinate its own): ``np.indices`` gives every element's coordinates, and coordinate
    ``dim`` is replaced by the index value."""
    coordinates = list(np.indices(index.shape, sparse=True))
    coordinates[dim] = index
    return tuple(coordinates)


def leading_part(shape):
    """The key of the first ``shape`` elements of a possibly larger array (scatter's ``src`` may be
    larger than ``index``; only its leading part is used, as in PyTorch)."""
    return tuple(slice(0, n) for n in shape)


def _add_at(shape, key, values):
    """Zeros of ``shape`` with ``values`` added at ``key`` (repeated positions add up)."""
    out = np.zeros(shape, dtype=values.dtype)
    np.add.at(out, key, values)
    return out


class Gather(Function):
    """y = x picked along ``dim`` at ``index``: y[i][j] = x[i][index[i][j]] for dim=1."""
    grad_fn_name = "GatherBackward0"
    saved_inputs = ()

    def __init__(self, dim, index):
        self.dim, self.index = dim, index

    def forward(self, x):
        self.shape = x.shape
        return x[positions(self.index, self.dim)]

    def backward(self, grad):
        # dE/dx = dE/dy added back where each y came from (a position picked twice gets both)
        return (_add_at(self.shape, positions(self.index, self.dim), grad),)

    def backward_graph(self, grad, inputs, output):
        from ..tensor import Tensor
        zeros = Tensor._make(np.zeros(self.shape, dtype=grad.dtype))
        return (ScatterAdd(self.dim, self.index)(zeros, grad),)


class Scatter(Function):
    """y = x with values written along ``dim`` at ``index``: y[i][index[i][j]] = src[i][j] for
    dim=1; ``value`` (a number) in place of ``src`` writes that number everywhere."""
    grad_fn_name = "ScatterBackward0"
    saved_inputs = ()

    def __init__(self, dim, index, value=None):
        self.dim, self.index, self.value = dim, index, value
        if value is not None:
            self.grad_fn_name = "ScatterBackward1"

    def forward(self, x, src=None):
        out = x.copy()
        key = positions(self.index, self.dim)
        if src is None:
            out[key] = self.value
        else:
            self.src_shape = src.shape
            out[key] = src[leading_part(self.index.shape)]
        return out

    def backward(self, grad):
        # dE/dx = dE/dy except where overwritten (0 there); dE/dsrc = dE/dy gathered at index
        key = positions(self.index, self.dim)
        grad_x = grad.copy()
        grad_x[key] = 0
        if self.value is not None:
            return (grad_x,)
        grad_src = np.zeros(self.src_shape, dtype=grad.dtype)
        grad_src[leading_part(self.index.shape)] = grad[key]
        return grad_x, grad_src

    def backward_graph(self, grad, inputs, output):
        from ..tensor import Tensor
        kept = np.ones(grad.shape, dtype=grad.dtype)
        kept[positions(self.index, self.dim)] = 0
        grad_x = grad * Tensor._make(kept)
        if self.value is not None:
            return (grad_x,)
        return grad_x, _padded_to(Gather(self.dim, self.index)(grad), self.src_shape)


class ScatterAdd(Function):
    """y = x with src added along ``dim`` at ``index``: y[i][index[i][j]] += src[i][j] for dim=1
    (repeated positions add up)."""
    grad_fn_name = "ScatterAddBackward0"
    saved_inputs = ()

    def __init__(self, dim, index):
        self.dim, self.index = dim, index

    def forward(self, x, src):
        self.src_shape = src.shape
        out = x.copy()
        np.add.at(out, positions(self.index, self.dim), src[leading_part(self.index.shape)])
        return out

    def backward(self, grad):
        # dE/dx = dE/dy (x is added through unchanged); dE/dsrc = dE/dy gathered at index
        grad_src = np.zeros(self.src_shape, dtype=grad.dtype)
        grad_src[leading_part(self.index.shape)] = grad[positions(self.index, self.dim)]
        return grad, grad_src

    def backward_graph(self, grad, inputs, output):
        return grad, _padded_to(Gather(self.dim, self.index)(grad), self.src_shape)


def _padded_to(tensor, shape):
    """``tensor`` with zeros after it up to ``shape`` (the unused tail of a larger ``src``)."""
    if tuple(tensor.shape) == tuple(shape):
        return tensor
    from .shape import Pad
    return Pad(tuple((0, int(n - m)) for n, m in zip(shape, tensor.shape)))(tensor)


class IndexSelect(Function):
    """y = the slices of x at ``index`` (a 1-D integer array) along ``dim``, in that order."""
    grad_fn_name = "IndexSelectBackward0"
    saved_inputs = ()

    def __init__(self, dim, index):
        self.dim, self.index = dim, index

    def forward(self, x):
        self.shape = x.shape
        return np.take(x, self.index, axis=self.dim)

    def backward(self, grad):
        # dE/dx = dE/dy added back into the slices they came from (a slice picked twice gets both)
        return (_add_at(self.shape, self._key(), grad),)

    def _key(self):
        return (slice(None),) * self.dim + (self.index,)

    def backward_graph(self, grad, inputs, output):
        from .shape import IndexGrad
        return (IndexGrad(self._key(), self.shape)(grad),)


class MaskedSelect(Function):
    """y = the elements of x where ``mask`` (a boolean array broadcast with x) is True, as a 1-D
    array in row-major order."""
    grad_fn_name = "MaskedSelectBackward0"
    saved_inputs = ()

    def __init__(self, mask):
        self.mask = mask

    def forward(self, x):
        self.shape = x.shape
        x, self.full_mask = np.broadcast_arrays(x, self.mask)
        return x[self.full_mask]

    def backward(self, grad):
        # dE/dx = dE/dy put back where the mask is True, 0 elsewhere (summed over broadcast copies)
        grad_x = np.zeros(self.full_mask.shape, dtype=grad.dtype)
        grad_x[self.full_mask] = grad
        return (unbroadcast(grad_x, self.shape),)

    def backward_graph(self, grad, inputs, output):
        from .shape import IndexGrad
        return (unbroadcast(IndexGrad(self.full_mask, self.full_mask.shape)(grad), self.shape),)


class Repeat(Function):
    """y = x tiled ``repeats[d]`` times along each axis d (PyTorch's ``x.repeat``, NumPy's ``tile``).

    Axis d of y has repeats[d] * n[d] elements: copy c, element e sits at c * n[d] + e. So
    reshaping the gradient to (repeats[0], n[0], repeats[1], n[1], ...) puts the copies on the
    even axes, and summing those adds up the copies of each element."""
    grad_fn_name = "RepeatBackward0"
    saved_inputs = ()

    def __init__(self, repeats):
        self.repeats = tuple(repeats)

    def forward(self, x):
        self.input_shape = x.shape
        self.shape = (1,) * (len(self.repeats) - x.ndim) + x.shape  # x gains leading axes first
        return np.tile(x.reshape(self.shape), self.repeats)

    def _split_shape(self):
        return tuple(n for pair in zip(self.repeats, self.shape) for n in pair)

    def backward(self, grad):
        # dE/dx = the sum of dE/dy over all copies of x
        copies = tuple(range(0, 2 * len(self.shape), 2))
        return (grad.reshape(self._split_shape()).sum(axis=copies).reshape(self.input_shape),)

    def backward_graph(self, grad, inputs, output):
        copies = tuple(range(0, 2 * len(self.shape), 2))
        return (grad.reshape(self._split_shape()).sum(dim=copies).reshape(self.input_shape),)
