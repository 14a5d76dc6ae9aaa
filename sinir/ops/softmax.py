"""Softmax and log-softmax along one axis, computed stably (the maximum subtracted first)."""
import numpy as np

from .function import Function


def log_softmax(x, axis):
    """log(e^x_i / sum_j e^x_j) = x_i - max - log(sum_j e^(x_j - max)), finite for any x."""
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def implicit_dim(name, ndim, dim=None):
    """The axis PyTorch picks when ``dim`` is left out (0 for 0-, 1- and 3-D input, else 1),
    with PyTorch's deprecation warning. For F.softmax, nn.Softmax and the Tensor methods."""
    from ..tensor import _softmax_dim
    return _softmax_dim(name, ndim, dim)


class Softmax(Function):
    grad_fn_name = "SoftmaxBackward0"
    saved_inputs = ()
    saves_output = True

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        shifted = np.exp(x - x.max(axis=self.axis, keepdims=True))
        self.y = shifted / shifted.sum(axis=self.axis, keepdims=True)
        return self.y

    def backward(self, grad):
        # dE/dx_i = y_i (dE/dy_i - sum_j dE/dy_j y_j)
        y = self.y
        return (y * (grad - (grad * y).sum(axis=self.axis, keepdims=True)),)

    def backward_graph(self, grad, inputs, output):
        y = output
        return (y * (grad - (grad * y).sum(self.axis, keepdims=True)),)


class LogSoftmax(Function):
    grad_fn_name = "LogSoftmaxBackward0"
    saved_inputs = ()
    saves_output = True

    def __init__(self, axis=-1):
        self.axis = axis

    def forward(self, x):
        self.y = log_softmax(x, self.axis)
        return self.y

    def backward(self, grad):
        # dE/dx_i = dE/dy_i - softmax(x)_i * sum_j dE/dy_j
        return (grad - np.exp(self.y) * grad.sum(axis=self.axis, keepdims=True),)

    def backward_graph(self, grad, inputs, output):
        return (grad - output.exp() * grad.sum(self.axis, keepdims=True),)
