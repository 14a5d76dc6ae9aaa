"""Weight initialisation, in place and from sinir's seeded generator (PyTorch's formulas).

>>> init.kaiming_normal_(layer.weight, nonlinearity="relu")
"""
import math

import numpy as np

from ..grad_mode import no_grad
from ..random import default_generator


def calculate_fan_in_and_fan_out(tensor):
    """fan_in = inputs per output unit, fan_out = outputs per input unit (kernel area included)."""
    if tensor.ndim < 2:
        raise ValueError(f"init: fan in and fan out need a tensor of at least 2 dimensions, "
                         f"got shape {tuple(tensor.shape)}")
    receptive_field = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def calculate_gain(nonlinearity, param=None):
    """The factor that keeps activations' variance steady through a layer and its nonlinearity."""
    if nonlinearity in ("linear", "identity", "sigmoid") or nonlinearity.startswith("conv"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}")


def _fill(tensor, values):
    with no_grad():
        np.asarray(tensor)[...] = values
    return tensor


def _sample_dtype(tensor):
    """Draw float32 samples for float32 tensors (twice as fast), float64 otherwise."""
    return np.float32 if tensor.dtype == np.float32 else np.float64


def _draw(tensor, sample):
    """Draw samples straight into a contiguous float tensor, else into a new array copied in."""
    data = np.asarray(tensor)
    if data.dtype in (np.float32, np.float64) and data.flags.c_contiguous:
        sample(data.shape, dtype=data.dtype, out=data)
        return data
    values = sample(data.shape, dtype=_sample_dtype(tensor))
    _fill(tensor, values)
    return np.asarray(tensor)


def uniform_(tensor, a=0.0, b=1.0):
    """Fill with samples of U(a, b)."""
    with no_grad():
        values = _draw(tensor, default_generator().random)
        values *= b - a
        values += a
    return tensor


def normal_(tensor, mean=0.0, std=1.0):
    """Fill with samples of N(mean, std^2)."""
    with no_grad():
        values = _draw(tensor, default_generator().standard_normal)
        values *= std
        values += mean
    return tensor


def constant_(tensor, value):
    return _fill(tensor, value)


def zeros_(tensor):
    return _fill(tensor, 0)


def ones_(tensor):
    return _fill(tensor, 1)


def xavier_uniform_(tensor, gain=1.0):
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio, 2010)."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor, gain=1.0):
    """N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(tensor, a, mode, nonlinearity):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """U(-b, b) with b = gain * sqrt(3 / fan) (He et al., 2015)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu"):
    """N(0, std^2) with std = gain / sqrt(fan) (He et al., 2015)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))
