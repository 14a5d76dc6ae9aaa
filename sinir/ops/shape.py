"""Operations that move elements around: reshape, transpose, index, join, pad, broadcast.

Reshape, transpose, broadcast and basic indexing return views of their input (``is_view``):
they share its memory and its version counter, as PyTorch's views do.
"""
import numpy as np

from ..tensor import _raw_key
from .function import Function, unbroadcast


class Reshape(Function):
    grad_fn_name = "ViewBackward0"
    saved_inputs = ()
    is_view = True

    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(self.shape)

    def backward(self, grad):
        # the same numbers in the input's shape
        return (grad.reshape(self.input_shape),)

    def backward_graph(self, grad, inputs, output):
        return (grad.reshape(self.input_shape),)


class Transpose(Function):
    grad_fn_name = "PermuteBackward0"
    saved_inputs = ()
    is_view = True

    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        return x.transpose(self.axes)

    def backward(self, grad):
        # undo the permutation
        return (grad.transpose(np.argsort(self.axes)),)

    def backward_graph(self, grad, inputs, output):
        return (grad.permute(tuple(int(a) for a in np.argsort(self.axes))),)


class BroadcastTo(Function):
    grad_fn_name = "ExpandBackward0"
    saved_inputs = ()
    is_view = True

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

    def backward_graph(self, grad, inputs, output):
        return (unbroadcast(grad, self.input_shape),)


def _is_basic(key):
    """True when indexing picks each element at most once (ints, slices, None, ...)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(k, (int, np.integer, slice, type(None), type(Ellipsis))) for k in parts)


class Index(Function):
    """x[key] for slices, integers, integer arrays and boolean masks."""
    saved_inputs = ()

    def __init__(self, key):
        self.key = _raw_key(key)
        self.is_view = _is_basic(self.key)
        self.grad_fn_name = "SliceBackward0" if self.is_view else "IndexBackward0"

    def forward(self, x):
        self.input_shape, self.dtype = x.shape, x.dtype
        try:
            return x[self.key]
        except IndexError as error:
            raise IndexError(f"index: {error} (tensor of shape {x.shape})") from None

    def backward(self, grad):
        # dE/dx = dE/dy at the picked positions, 0 elsewhere; repeated picks add up
        return (IndexGrad(self.key, self.input_shape).forward(grad),)

    def backward_graph(self, grad, inputs, output):
        return (IndexGrad(self.key, self.input_shape)(grad),)


class IndexGrad(Function):
    """The gradient of x[key]: values placed at ``key`` in zeros of the input's shape."""
    saved_inputs = ()
    grad_fn_name = "IndexPutBackward0"

    def __init__(self, key, shape):
        self.key, self.shape = key, shape

    def forward(self, grad):
        grad_x = np.zeros(self.shape, dtype=grad.dtype)
        if _is_basic(self.key):
            grad_x[self.key] = grad
        else:
            np.add.at(grad_x, self.key, grad)
        return grad_x

    def backward(self, grad):
        # each value came from its place: pick it back
        return (grad[self.key],)

    def backward_graph(self, grad, inputs, output):
        return (Index(self.key)(grad),)


class IndexPut(Function):
    """``x[key] = value`` as an operation: x's values with ``value`` written at ``key``."""
    saved_inputs = ()
    grad_fn_name = "CopySlices"

    def __init__(self, key):
        self.key = key

    def forward(self, x, value):
        self.value_shape = value.shape
        out = x.copy()
        out[self.key] = value
        return out

    def backward(self, grad):
        # dE/dx = dE/dy except where overwritten (0 there); dE/dvalue = dE/dy at key
        grad_x = grad.copy()
        grad_x[self.key] = 0
        return grad_x, unbroadcast(grad[self.key], self.value_shape)

    def backward_graph(self, grad, inputs, output):
        from ..tensor import Tensor
        keep = np.ones(grad.shape, dtype=grad.dtype)
        keep[self.key] = 0
        return grad * Tensor._make(keep), unbroadcast(Index(self.key)(grad), self.value_shape)


class Concatenate(Function):
    grad_fn_name = "CatBackward0"
    saved_inputs = ()

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

    def backward_graph(self, grad, inputs, output):
        axis = self.axis % grad.ndim
        starts = np.concatenate([[0], np.cumsum(self.sizes)])
        return tuple(grad[(slice(None),) * axis + (slice(int(a), int(b)),)]
                     for a, b in zip(starts[:-1], starts[1:]))


class Stack(Function):
    grad_fn_name = "StackBackward0"
    saved_inputs = ()

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

    def backward_graph(self, grad, inputs, output):
        axis = self.axis % grad.ndim
        return tuple(grad[(slice(None),) * axis + (i,)] for i in range(len(inputs)))


class Pad(Function):
    """Constant padding, NumPy style: ``pad_width`` is one (before, after) pair per axis."""
    grad_fn_name = "ConstantPadNdBackward0"
    saved_inputs = ()

    def __init__(self, pad_width, value=0.0):
        self.pad_width, self.value = pad_width, value

    def forward(self, x):
        if len(self.pad_width) != x.ndim:
            raise ValueError(f"pad: {len(self.pad_width)} (before, after) pairs given for "
                             f"a tensor of {x.ndim} axes, shape {x.shape}")
        return np.pad(x, self.pad_width, constant_values=self.value)

    def _inside(self, shape):
        return tuple(slice(before, n - after) for (before, after), n in zip(self.pad_width, shape))

    def backward(self, grad):
        # the padding was constant: only the original region carries a gradient
        return (grad[self._inside(grad.shape)],)

    def backward_graph(self, grad, inputs, output):
        return (grad[self._inside(tuple(grad.shape))],)
