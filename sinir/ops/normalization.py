"""Layer and group normalisation: statistics over each sample's features, not over the batch.

Both normalise groups of values to mean 0 and variance 1 (the variance biased, as PyTorch),
x_hat = (x - mean) / sqrt(var + eps), then scale and shift: y = x_hat * weight + bias.
The weight and bias are optional; ``has_weight`` / ``has_bias`` say which of them follow x
among the inputs, so each keeps its own slot.
"""
import numpy as np

from .function import Function


def _normalize_rows(rows, eps):
    """x_hat and 1 / sigma of each row of a (groups, values) array."""
    mean = rows.mean(axis=1, keepdims=True)
    centered = rows - mean
    inverse_std = 1 / np.sqrt((centered * centered).mean(axis=1, keepdims=True) + eps)
    return centered * inverse_std, inverse_std


def _normalize_rows_backward(g_hat, x_hat, inverse_std):
    """dE/dx of each row from dE/dx_hat: (1/sigma) (g - mean(g) - x_hat mean(g x_hat))."""
    return inverse_std * (g_hat - g_hat.mean(axis=1, keepdims=True)
                          - x_hat * (g_hat * x_hat).mean(axis=1, keepdims=True))


def _split_affine(params, has_weight, has_bias):
    params = list(params)
    weight = params.pop(0) if has_weight else None
    bias = params.pop(0) if has_bias else None
    return weight, bias


class _GroupedNorm(Function):
    """What LayerNorm and GroupNorm share: y = x_hat * weight + bias forward, and the backward.
    A subclass's forward sets ``x_hat``, ``inverse_std`` (one per row), ``weight`` (shaped to
    broadcast against x) and ``affine_axes`` (the axes the weight and bias are shared over)."""

    def __init__(self, eps=1e-5, has_weight=True, has_bias=True):
        self.eps, self.has_weight, self.has_bias = eps, has_weight, has_bias

    def scaled(self, x, weight, bias):
        """x_hat * weight + bias in x's dtype, given the weight and bias shaped to broadcast."""
        self.weight = weight
        y = self.x_hat
        if weight is not None:
            y = y * weight
        if bias is not None:
            y = y + bias
        return y.astype(x.dtype, copy=False)

    def backward(self, grad):
        grads = []
        if self.needs_input_grad[0]:
            g_hat = grad * self.weight if self.weight is not None else grad     # dE/dx_hat = dE/dy * weight
            rows = _normalize_rows_backward(g_hat.reshape(self.inverse_std.shape[0], -1),
                                            self.x_hat.reshape(self.inverse_std.shape[0], -1), self.inverse_std)
            grads.append(rows.reshape(grad.shape))
        else:
            grads.append(None)
        if self.has_weight:
            grads.append((grad * self.x_hat).sum(axis=self.affine_axes))        # dE/dweight = sum dE/dy * x_hat
        if self.has_bias:
            grads.append(grad.sum(axis=self.affine_axes))                       # dE/dbias = sum dE/dy
        return tuple(grads)


class LayerNorm(_GroupedNorm):
    """Normalise over the last ``normalized_ndim`` axes of each sample; weight and bias have
    the shape of those axes."""

    def __init__(self, normalized_ndim, eps=1e-5, has_weight=True, has_bias=True):
        super().__init__(eps, has_weight, has_bias)
        self.normalized_ndim = normalized_ndim

    def forward(self, x, *params):
        weight, bias = _split_affine(params, self.has_weight, self.has_bias)
        features = int(np.prod(x.shape[x.ndim - self.normalized_ndim:]))
        x_hat, self.inverse_std = _normalize_rows(x.reshape(-1, features), self.eps)
        self.x_hat = x_hat.reshape(x.shape)
        self.affine_axes = tuple(range(x.ndim - self.normalized_ndim))          # the batch axes
        return self.scaled(x, weight, bias)


class GroupNorm(_GroupedNorm):
    """Split the C channels of (N, C, ...) into ``num_groups`` groups and normalise each group of
    each sample; weight and bias are per channel (C,)."""

    def __init__(self, num_groups, eps=1e-5, has_weight=True, has_bias=True):
        super().__init__(eps, has_weight, has_bias)
        self.num_groups = num_groups

    def forward(self, x, *params):
        weight, bias = _split_affine(params, self.has_weight, self.has_bias)
        N, C = x.shape[:2]
        x_hat, self.inverse_std = _normalize_rows(x.reshape(N * self.num_groups, -1), self.eps)
        self.x_hat = x_hat.reshape(x.shape)
        self.affine_axes = (0,) + tuple(range(2, x.ndim))                        # all but the channel axis
        channel_shape = (1, C) + (1,) * (x.ndim - 2)
        return self.scaled(x, None if weight is None else weight.reshape(channel_shape),
                           None if bias is None else bias.reshape(channel_shape))
