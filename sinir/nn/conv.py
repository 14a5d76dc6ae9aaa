"""The convolution layer."""
import math

import numpy as np

from ..tensor import get_default_dtype
from . import functional as F
from . import init
from .module import Module, Parameter


class Conv2d(Module):
    """2-D convolution over (N, C_in, H, W) images, giving (N, C_out, H_out, W_out).

    H_out = floor((H + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. ``padding`` may be
    'same' (output as large as the input, stride 1) or 'valid' (none). ``groups`` splits the
    channels into that many independent convolutions.

    >>> conv = Conv2d(1, 6, kernel_size=5, padding=2)
    >>> conv(sinir.randn(8, 1, 28, 28)).shape
    (8, 6, 28, 28)
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, dtype=None):
        super().__init__()
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels), ("groups", groups)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Conv2d: {name} must be a positive integer, got {value!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"Conv2d: groups={groups} must divide in_channels={in_channels} and "
                             f"out_channels={out_channels}")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = F._int_pair(kernel_size, "kernel_size", "Conv2d", 1)
        self.stride = F._int_pair(stride, "stride", "Conv2d", 1)
        self.dilation = F._int_pair(dilation, "dilation", "Conv2d", 1)
        F.conv_padding(padding, self.kernel_size, self.dilation, self.stride, "Conv2d")  # validates
        self.padding = padding if isinstance(padding, str) else F._int_pair(padding, "padding", "Conv2d", 0)
        dtype = dtype or get_default_dtype()
        self.weight = Parameter(np.empty((out_channels, in_channels // groups) + self.kernel_size, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: kaiming uniform with a = sqrt(5), bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.calculate_fan_in_and_fan_out(self.weight)
            init.uniform_(self.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups,
                        layer=f"Conv2d({self.in_channels}, {self.out_channels})")

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding not in ((0, 0), "valid"):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text
