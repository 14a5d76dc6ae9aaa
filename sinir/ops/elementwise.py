"""Element-wise functions and activations: each output element depends on one input element,
so each backward is dE/dx = dE/dy * f'(x)."""
import numpy as np

from .function import Function, broadcast_error, unbroadcast


class Exp(Function):
    def forward(self, x):
        self.y = np.exp(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * e^x
        return (grad * self.y,)


class Log(Function):
    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, grad):
        # dE/dx = dE/dy / x
        return (grad / self.x,)


class Sqrt(Function):
    def forward(self, x):
        self.y = np.sqrt(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy / (2 sqrt(x))
        return (grad / (2 * self.y),)


class Abs(Function):
    def forward(self, x):
        self.x = x
        return np.abs(x)

    def backward(self, grad):
        # dE/dx = dE/dy * sign(x)   (0 at x = 0, as in PyTorch)
        return (grad * np.sign(self.x),)


class Clip(Function):
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


class ReLU(Function):
    def forward(self, x):
        self.y = np.maximum(x, 0, dtype=x.dtype)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy where x > 0 (that is, where y > 0), else 0
        return (grad * (self.y > 0),)


class LeakyReLU(Function):
    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    def forward(self, x):
        self.slope = np.where(x > 0, 1, self.negative_slope).astype(x.dtype)
        return x * self.slope

    def backward(self, grad):
        # dE/dx = dE/dy * (1 if x > 0 else negative_slope)
        return (grad * self.slope,)


class Sigmoid(Function):
    def forward(self, x):
        # 1 / (1 + e^-x), written so that no exp overflows: e^x / (1 + e^x) for negative x
        e = np.exp(-np.abs(x))
        self.y = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * s(x) (1 - s(x))
        return (grad * self.y * (1 - self.y),)


class Tanh(Function):
    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * (1 - tanh(x)^2)
        return (grad * (1 - self.y * self.y),)


class Where(Function):
    """where(condition, a, b): a where the condition holds, b elsewhere."""

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
