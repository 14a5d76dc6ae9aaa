"""Pooling layers: shrink feature maps by taking the maximum or the mean of each window."""
from . import functional as F
from .module import Module


class MaxPool2d(Module):
    """The largest value of each kernel_size window (stride defaults to kernel_size).

    >>> MaxPool2d(2)(sinir.randn(8, 6, 28, 28)).shape
    (8, 6, 14, 14)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__()
        self.kernel_size = F._int_pair(kernel_size, "kernel_size", "MaxPool2d", 1)
        self.stride = self.kernel_size if stride is None else F._int_pair(stride, "stride", "MaxPool2d", 1)
        self.padding = F._int_pair(padding, "padding", "MaxPool2d", 0)
        self.dilation = F._int_pair(dilation, "dilation", "MaxPool2d", 1)
        self.ceil_mode = ceil_mode

    def forward(self, x):
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            layer="MaxPool2d")

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """The mean of each kernel_size window (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self.kernel_size = F._int_pair(kernel_size, "kernel_size", "AvgPool2d", 1)
        self.stride = self.kernel_size if stride is None else F._int_pair(stride, "stride", "AvgPool2d", 1)
        self.padding = F._int_pair(padding, "padding", "AvgPool2d", 0)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x):
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override, layer="AvgPool2d")

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size, whatever the input size (e.g. 1 for global pooling)."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return F.adaptive_avg_pool2d(x, self.output_size, layer=type(self).__name__)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    """Max pooling to a fixed output size, whatever the input size."""

    def forward(self, x):
        return F.adaptive_max_pool2d(x, self.output_size, layer=type(self).__name__)
