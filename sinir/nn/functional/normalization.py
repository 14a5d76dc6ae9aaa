"""Normalisation: batch, layer, group and local response normalisation."""
import numpy as np

from ... import ops
from ...ops import normalization as _norm
from ...tensor import Tensor


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Normalise each channel (axis 1). In training, by the batch's statistics, updating
    ``running_mean`` / ``running_var`` in place; otherwise by the running statistics."""
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected input (N, C, ...), got shape {tuple(input.shape)}")
    # the operation takes (x, weight, bias) by position: each keeps its slot, a missing one is
    # filled with a constant (weight 1, bias 0) that asks for no gradient
    if weight is None:
        weight = Tensor._make(np.ones(input.shape[1], dtype=input.dtype))
    if bias is None:
        bias = Tensor._make(np.zeros(input.shape[1], dtype=input.dtype))
    inputs = (weight, bias)
    if training or running_mean is None:
        count = input.size // input.shape[1]
        if count < 2 and training:
            raise ValueError(f"batch_norm: training needs more than one value per channel, got input "
                             f"of shape {tuple(input.shape)}")
        op = ops.BatchNorm(eps)
        out = op(input, *inputs)
        if training and running_mean is not None:
            mean, var = np.asarray(running_mean), np.asarray(running_var)
            mean *= 1 - momentum
            mean += momentum * op.mean
            var *= 1 - momentum
            var += momentum * op.var * count / (count - 1)   # the unbiased variance, as PyTorch
        return out
    return ops.BatchNorm(eps, np.asarray(running_mean), np.asarray(running_var))(input, *inputs)


def _affine(weight, bias):
    return [t for t in (weight, bias) if t is not None]


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise each sample over its last axes, ``normalized_shape`` (e.g. (features,)), then
    y = x_hat * weight + bias (both of that shape, optional)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if not shape or input.shape[input.ndim - len(shape):] != shape or input.ndim < len(shape):
        raise ValueError(f"layer_norm: the input's last axes must be {shape}, got input of shape {tuple(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.shape != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, got {tuple(t.shape)}")
    op = _norm.LayerNorm(len(shape), eps, weight is not None, bias is not None)
    return op(input, *_affine(weight, bias))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise each group of C / num_groups channels of each sample of (N, C, ...), then scale
    and shift each channel."""
    if input.ndim < 2 or input.shape[1] % num_groups:
        raise ValueError(f"group_norm: num_groups={num_groups} must divide the channels (axis 1) of "
                         f"input of shape {tuple(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.shape != (input.shape[1],):
            raise ValueError(f"group_norm: {name} must have shape ({input.shape[1]},), got {tuple(t.shape)}")
    op = _norm.GroupNorm(num_groups, eps, weight is not None, bias is not None)
    return op(input, *_affine(weight, bias))


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    if input.ndim < 3:
        raise ValueError(f"local_response_norm: expected (N, C, ...) input, got shape {tuple(input.shape)}")
    return ops.LocalResponseNorm(size, alpha, beta, k)(input)
