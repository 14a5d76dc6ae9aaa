"""Activation layers: each applies one function element-wise (the softmaxes along one axis)."""
import numpy as np

from . import functional as F
from .module import Module, layer_dtype, parameter_of


class _Inplace(Module):
    """An activation with PyTorch's ``inplace`` flag: True writes the result into the input tensor
    (recorded for autograd like ``x.relu_()``), saving one array the size of the input."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = bool(inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class ReLU(_Inplace):
    """max(0, x): negative values become 0, positive ones pass unchanged."""

    def forward(self, x):
        return F.relu(x, self.inplace)


class ReLU6(_Inplace):
    """min(max(0, x), 6)."""

    def forward(self, x):
        return F.relu6(x, self.inplace)


class LeakyReLU(_Inplace):
    """x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(inplace)
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    """1 / (1 + e^-x): squashes any number into (0, 1)."""

    def forward(self, x):
        return x.sigmoid()


class Tanh(Module):
    """tanh(x): squashes any number into (-1, 1)."""

    def forward(self, x):
        return x.tanh()


class GELU(Module):
    """x Phi(x), Phi the standard normal CDF (``approximate='tanh'``: its tanh approximation)."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(_Inplace):
    """x sigmoid(x) (swish)."""

    def forward(self, x):
        return F.silu(x, self.inplace)


class ELU(_Inplace):
    """x for x > 0, alpha (e^x - 1) otherwise."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, x):
        return F.elu(x, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, a smooth ReLU (x itself where beta x > threshold)."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        if beta == 0:
            raise ValueError("Softplus: beta must not be 0")
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Hardtanh(_Inplace):
    """x clipped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__(inplace)
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        return F.hardtanh(x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class PReLU(Module):
    """x for x > 0, a x otherwise, with the slope ``a`` learned: one for all channels
    (``num_parameters=1``) or one per channel (axis 1), starting at ``init``."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, (int, np.integer)) or num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be a positive integer, got {num_parameters!r}")
        self.num_parameters, self.init = int(num_parameters), init
        self.weight = parameter_of(np.full(num_parameters, init, dtype=layer_dtype("PReLU", device, dtype)))

    def reset_parameters(self):
        np.asarray(self.weight)[...] = self.init

    def forward(self, x):
        return F.prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Softmax(Module):
    """e^x_i / sum_j e^x_j along ``dim``: scores into probabilities that sum to 1."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        # without dim, Tensor.softmax takes PyTorch's legacy axis (0 for 0-, 1- and 3-D input, else 1)
        # and gives its deprecation warning
        return x.softmax(self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``dim``, computed stably."""

    def forward(self, x):
        return x.log_softmax(self.dim)


class Softmax2d(Module):
    """Softmax over the channels (axis -3) of (N, C, H, W) or (C, H, W): at every pixel."""

    def forward(self, x):
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input (N, C, H, W) or (C, H, W), got shape {tuple(x.shape)}")
        return x.softmax(-3)


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1 / (1 - p);
    in evaluation, pass the input unchanged."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"{type(self).__name__}: p must be in [0, 1], got {p}")
        self.p, self.inplace = p, bool(inplace)

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}" + (", inplace=True" if self.inplace else "")


class Dropout2d(Dropout):
    """In training, zero whole channels of (N, C, H, W) with probability p, scaling the rest."""

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training)
