"""Normalisation layers: BatchNorm1d, BatchNorm2d and LocalResponseNorm."""
import numpy as np

from ..tensor import get_default_dtype
from . import functional as F
from . import init
from .module import Module, Parameter


class _BatchNorm(Module):
    """Normalise each channel to mean 0 and variance 1, then scale by ``weight`` and shift by ``bias``.

    Training uses the batch's statistics and updates running ones:
    running = (1 - momentum) running + momentum batch (the variance unbiased), as PyTorch;
    evaluation uses the running statistics.
    """

    expected_ndim = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, dtype=None):
        super().__init__()
        if not isinstance(num_features, (int, np.integer)) or num_features < 1:
            raise ValueError(f"{type(self).__name__}: num_features must be a positive integer, got {num_features!r}")
        if eps <= 0 or (momentum is not None and not 0 <= momentum <= 1):
            raise ValueError(f"{type(self).__name__}: eps must be positive and momentum in [0, 1] or None, "
                             f"got eps={eps}, momentum={momentum}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine else None
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
                             f"got {x.shape}")
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
