"""Normalisation layers: BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm and LocalResponseNorm."""
import numpy as np

from . import functional as F
from . import init
from .module import Module, layer_dtype, parameter_of


class _BatchNorm(Module):
    """Normalise each channel to mean 0 and variance 1, then scale by ``weight`` and shift by ``bias``.

    Training uses the batch's statistics and updates running ones:
    running = (1 - momentum) running + momentum batch (the variance unbiased), as PyTorch;
    evaluation uses the running statistics.
    """

    expected_ndim = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None,
                 dtype=None):
        super().__init__()
        if not isinstance(num_features, (int, np.integer)) or num_features < 1:
            raise ValueError(f"{type(self).__name__}: num_features must be a positive integer, got {num_features!r}")
        if not eps > 0 or (momentum is not None and not 0 <= momentum <= 1):
            raise ValueError(f"{type(self).__name__}: eps must be positive and momentum in [0, 1] or None, "
                             f"got eps={eps}, momentum={momentum}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = layer_dtype(type(self).__name__, device, dtype)
        self.weight = parameter_of(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = parameter_of(np.zeros(num_features, dtype=dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean[...] = 0
            self.running_var[...] = 1
            self.num_batches_tracked[...] = 0

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, x):
        if x.ndim not in self.expected_ndim or x.shape[1] != self.num_features:
            shapes = " or ".join(f"(N, {self.num_features}{', ...' * (n - 2)})" for n in self.expected_ndim)
            raise ValueError(f"{type(self).__name__}({self.num_features}): expected input of shape {shapes}, "
                             f"got {tuple(x.shape)}")
        use_batch_stats = self.training or not self.track_running_stats
        momentum = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if momentum is None:  # a cumulative average of all batches so far
                momentum = 1.0 / int(self.num_batches_tracked)
        running_mean = self.running_mean if self.track_running_stats else None
        running_var = self.running_var if self.track_running_stats else None
        return F.batch_norm(x, running_mean, running_var, self.weight, self.bias, use_batch_stats,
                            momentum or 0.0, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs."""
    expected_ndim = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) images, per channel."""
    expected_ndim = (4,)


class LocalResponseNorm(Module):
    """Normalise each value by the energy of its ``size`` neighbouring channels (AlexNet, 2012)."""

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        if not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"LocalResponseNorm: size must be a positive integer, got {size!r}")
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x):
        return F.local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class LayerNorm(Module):
    """Normalise each sample over its last axes (``normalized_shape``) to mean 0 and variance 1,
    then scale and shift element-wise (Ba et al., 2016). The statistics are the sample's own,
    so training and evaluation compute the same thing.

    >>> LayerNorm(64)(sinir.randn(8, 10, 64)).shape
    (8, 10, 64)
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
        if not shape or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in shape):
            raise ValueError(f"LayerNorm: normalized_shape must be a positive integer or a tuple of them, "
                             f"got {normalized_shape!r}")
        if not eps > 0:
            raise ValueError(f"LayerNorm: eps must be positive, got {eps}")
        self.normalized_shape, self.eps = tuple(int(n) for n in shape), eps
        self.elementwise_affine = elementwise_affine
        dtype = layer_dtype("LayerNorm", device, dtype)
        self.weight = parameter_of(np.ones(shape, dtype=dtype)) if elementwise_affine else None
        self.bias = parameter_of(np.zeros(shape, dtype=dtype)) if elementwise_affine and bias else None

    def reset_parameters(self):
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, x):
        n = len(self.normalized_shape)
        if x.ndim < n or x.shape[x.ndim - n:] != self.normalized_shape:
            raise ValueError(f"LayerNorm({self.normalized_shape}): the input's last axes must be "
                             f"{self.normalized_shape}, got input of shape {tuple(x.shape)}")
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Split the channels into ``num_groups`` groups and normalise each group of each sample
    (Wu and He, 2018), then scale and shift per channel. Independent of the batch size.

    >>> GroupNorm(4, 16)(sinir.randn(2, 16, 8, 8)).shape
    (2, 16, 8, 8)
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None):
        super().__init__()
        for name, value in (("num_groups", num_groups), ("num_channels", num_channels)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"GroupNorm: {name} must be a positive integer, got {value!r}")
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_groups={num_groups} must divide num_channels={num_channels}")
        if not eps > 0:
            raise ValueError(f"GroupNorm: eps must be positive, got {eps}")
        self.num_groups, self.num_channels, self.eps, self.affine = int(num_groups), int(num_channels), eps, affine
        dtype = layer_dtype("GroupNorm", device, dtype)
        self.weight = parameter_of(np.ones(num_channels, dtype=dtype)) if affine else None
        self.bias = parameter_of(np.zeros(num_channels, dtype=dtype)) if affine else None

    def reset_parameters(self):
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, x):
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise ValueError(f"GroupNorm({self.num_groups}, {self.num_channels}): expected input of shape "
                             f"(N, {self.num_channels}, ...), got {tuple(x.shape)}")
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
