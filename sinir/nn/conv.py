"""Convolution layers: Conv1d, Conv2d and ConvTranspose2d."""
import math

import numpy as np

from . import functional as F
from . import init
from .functional.conv import _int_tuple
from .module import Module, layer_dtype, parameter_of


class _ConvNd(Module):
    """What the convolution layers share: options checked once here, PyTorch's initialisation."""

    dims = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                 device, dtype, output_padding=0):
        super().__init__()
        name = type(self).__name__
        for option, value in (("in_channels", in_channels), ("out_channels", out_channels), ("groups", groups)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name}: {option} must be a positive integer, got {value!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: groups={groups} must divide in_channels={in_channels} and "
                             f"out_channels={out_channels}")
        self.in_channels, self.out_channels, self.groups = int(in_channels), int(out_channels), int(groups)
        self.kernel_size = _int_tuple(kernel_size, "kernel_size", name, 1, self.dims)
        self.stride = _int_tuple(stride, "stride", name, 1, self.dims)
        self.dilation = _int_tuple(dilation, "dilation", name, 1, self.dims)
        if isinstance(padding, str) and not self.transposed:
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{name}: padding='same' needs stride 1, got stride {self.stride}")
            self.padding = padding
        else:
            self.padding = _int_tuple(padding, "padding", name, 0, self.dims)
        self.output_padding = _int_tuple(output_padding, "output_padding", name, 0, self.dims)
        if self.transposed and any(p >= max(s, d) for p, s, d in zip(self.output_padding, self.stride, self.dilation)):
            raise ValueError(f"{name}: output_padding {self.output_padding} must be smaller than the stride "
                             f"{self.stride} or the dilation {self.dilation}")
        dtype = layer_dtype(name, device, dtype)
        shape = ((in_channels, out_channels // groups) if self.transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        self.weight = parameter_of(np.empty(shape, dtype=dtype))
        self.bias = parameter_of(np.empty(out_channels, dtype=dtype)) if bias else None
        if not bias:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: kaiming uniform with a = sqrt(5), bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.calculate_fan_in_and_fan_out(self.weight)
            if fan_in:
                init.uniform_(self.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def _check_input(self, x):
        if x.ndim != self.dims + 2 or x.shape[1] != self.in_channels:
            spatial = ", L" if self.dims == 1 else ", H, W"
            raise ValueError(f"{type(self).__name__}({self.in_channels}, {self.out_channels}): expected input "
                             f"of shape (N, {self.in_channels}{spatial}), got {tuple(x.shape)}")

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding not in ((0,) * self.dims, "valid"):
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self.dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class Conv2d(_ConvNd):
    """2-D convolution over (N, C_in, H, W) images, giving (N, C_out, H_out, W_out).

    H_out = floor((H + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. ``padding`` may be
    'same' (output as large as the input, stride 1) or 'valid' (none). ``groups`` splits the
    channels into that many independent convolutions.

    >>> conv = Conv2d(1, 6, kernel_size=5, padding=2)
    >>> conv(sinir.randn(8, 1, 28, 28)).shape
    (8, 6, 28, 28)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f"Conv2d: only padding_mode='zeros' is supported, got {padding_mode!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         device, dtype)

    def forward(self, x):
        self._check_input(x)
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) sequences, giving (N, C_out, L_out), L_out as Conv2d's H_out.

    >>> Conv1d(4, 8, kernel_size=3, padding=1)(sinir.randn(2, 4, 50)).shape
    (2, 8, 50)
    """

    dims = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f"Conv1d: only padding_mode='zeros' is supported, got {padding_mode!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         device, dtype)

    def forward(self, x):
        self._check_input(x)
        return F.conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """Transposed convolution: (N, C_in, H, W) -> (N, C_out, H_out, W_out) with
    H_out = (H - 1) stride - 2 padding + dilation (kernel - 1) + output_padding + 1; the weight is
    (C_in, C_out / groups, kh, kw). Enlarges feature maps (decoders, generators).

    >>> ConvTranspose2d(8, 4, kernel_size=2, stride=2)(sinir.randn(1, 8, 7, 7)).shape
    (1, 4, 14, 14)
    """

    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f"ConvTranspose2d: only padding_mode='zeros' is supported, got {padding_mode!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         device, dtype, output_padding)

    def forward(self, x, output_size=None):
        if output_size is not None:
            raise ValueError("ConvTranspose2d: output_size is not supported; use output_padding")
        self._check_input(x)
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                  self.groups, self.dilation)
