"""Operations that move elements around: reshape, transpose, index, join, pad, broadcast."""
import numpy as np

from ..tensor import _raw_key
from .function import Function, unbroadcast


class Reshape(Function):
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad):
        # the same numbers in the input's shape
        return (grad.reshape(self.input_shape),)


class Transpose(Function):
    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, grad):
        # undo the permutation
        return (grad.transpose(np.argsort(self.axes)),)


class BroadcastTo(Function):
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.input_shape = x.shape
        try:
            return np.broadcast_to(x, self.shape)
        except ValueError:
            raise ValueError(f"expand: cannot broadcast shape {x.shape} to {self.shape}") from None

    def backward(self, grad):
        # each copy's gradient adds up in the original element
        return (unbroadcast(grad, self.input_shape),)


def _is_basic(key):
    """True when indexing picks each element at most once (ints, slices, None, ...)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(k, (int, np.integer, slice, type(None), type(Ellipsis))) for k in parts)


class Index(Function):
    """x[key] for slices, integers, integer arrays and boolean masks."""

    def __init__(self, key):
        self.key = _raw_key(key)

    def forward(self, x):
        self.input_shape, self.dtype = x.shape, x.dtype
        try:
            return x[self.key]
        except IndexError as error:
            raise IndexError(f"index: {error} (tensor of shape {x.shape})") from None

    def backward(self, grad):
        # dE/dx = dE/dy at the picked positions, 0 elsewhere; repeated picks add up
        grad_x = np.zeros(self.input_shape, dtype=self.dtype)
        if _is_basic(self.key):
            grad_x[self.key] = grad
        else:
            np.add.at(grad_x, self.key, grad)
        return (grad_x,)


class Concatenate(Function):
    def __init__(self, axis=0):
        self.axis = axis

    def forward(self, *arrays):
        self.sizes = [a.shape[self.axis] for a in arrays]
        try:
            return np.concatenate(arrays, axis=self.axis)
        except ValueError:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"concatenate: shapes {shapes} differ outside axis {self.axis}") from None

    def backward(self, grad):
        # each input gets back its own slice
        return tuple(np.split(grad, np.cumsum(self.sizes)[:-1], axis=self.axis))


class Stack(Function):
    def __init__(self, axis=0):
        self.axis = axis

    def forward(self, *arrays):
        try:
            return np.stack(arrays, axis=self.axis)
        except ValueError:
            shapes = ", ".join(str(a.shape) for a in arrays)
            raise ValueError(f"stack: all shapes must be equal, got {shapes}") from None

    def backward(self, grad):
        # each input gets back its own layer
        return tuple(np.moveaxis(grad, self.axis, 0))


class Pad(Function):
    """Constant padding, NumPy style: ``pad_width`` is one (before, after) pair per axis."""

    def __init__(self, pad_width, value=0.0):
        self.pad_width, self.value = pad_width, value

    def forward(self, x):
        if len(self.pad_width) != x.ndim:
            raise ValueError(f"pad: {len(self.pad_width)} (before, after) pairs given for "
                             f"a tensor of {x.ndim} axes, shape {x.shape}")
        return np.pad(x, self.pad_width, constant_values=self.value)

    def backward(self, grad):
        # the padding was constant: only the original region carries a gradient
        inside = tuple(slice(before, n - after) for (before, after), n in zip(self.pad_width, grad.shape))
        return (grad[inside],)
