"""Normalisation: batch normalisation and AlexNet's local response normalisation."""
import numpy as np

from .function import Function


def _rows(x):
    """(N, C, ...) -> (C, N * ...): one row per channel, the values that share its statistics."""
    return np.moveaxis(x, 1, 0).reshape(x.shape[1], -1)


def _unrows(rows, shape):
    """Undo _rows: (C, N * ...) back to (N, C, ...) (a transposed view, no copy)."""
    return np.moveaxis(rows.reshape((shape[1], shape[0]) + shape[2:]), 0, 1)


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
        """The count m, mean and (biased) variance of each channel's values in the batch.
        SyncBatchNorm overrides it to take them over the batches of all ranks."""
        return rows.shape[1], rows.mean(axis=1), rows.var(axis=1)

    def batch_sums(self, sums):
        """Backward's per-channel sums over the batch, stacked: (sum dE/dx_hat, sum dE/dx_hat * x_hat).
        SyncBatchNorm overrides it to add them up over all ranks."""
        return sums

    def forward(self, x, weight=None, bias=None):
        rows = _rows(x)
        if self.training:
            self.count, self.mean, self.var = self.batch_statistics(rows)
        self.inverse_std = (1 / np.sqrt(self.var + self.eps)).astype(x.dtype)
        self.normalized = (rows - self.mean[:, None]) * self.inverse_std[:, None]
        self.weight, self.shape = weight, x.shape
        y = self.normalized
        if weight is not None:
            y = y * weight[:, None]
        if bias is not None:
            y = y + bias[:, None]
        return _unrows(y, x.shape)

    def backward(self, grad):
        g = _rows(grad)
        grad_weight = (g * self.normalized).sum(axis=1) if self.weight is not None else None   # dE/dgamma = sum dE/dy * x_hat
        grad_bias = g.sum(axis=1) if len(self.needs_input_grad) > 2 else None                 # dE/dbeta = sum dE/dy
        grad_x = None
        if self.needs_input_grad[0]:
            g_hat = g * self.weight[:, None] if self.weight is not None else g
            if self.training:
                # dE/dx = (1/m) / sigma * (m dE/dx_hat - sum dE/dx_hat - x_hat sum(dE/dx_hat x_hat))
                m = self.count
                sums = self.batch_sums(np.stack([g_hat.sum(axis=1), (g_hat * self.normalized).sum(axis=1)]))
                sum_g, sum_gx = sums[0][:, None], sums[1][:, None]
                rows = (self.inverse_std[:, None] / m) * (m * g_hat - sum_g - self.normalized * sum_gx)
            else:
                rows = g_hat * self.inverse_std[:, None]         # dE/dx = dE/dx_hat / sigma
            grad_x = _unrows(rows, self.shape)
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
