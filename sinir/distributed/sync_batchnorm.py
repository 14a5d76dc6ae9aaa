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
from ..ops.norm import BatchNorm
from .process_group import _comm, _mpi, get_world_size, is_initialized


class SyncBatchNormFunction(BatchNorm):
    """BatchNorm's operation (sinir/ops/norm.py) whose mean and var are those of the union of all
    ranks' batches (``count`` values per channel in all), and whose backward sums likewise.

    Forward needs two all-reduces: the sums (and counts) give the mean; then the sums of squared
    deviations from that mean give the variance. (One pass with sum(x^2) - m mean^2 would cancel
    catastrophically in float32 when the mean is large against the spread.)
    """

    grad_fn_name = "SyncBatchNormBackward0"

    def __init__(self, eps, sum_over_ranks):
        # sum_over_ranks(array) sums an array over all ranks in place and returns it
        super().__init__(eps)
        self._sum_over_ranks = sum_over_ranks

    def batch_statistics(self, rows):
        sums = self._sum_over_ranks(np.concatenate([[rows.shape[1]], rows.sum(axis=1)]).astype(rows.dtype))
        count = int(round(float(sums[0])))
        mean = sums[1:] / count
        centred = rows - mean[:, None]
        var = self._sum_over_ranks(np.einsum("ij,ij->i", centred, centred)) / count   # biased, as BatchNorm
        return count, mean, var, centred

    def batch_sums(self, sums):
        # the weight and bias gradients stay this rank's sums: DistributedDataParallel averages them
        return self._sum_over_ranks(sums)


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
