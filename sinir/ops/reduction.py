"""Reductions: sum, mean, max, min over some axes (all by default)."""
import numpy as np

from .function import Function


def _kept_shape(shape, axis):
    """The shape of the result with keepdims=True, so a gradient can broadcast back."""
    if axis is None:
        return (1,) * len(shape)
    axes = (axis,) if isinstance(axis, int) else axis
    axes = {a % len(shape) for a in axes}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        return np.sum(x, axis=self.axis, keepdims=self.keepdims)

    def backward(self, grad):
        # dE/dx_i = dE/dy for every x_i that was added into y
        grad = grad.reshape(_kept_shape(self.shape, self.axis))
        return (np.broadcast_to(grad, self.shape),)


class Mean(Function):
    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.shape = x.shape
        y = np.mean(x, axis=self.axis, keepdims=self.keepdims)
        self.count = x.size // max(y.size, 1) if x.size else 0
        return y.astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx_i = dE/dy / n, n = how many values were averaged
        grad = grad.reshape(_kept_shape(self.shape, self.axis)) / self.count
        return (np.broadcast_to(grad, self.shape),)


class Max(Function):
    """The largest value; the gradient goes to where it was (shared equally among ties)."""
    reduce = staticmethod(np.max)

    def __init__(self, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        if x.size == 0:
            raise ValueError(f"{type(self).__name__.lower()}: the tensor of shape {x.shape} is empty")
        y = self.reduce(x, axis=self.axis, keepdims=True)
        self.is_extreme = x == y
        self.y_shape = y.shape
        return y if self.keepdims else np.squeeze(y, axis=self.axis)

    def backward(self, grad):
        # dE/dx_i = dE/dy where x_i was the maximum, 0 elsewhere
        count = self.is_extreme.sum(axis=self.axis, keepdims=True)
        return (self.is_extreme * (grad.reshape(self.y_shape) / count),)


class Min(Max):
    """The smallest value; the gradient goes to where it was (shared equally among ties)."""
    reduce = staticmethod(np.min)
