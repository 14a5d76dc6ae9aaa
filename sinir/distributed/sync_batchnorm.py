"""SyncBatchNorm: batch normalisation over the batch of all ranks together.

With data parallelism each rank sees only its part of the batch. Plain BatchNorm normalises by
that part's statistics (PyTorch's default, and fine for large per-rank batches); SyncBatchNorm
all-reduces the per-channel sums so that every rank normalises by the statistics of the whole
batch, exactly as one process holding all of it would, and all-reduces the two sums of its
backward likewise.

>>> model = SyncBatchNorm.convert_sync_batchnorm(model)   # every BatchNorm layer becomes one
"""
import numpy as np

from ..nn.normalization import _BatchNorm
from ..ops.function import Function
from .process_group import _comm, _mpi, get_world_size, is_initialized


def _rows(x):
    """(N, C, ...) -> (C, N * ...): one row per channel, the values that share its statistics."""
    return np.moveaxis(x, 1, 0).reshape(x.shape[1], -1)


def _unrows(rows, shape):
    """Undo _rows: (C, N * ...) back to (N, C, ...)."""
    return np.moveaxis(rows.reshape((shape[1], shape[0]) + shape[2:]), 0, 1)


class SyncBatchNormFunction(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, per channel, where mean and var are
    those of the union of all ranks' batches (``count`` values per channel in all).

    Forward needs two all-reduces: the sums (and counts) give the mean; then the sums of squared
    deviations from that mean give the variance. (One pass with sum(x^2) - m mean^2 would cancel
    catastrophically in float32 when the mean is large against the spread.)
    """

    def __init__(self, eps, sum_over_ranks):
        # sum_over_ranks(array) sums an array over all ranks in place and returns it
        self.eps, self._sum_over_ranks = eps, sum_over_ranks

    def forward(self, x, weight=None, bias=None):
        rows = _rows(x)                                                  # (C, values of this rank)
        sums = self._sum_over_ranks(np.concatenate([[rows.shape[1]], rows.sum(axis=1)]).astype(x.dtype))
        self.count = int(round(float(sums[0])))
        self.mean = sums[1:] / self.count
        centred = rows - self.mean[:, None]
        self.var = self._sum_over_ranks((centred * centred).sum(axis=1)) / self.count   # biased, as BatchNorm
        self.inverse_std = (1 / np.sqrt(self.var + self.eps)).astype(x.dtype)
        self.normalized = centred * self.inverse_std[:, None]
        self.weight, self.shape = weight, x.shape
        y = self.normalized
        if weight is not None:
            y = y * weight[:, None]
        if bias is not None:
            y = y + bias[:, None]
        return _unrows(y, x.shape)

    def backward(self, grad):
        # The weight and bias gradients are this rank's sums; DistributedDataParallel averages them.
        g = _rows(grad)
        grad_weight = (g * self.normalized).sum(axis=1) if self.weight is not None else None   # dE/dgamma = sum dE/dy * x_hat
        grad_bias = g.sum(axis=1) if len(self.needs_input_grad) > 2 else None                 # dE/dbeta = sum dE/dy
        grad_x = None
        if self.needs_input_grad[0]:
            g_hat = g * self.weight[:, None] if self.weight is not None else g
            # the two sums over the whole batch, all ranks: sum dE/dx_hat and sum dE/dx_hat * x_hat
            sums = self._sum_over_ranks(np.stack([g_hat.sum(axis=1), (g_hat * self.normalized).sum(axis=1)]))
            sum_g, sum_gx = sums[0][:, None], sums[1][:, None]
            m = self.count
            # dE/dx = (1/m) / sigma * (m dE/dx_hat - sum dE/dx_hat - x_hat sum(dE/dx_hat x_hat)), m over all ranks
            grad_x = _unrows((self.inverse_std[:, None] / m) * (m * g_hat - sum_g - self.normalized * sum_gx),
                             self.shape)
        return (grad_x, grad_weight, grad_bias)[:len(self.needs_input_grad)]   # one per input given


def _sum_over_ranks(array):
    """Sum ``array`` over all ranks of the default group, in place (a blocking MPI all-reduce)."""
    _comm().Allreduce(_mpi().IN_PLACE, array)
    return array


class SyncBatchNorm(_BatchNorm):
    """BatchNorm over (N, C, ...) inputs whose training statistics are the whole batch's, across
    all ranks of the process group. In evaluation, or without an initialised group of more than
    one rank, it is plain BatchNorm.

    Shapes: input (N, C) or (N, C, *), output the same.

    >>> bn = SyncBatchNorm(64)
    >>> y = bn(x)             # x of shape (n_rank, 64, H, W) on each rank
    """

    expected_ndim = (2, 3, 4, 5)

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 process_group=None, dtype=None):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, dtype)
        self.process_group = process_group

    def forward(self, x):
        if not (self.training and is_initialized() and get_world_size() > 1):
            return super().forward(x)
        if x.ndim not in self.expected_ndim or x.shape[1] != self.num_features:
            raise ValueError(f"SyncBatchNorm({self.num_features}): expected input of shape "
                             f"(N, {self.num_features}, *), got {x.shape}")
        momentum = self.momentum
        if self.track_running_stats:
            self.num_batches_tracked += 1
            if momentum is None:  # a cumulative average of all batches so far
                momentum = 1.0 / int(np.asarray(self.num_batches_tracked))
        op = SyncBatchNormFunction(self.eps, _sum_over_ranks)
        out = op(x, *[t for t in (self.weight, self.bias) if t is not None])
        if self.track_running_stats:
            running_mean, running_var = np.asarray(self.running_mean), np.asarray(self.running_var)
            running_mean *= 1 - momentum
            running_mean += momentum * op.mean
            running_var *= 1 - momentum
            running_var += momentum * op.var * op.count / max(op.count - 1, 1)   # unbiased, as PyTorch
        return out

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """Replace every BatchNorm layer inside ``module`` by a SyncBatchNorm that shares its
        parameters and running statistics; returns the converted module (``module`` itself
        unless it was a BatchNorm layer)."""
        converted = module
        if isinstance(module, _BatchNorm) and not isinstance(module, cls):
            converted = cls(module.num_features, module.eps, module.momentum, module.affine,
                            module.track_running_stats, process_group)
            if module.affine:
                converted.weight, converted.bias = module.weight, module.bias
            if module.track_running_stats:
                for name in ("running_mean", "running_var", "num_batches_tracked"):
                    setattr(converted, name, getattr(module, name))
            converted.train(module.training)
        for name, child in module.named_children():
            converted.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return converted
