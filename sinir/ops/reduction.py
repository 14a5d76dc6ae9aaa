"""Reductions: sum, mean, max, min over some axes (all by default), and picking values at
given positions along an axis (max/min/sort/topk with ``dim`` return values and indices)."""
import numpy as np

from .function import Function


def _kept_shape(shape, axis):
    """The shape of the result with keepdims=True, so a gradient can broadcast back."""
    if axis is None:
        return (1,) * len(shape)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    axes = {a % len(shape) for a in axes}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    saved_inputs = ()

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims
        self.grad_fn_name = "SumBackward0" if axis is None else "SumBackward1"

    def forward(self, x):
        self.shape = x.shape
        return np.sum(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, grad):
        # dE/dx_i = dE/dy for every x_i that was added into y
        grad = grad.reshape(_kept_shape(self.shape, self.axis))
        return (np.broadcast_to(grad, self.shape),)

    def backward_graph(self, grad, inputs, output):
        return (grad.reshape(_kept_shape(self.shape, self.axis)).expand(self.shape),)


class Mean(Function):
    saved_inputs = ()

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims
        self.grad_fn_name = "MeanBackward0" if axis is None else "MeanBackward1"

    def forward(self, x):
        self.shape = x.shape
        y = np.mean(x, axis=self.axis, keepdims=self.keepdims)
        self.count = x.size // max(y.size, 1) if x.size else 0
        return y.astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx_i = dE/dy / n, n = how many values were averaged
        grad = grad.reshape(_kept_shape(self.shape, self.axis)) / self.count
        return (np.broadcast_to(grad, self.shape),)

    def backward_graph(self, grad, inputs, output):
        return ((grad.reshape(_kept_shape(self.shape, self.axis)) / self.count).expand(self.shape),)


class Max(Function):
    """The largest value; the gradient goes to where it was (shared equally among ties)."""
    reduce = staticmethod(np.max)
    saved_inputs = ()
    grad_fn_name = "MaxBackward1"

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        if x.size == 0:
            raise RuntimeError(f"{type(self).__name__.lower()}(): expected a non-empty tensor, got shape {x.shape}")
        y = self.reduce(x, axis=self.axis, keepdims=True)
        self.is_extreme = x == y
        self.y_shape = y.shape
        return y if self.keepdims else np.squeeze(y, axis=self.axis)

    def backward(self, grad):
        # dE/dx_i = dE/dy where x_i was the maximum, 0 elsewhere
        count = self.is_extreme.sum(axis=self.axis, keepdims=True)
        return (self.is_extreme * (grad.reshape(self.y_shape) / count),)

    def backward_graph(self, grad, inputs, output):
        from ..tensor import Tensor
        count = self.is_extreme.sum(axis=self.axis, keepdims=True)
        share = Tensor._make((self.is_extreme / count).astype(grad.dtype))
        return (share * grad.reshape(self.y_shape),)


class Min(Max):
    """The smallest value; the gradient goes to where it was (shared equally among ties)."""
    reduce = staticmethod(np.min)
    grad_fn_name = "MinBackward1"


class TakeAlongAxis(Function):
    """y = x at ``indices`` along ``axis`` (NumPy's take_along_axis): the values of max(dim), sort,
    topk, kthvalue and median(dim)."""
    saved_inputs = ()
    grad_fn_name = "GatherBackward0"

    def __init__(self, indices, axis):
        self.indices, self.axis = indices, axis

    def forward(self, x):
        self.shape = x.shape
        if x.ndim == 0:
            return x.copy()
        return np.take_along_axis(x, self.indices, self.axis)

    def backward(self, grad):
        # dE/dx = dE/dy at the picked positions, 0 elsewhere
        return (PutAlongAxis(self.indices, self.axis, self.shape).forward(grad),)

    def backward_graph(self, grad, inputs, output):
        return (PutAlongAxis(self.indices, self.axis, self.shape)(grad),)


class PutAlongAxis(Function):
    """The gradient of TakeAlongAxis: values placed at ``indices`` in zeros of ``shape``
    (repeated indices add up)."""
    saved_inputs = ()
    grad_fn_name = "ScatterAddBackward0"

    def __init__(self, indices, axis, shape):
        self.indices, self.axis, self.shape = indices, axis, shape

    def forward(self, values):
        out = np.zeros(self.shape, dtype=values.dtype)
        if not self.shape:
            return out + values
        index = list(np.ix_(*[np.arange(n) for n in self.indices.shape]))
        index[self.axis] = self.indices
        np.add.at(out, tuple(index), values)
        return out

    def backward(self, grad):
        # each value came from one position: gather it back
        return (TakeAlongAxis(self.indices, self.axis).forward(grad),)

    def backward_graph(self, grad, inputs, output):
        return (TakeAlongAxis(self.indices, self.axis)(grad),)


class CumSum(Function):
    """Running sums along ``axis``: y_i = x_1 + ... + x_i."""
    saved_inputs = ()
    grad_fn_name = "CumsumBackward0"

    def __init__(self, axis):
        self.axis = axis

    def _reversed(self, ndim):
        return (slice(None),) * self.axis + (slice(None, None, -1),)

    def forward(self, x):
        return np.cumsum(x, axis=self.axis)

    def backward(self, grad):
        # dE/dx_i = sum over j >= i of dE/dy_j: a running sum from the end
        flip = self._reversed(grad.ndim)
        return (np.cumsum(grad[flip], axis=self.axis)[flip],)

    def backward_graph(self, grad, inputs, output):
        flip = self._reversed(grad.ndim)
        return (CumSum(self.axis)(grad[flip])[flip],)
