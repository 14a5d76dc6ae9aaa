"""More activations, PyTorch's: GELU, SiLU, ELU, Softplus, Hardtanh and PReLU.

Each is one element-wise function, so each backward is dE/dx = dE/dy * f'(x).
"""
import math

import numpy as np

from .function import Function

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x):
    """The error function, element-wise (NumPy has none; SciPy's is used when it is installed)."""
    try:
        from scipy.special import erf as scipy_erf
    except ImportError:                      # math.erf, one element at a time: exact but slower
        return _erf(x).astype(x.dtype)
    return scipy_erf(x).astype(x.dtype, copy=False)


def sigmoid(x):
    """1 / (1 + e^-x) without overflow for large negative x."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class GELU(Function):
    """y = x Phi(x), Phi the standard normal CDF; ``approximate='tanh'`` uses
    Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2."""

    def __init__(self, approximate="none"):
        self.approximate = approximate

    def forward(self, x):
        self.x = x
        if self.approximate == "tanh":
            self.t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
            return 0.5 * x * (1 + self.t)
        self.cdf = 0.5 * (1 + erf(x / math.sqrt(2)))
        return x * self.cdf

    def backward(self, grad):
        x = self.x
        if self.approximate == "tanh":
            # dE/dx = dE/dy [(1 + t) / 2 + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)]
            inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return (grad * (0.5 * (1 + self.t) + 0.5 * x * (1 - self.t ** 2) * inner),)
        # dE/dx = dE/dy (Phi(x) + x phi(x)), phi the normal density
        density = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return (grad * (self.cdf + x * density),)


class SiLU(Function):
    """y = x sigmoid(x) (also called swish)."""

    def forward(self, x):
        self.x, self.s = x, sigmoid(x)
        return x * self.s

    def backward(self, grad):
        # dE/dx = dE/dy s (1 + x (1 - s)), s = sigmoid(x)
        return (grad * self.s * (1 + self.x * (1 - self.s)),)


class ELU(Function):
    """y = x for x > 0, alpha (e^x - 1) otherwise."""

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, x):
        self.positive = x > 0
        self.y = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy for x > 0, dE/dy alpha e^x = dE/dy (y + alpha) otherwise
        return (np.where(self.positive, grad, grad * (self.y + self.alpha)),)


class Softplus(Function):
    """y = log(1 + e^(beta x)) / beta, a smooth ReLU; y = x where beta x > threshold (as PyTorch)."""

    def __init__(self, beta=1.0, threshold=20.0):
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        z = self.beta * x
        self.linear = z > self.threshold
        self.s = sigmoid(z)
        # log(1 + e^z) = max(z, 0) + log(1 + e^-|z|), finite for any z
        soft = (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / self.beta
        return np.where(self.linear, x, soft).astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx = dE/dy sigmoid(beta x) (1 where beta x > threshold)
        return (np.where(self.linear, grad, grad * self.s),)


class Hardtanh(Function):
    """y = x clipped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0):
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        self.inside = (x > self.min_val) & (x < self.max_val)
        return np.clip(x, self.min_val, self.max_val).astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx = dE/dy strictly inside the range, 0 on and beyond its ends (as PyTorch)
        return (grad * self.inside,)


class PReLU(Function):
    """y = x for x > 0, a x otherwise, with a learned slope ``a``: one number, or one per
    channel (axis 1 of the input)."""

    def forward(self, x, weight):
        self.x, self.negative = x, x <= 0
        self.shape = (1, -1) + (1,) * (x.ndim - 2) if x.ndim >= 2 and weight.size > 1 else (-1,)
        self.weight = weight.reshape(self.shape) if weight.size > 1 else weight.reshape(())
        return np.where(self.negative, self.weight * x, x).astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx = dE/dy for x > 0, a dE/dy otherwise
        grad_x = np.where(self.negative, grad * self.weight, grad)
        # dE/da = sum over the positions a scales of dE/dy x (where x <= 0)
        contribution = np.where(self.negative, grad * self.x, 0)
        if self.weight.ndim == 0:
            grad_weight = contribution.sum().reshape(1)
        else:
            channel_axis = 1 if contribution.ndim >= 2 else 0
            grad_weight = contribution.sum(axis=tuple(a for a in range(contribution.ndim) if a != channel_axis))
        return grad_x, grad_weight
