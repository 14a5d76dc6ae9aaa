"""Activation functions: element-wise (softmax and log-softmax along one axis)."""
from ... import ops
from ...ops import activation as _act
from ...tensor import Tensor


def _apply(operation, input, inplace):
    """``operation(input)``; with ``inplace=True`` the result is written into ``input`` itself and
    returned, as PyTorch does (with its errors: a leaf that requires grad cannot change in place)."""
    if inplace:
        return input._in_place(operation)
    return operation(input)


def relu(input, inplace=False):
    """max(0, x); ``inplace=True`` overwrites x (and returns it)."""
    return _apply(ops.ReLU(), input, inplace)


def relu_(input):
    """max(0, x), written into x."""
    return relu(input, inplace=True)


def relu6(input, inplace=False):
    """min(max(0, x), 6)."""
    return _apply(_act.Hardtanh(0.0, 6.0), input, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return _apply(ops.LeakyReLU(negative_slope), input, inplace)


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def softmax(input, dim=None, dtype=None):
    """e^x / sum e^x along ``dim``; without dim, PyTorch's legacy axis and its warning."""
    return input.softmax(dim, dtype)


def log_softmax(input, dim=None, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably; without dim, as softmax."""
    return input.log_softmax(dim, dtype)


def gelu(input, approximate="none"):
    """x Phi(x), Phi the normal CDF; approximate='tanh' for the tanh formula."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return _act.GELU(approximate)(input)


def silu(input, inplace=False):
    """x sigmoid(x)."""
    return _apply(_act.SiLU(), input, inplace)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha (e^x - 1) otherwise."""
    return _apply(_act.ELU(alpha), input, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(beta x)) / beta (x itself where beta x > threshold)."""
    if beta == 0:
        raise ValueError("softplus: beta must not be 0")
    return _act.Softplus(beta, threshold)(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    return _apply(_act.Hardtanh(min_val, max_val), input, inplace)


def prelu(input, weight):
    """x for x > 0, weight * x otherwise; weight holds 1 value or one per channel (axis 1)."""
    channels = input.shape[1] if input.ndim >= 2 else input.shape[0] if input.ndim == 1 else 1
    if weight.ndim != 1 or weight.shape[0] not in (1, channels):
        raise ValueError(f"prelu: weight must hold 1 or {channels} values (one per channel), "
                         f"got shape {tuple(weight.shape)} for input of shape {tuple(input.shape)}")
    if not isinstance(weight, Tensor):
        raise ValueError("prelu: weight must be a Tensor")
    return _act.PReLU()(input, weight)
