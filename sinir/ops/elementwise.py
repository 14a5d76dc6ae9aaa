"""Element-wise functions and activations: each output element depends on one input element,
so each backward is dE/dx = dE/dy * f'(x)."""
import numpy as np

from .function import Function, broadcast_error, unbroadcast


def _constant(array, like):
    """A mask or slope as a tensor outside the graph, in the gradient's dtype (for backward_graph)."""
    from ..tensor import Tensor
    return Tensor._make(np.asarray(array, dtype=like.dtype))


class Exp(Function):
    grad_fn_name = "ExpBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        self.y = np.exp(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * e^x
        return (grad * self.y,)

    def backward_graph(self, grad, inputs, output):
        return (grad * output,)


class Log(Function):
    grad_fn_name = "LogBackward0"

    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, grad):
        # dE/dx = dE/dy / x
        return (grad / self.x,)

    def backward_graph(self, grad, inputs, output):
        return (grad / inputs[0],)


class Sqrt(Function):
    grad_fn_name = "SqrtBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        self.y = np.sqrt(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy / (2 sqrt(x))
        return (grad / (2 * self.y),)

    def backward_graph(self, grad, inputs, output):
        return (grad / (2 * output),)


class Abs(Function):
    grad_fn_name = "AbsBackward0"

    def forward(self, x):
        self.x = x
        return np.abs(x)

    def backward(self, grad):
        # dE/dx = dE/dy * sign(x)   (0 at x = 0, as in PyTorch)
        return (grad * np.sign(self.x),)

    def backward_graph(self, grad, inputs, output):
        return (grad * _constant(np.sign(inputs[0]._data), grad),)


class Clip(Function):
    grad_fn_name = "ClampBackward1"
    saved_inputs = ()

    def __init__(self, low=None, high=None):
        self.low, self.high = low, high

    def forward(self, x):
        self.inside = np.ones(x.shape, dtype=bool)
        if self.low is not None:
            self.inside &= x >= self.low
        if self.high is not None:
            self.inside &= x <= self.high
        return np.clip(x, self.low, self.high).astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx = dE/dy where low <= x <= high, 0 where the value was cut
        return (grad * self.inside,)

    def backward_graph(self, grad, inputs, output):
        return (grad * _constant(self.inside, grad),)


class ReLU(Function):
    grad_fn_name = "ReluBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        self.y = np.maximum(x, 0, dtype=x.dtype)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy where x > 0 (that is, where y > 0), else 0
        return (grad * (self.y > 0),)

    def backward_graph(self, grad, inputs, output):
        return (grad * _constant(output._data > 0, grad),)


class LeakyReLU(Function):
    grad_fn_name = "LeakyReluBackward0"
    saved_inputs = ()

    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    def forward(self, x):
        self.slope = np.where(x > 0, 1, self.negative_slope).astype(x.dtype)
        return x * self.slope

    def backward(self, grad):
        # dE/dx = dE/dy * (1 if x > 0 else negative_slope)
        return (grad * self.slope,)

    def backward_graph(self, grad, inputs, output):
        return (grad * _constant(self.slope, grad),)


class Sigmoid(Function):
    grad_fn_name = "SigmoidBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        # 1 / (1 + e^-x), written so that no exp overflows: e^x / (1 + e^x) for negative x
        e = np.exp(-np.abs(x))
        self.y = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * s(x) (1 - s(x))
        return (grad * self.y * (1 - self.y),)

    def backward_graph(self, grad, inputs, output):
        return (grad * output * (1 - output),)


class Tanh(Function):
    grad_fn_name = "TanhBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * (1 - tanh(x)^2)
        return (grad * (1 - self.y * self.y),)

    def backward_graph(self, grad, inputs, output):
        return (grad * (1 - output * output),)


class Where(Function):
    """where(condition, a, b): a where the condition holds, b elsewhere."""
    grad_fn_name = "WhereBackward0"
    saved_inputs = ()

    def __init__(self, condition):
        self.condition = np.asarray(condition, dtype=bool)

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            return np.where(self.condition, a, b)
        except ValueError:
            raise broadcast_error("where", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy where the condition holds, dE/db = dE/dy elsewhere
        zero = np.zeros((), dtype=grad.dtype)
        return (unbroadcast(np.where(self.condition, grad, zero), self.a_shape),
                unbroadcast(np.where(self.condition, zero, grad), self.b_shape))

    def backward_graph(self, grad, inputs, output):
        zero = _constant(np.zeros(()), grad)
        return (unbroadcast(Where(self.condition)(grad, zero), self.a_shape),
                unbroadcast(Where(self.condition)(zero, grad), self.b_shape))


class Maximum(Function):
    """The element-wise larger of a and b; at ties each gets half the gradient (as PyTorch)."""
    grad_fn_name = "MaximumBackward0"
    saved_inputs = ()
    pick = staticmethod(np.maximum)

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            y = self.pick(a, b)
        except ValueError:
            raise broadcast_error(type(self).__name__.lower(), a, b) from None
        # the share of dE/dy that goes to a: 1 where a won, 1/2 at a tie, 0 where b won
        self.share_a = (a == y).astype(y.dtype) - (a == b).astype(y.dtype) / 2 if y.dtype.kind == "f" else None
        return y

    def backward(self, grad):
        # dE/da = dE/dy where a is the larger, dE/db = dE/dy where b is
        return (unbroadcast(grad * self.share_a, self.a_shape),
                unbroadcast(grad * (1 - self.share_a), self.b_shape))

    def backward_graph(self, grad, inputs, output):
        share = _constant(self.share_a, grad)
        return unbroadcast(grad * share, self.a_shape), unbroadcast(grad * (1 - share), self.b_shape)


class Minimum(Maximum):
    """The element-wise smaller of a and b."""
    grad_fn_name = "MinimumBackward0"
    pick = staticmethod(np.minimum)


class Sin(Function):
    grad_fn_name = "SinBackward0"

    def forward(self, x):
        self.x = x
        return np.sin(x)

    def backward(self, grad):
        # dE/dx = dE/dy * cos(x)
        return (grad * np.cos(self.x),)

    def backward_graph(self, grad, inputs, output):
        return (grad * inputs[0].cos(),)


class Cos(Function):
    grad_fn_name = "CosBackward0"

    def forward(self, x):
        self.x = x
        return np.cos(x)

    def backward(self, grad):
        # dE/dx = -dE/dy * sin(x)
        return (-grad * np.sin(self.x),)

    def backward_graph(self, grad, inputs, output):
        return (-grad * inputs[0].sin(),)
