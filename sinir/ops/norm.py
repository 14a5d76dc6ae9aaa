"""Normalisation: batch normalisation and AlexNet's local response normalisation."""
import numpy as np

from .function import Function


def _channel_rows(x, order=None):
    """(C, everything else): one row per channel, the values that share its statistics, and the
    axis order that made it (give the same ``order`` to lay out another array like it).

    Which values of a channel come first does not matter to its statistics, so the order follows
    the memory: a convolution's batch-innermost output, (C, H, W, N) in memory, gives its rows
    without a copy; other arrays go (C, N, ...), as PyTorch lays them out.
    """
    if order is None:
        batch_innermost = x.ndim == 4 and x.transpose(1, 2, 3, 0).flags.c_contiguous
        order = (1, 2, 3, 0) if batch_innermost else (1, 0) + tuple(range(2, x.ndim))
    return x.transpose(order).reshape(x.shape[1], -1), order


def _from_channel_rows(rows, shape, order):
    """Undo _channel_rows: (C, ...) back to ``shape``, as a view of the rows' memory."""
    return rows.reshape([shape[axis] for axis in order]).transpose(np.argsort(order))


def _row_dots(a, b):
    """sum over each row of a * b, without the product as a temporary."""
    return np.einsum("ij,ij->i", a, b)


class BatchNorm(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, per channel (axis 1).

    In training, mean and var are the batch's (``self.mean``, ``self.var`` keep them, var biased,
    for the caller to update running statistics). In evaluation, the given ``mean`` and ``var``
    are used. ``weight`` and ``bias`` may be left out (affine=False).
    """

    grad_fn_name = "NativeBatchNormBackward0"
    saved_inputs = (1,)

    def __init__(self, eps=1e-5, mean=None, var=None):
        self.eps = eps
        self.training = mean is None
        self.mean, self.var = mean, var

    def batch_statistics(self, rows):
        """The count m, mean, (biased) variance of each channel's values in the batch, and the
        rows minus their mean. SyncBatchNorm overrides it to take them over the batches of all ranks."""
        mean = rows.mean(axis=1)
        centred = rows - mean[:, None]
        return rows.shape[1], mean, _row_dots(centred, centred) / rows.shape[1], centred

    def batch_sums(self, sums):
        """Backward's per-channel sums over the batch, stacked: (sum dE/dx_hat, sum dE/dx_hat * x_hat).
        SyncBatchNorm overrides it to add them up over all ranks."""
        return sums

    def forward(self, x, weight=None, bias=None):
        rows, self.order = _channel_rows(x)
        if self.training:
            self.count, self.mean, self.var, normalized = self.batch_statistics(rows)
        else:
            normalized = rows - self.mean[:, None]
        self.inverse_std = (1 / np.sqrt(self.var + self.eps)).astype(x.dtype)
        normalized *= self.inverse_std[:, None]                  # x_hat = (x - mean) / sigma
        self.normalized, self.weight, self.shape = normalized, weight, x.shape
        y = normalized * weight[:, None] if weight is not None else normalized
        if bias is not None:
            y = y + bias[:, None] if y is normalized else np.add(y, bias[:, None], out=y)
        return _from_channel_rows(y, x.shape, self.order)

    def backward(self, grad):
        g, _ = _channel_rows(grad, self.order)
        sum_g, sum_g_x = g.sum(axis=1), _row_dots(g, self.normalized)
        grad_weight = sum_g_x if self.weight is not None else None          # dE/dgamma = sum dE/dy * x_hat
        grad_bias = sum_g if len(self.needs_input_grad) > 2 else None       # dE/dbeta = sum dE/dy
        grad_x = None
        if self.needs_input_grad[0]:
            weight = self.weight if self.weight is not None else 1
            scale = weight * self.inverse_std                              # dE/dx_hat = dE/dy * gamma
            if self.training:
                # dE/dx = (1/m) / sigma * (m dE/dx_hat - sum dE/dx_hat - x_hat sum(dE/dx_hat x_hat)),
                # with the sums of dE/dx_hat = gamma dE/dy taken from those of dE/dy
                m = self.count
                sums = self.batch_sums(np.stack([weight * sum_g, weight * sum_g_x]).astype(g.dtype))
                rows = self.normalized * (-sums[1] * self.inverse_std / m)[:, None]
                rows += g * scale[:, None]
                rows -= (sums[0] * self.inverse_std / m)[:, None]
            else:
                rows = g * scale[:, None]                                 # dE/dx = dE/dx_hat / sigma
            grad_x = _from_channel_rows(rows, self.shape, self.order)
        return (grad_x, grad_weight, grad_bias)[:len(self.needs_input_grad)]   # one per input given


def _channel_window_sum(a, before, after):
    """s[:, c] = sum of a[:, c - before .. c + after] (channels outside the range count as 0)."""
    padded = np.concatenate([np.zeros_like(a[:, :1]), a], axis=1).cumsum(axis=1)
    C = a.shape[1]
    upper = np.minimum(np.arange(C) + after + 1, C)
    lower = np.maximum(np.arange(C) - before, 0)
    return padded[:, upper] - padded[:, lower]


class LocalResponseNorm(Function):
    """AlexNet's normalisation across neighbouring channels:
    y_c = x_c / (k + alpha / n * sum over the n channels around c of x^2)^beta."""

    grad_fn_name = "LocalResponseNormBackward0"

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x):
        self.x = x
        before, after = self.size // 2, (self.size - 1) // 2
        self.scale = self.k + self.alpha / self.size * _channel_window_sum(x * x, before, after)
        return x * self.scale ** -self.beta

    def backward(self, grad):
        # dE/dx_c = dE/dy_c s_c^-beta - (2 alpha beta / n) x_c sum over c' near c of dE/dy_c' x_c' s_c'^(-beta-1)
        before, after = self.size // 2, (self.size - 1) // 2
        inner = grad * self.x * self.scale ** (-self.beta - 1)
        spread = _channel_window_sum(inner, after, before)  # the channels whose windows hold c
        return (grad * self.scale ** -self.beta - 2 * self.alpha * self.beta / self.size * self.x * spread,)
