"""Gradient clipping: keep one bad batch from throwing the weights far away (RNNs above all)."""
import math

import numpy as np

from ...tensor import Tensor


def _with_grads(parameters):
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale all gradients together so that their joint norm is at most ``max_norm``:
    g <- g * max_norm / (norm + 1e-6) when norm > max_norm. Returns the norm before clipping
    (a Tensor), as PyTorch does.

    >>> clip_grad_norm_(model.parameters(), max_norm=1.0)
    """
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not max_norm >= 0 or math.isnan(norm_type) or norm_type <= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be non-negative and norm_type positive, got "
                         f"max_norm={max_norm}, norm_type={norm_type}")
    grads = [np.asarray(p.grad) for p in _with_grads(parameters)]
    if not grads:
        return Tensor(0.0)
    if math.isinf(norm_type):
        total = max(float(np.abs(g).max()) if g.size else 0.0 for g in grads)
    else:
        total = float(sum(float((np.abs(g.astype(np.float64)) ** norm_type).sum()) for g in grads) ** (1 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
                           "pass error_if_nonfinite=False to clip anyway")
    coefficient = max_norm / (total + 1e-6)
    if coefficient < 1:
        for g in grads:
            g *= g.dtype.type(coefficient)
    return Tensor(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clip every gradient element to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be non-negative, got {clip_value}")
    for p in _with_grads(parameters):
        g = np.asarray(p.grad)
        np.clip(g, -clip_value, clip_value, out=g)
