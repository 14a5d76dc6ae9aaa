"""Fully connected layer and the simple shape layers around it."""
import math

import numpy as np

from . import functional as F
from . import init
from .module import Module, layer_dtype, parameter_of
from ..tensor import Tensor


class Linear(Module):
    """y = x W^T + b. Input (..., in_features), output (..., out_features).

    >>> layer = Linear(784, 10)
    >>> layer(sinir.randn(32, 784)).shape
    (32, 10)
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Linear: {name} must be a positive integer, got {value!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        dtype = layer_dtype("Linear", device, dtype)
        self.weight = parameter_of(np.empty((out_features, in_features), dtype=dtype))
        self.bias = parameter_of(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: W ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming with a = sqrt(5)), b likewise."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        if isinstance(x, Tensor) and x._data.shape[-1:] != (self.in_features,):   # F.linear names a non-Tensor
            raise ValueError(f"Linear(in_features={self.in_features}): expected input of shape "
                             f"(..., {self.in_features}), got {tuple(x.shape)}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Flatten(Module):
    """Merge dimensions start_dim..end_dim: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size``: (N, 784) -> (N, 1, 28, 28) with
    Unflatten(1, (1, 28, 28)). The reverse of Flatten."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        size = tuple(unflattened_size)
        if not size or not all(isinstance(n, (int, np.integer)) and (n > 0 or n == -1) for n in size) \
                or size.count(-1) > 1:
            raise ValueError(f"Unflatten: unflattened_size must hold positive integers (at most one -1), "
                             f"got {unflattened_size!r}")
        self.dim, self.unflattened_size = dim, size

    def forward(self, x):
        dim = self.dim % x.ndim if -x.ndim <= self.dim < x.ndim else None
        known = int(np.prod([n for n in self.unflattened_size if n != -1]))
        if dim is None or (x.shape[dim] % known if -1 in self.unflattened_size else x.shape[dim] != known):
            raise ValueError(f"Unflatten: cannot split dimension {self.dim} of input of shape {tuple(x.shape)} "
                             f"into {self.unflattened_size}")
        return x.reshape(*(x.shape[:dim] + self.unflattened_size + x.shape[dim + 1:]))

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
