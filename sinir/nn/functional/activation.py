"""Activation functions: element-wise (softmax and log-softmax along one axis)."""
from ... import ops
from ...ops import activation as _act
from ...tensor import Tensor


def relu(input, inplace=False):
    """max(0, x). ``inplace`` is accepted for PyTorch's signature; the result is a new tensor."""
    return input.relu()


def relu6(input, inplace=False):
    """min(max(0, x), 6)."""
    return _act.Hardtanh(0.0, 6.0)(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return ops.LeakyReLU(negative_slope)(input)


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
    return _act.SiLU()(input)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha (e^x - 1) otherwise."""
    return _act.ELU(alpha)(input)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(beta x)) / beta (x itself where beta x > threshold)."""
    if beta == 0:
        raise ValueError("softplus: beta must not be 0")
    return _act.Softplus(beta, threshold)(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    return _act.Hardtanh(min_val, max_val)(input)


def prelu(input, weight):
    """x for x > 0, weight * x otherwise; weight holds 1 value or one per channel (axis 1)."""
    channels = input.shape[1] if input.ndim >= 2 else input.shape[0] if input.ndim == 1 else 1
    if weight.ndim != 1 or weight.shape[0] not in (1, channels):
        raise ValueError(f"prelu: weight must hold 1 or {channels} values (one per channel), "
                         f"got shape {tuple(weight.shape)} for input of shape {tuple(input.shape)}")
    if not isinstance(weight, Tensor):
        raise ValueError("prelu: weight must be a Tensor")
    return _act.PReLU()(input, weight)
