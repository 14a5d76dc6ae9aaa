"""Pooling layers: shrink feature maps by taking the maximum or the mean of each window."""
from . import functional as F
from .functional.conv import _int_pair
from .module import Module


class _Pool2d(Module):
    """What the pooling layers share: options checked once, and a 4-D input check."""

    def _check_input(self, x):
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__}: expected a 4-D input (N, C, H, W), got shape {tuple(x.shape)}")


class _WindowPool2d(_Pool2d):
    """Pooling over kernel_size windows moved by stride (which defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__()
        name = type(self).__name__
        self.kernel_size = _int_pair(kernel_size, "kernel_size", name, 1)
        self.stride = self.kernel_size if stride is None else _int_pair(stride, "stride", name, 1)
        self.padding = _int_pair(padding, "padding", name, 0)
        self.dilation = _int_pair(dilation, "dilation", name, 1)
        if any(p > k // 2 for p, k in zip(self.padding, self.kernel_size)):
            raise ValueError(f"{name}: padding {self.padding} must be at most half the kernel size {self.kernel_size}")
        self.ceil_mode = bool(ceil_mode)


class MaxPool2d(_WindowPool2d):
    """The largest value of each kernel_size window (stride defaults to kernel_size).

    >>> MaxPool2d(2)(sinir.randn(8, 6, 28, 28)).shape
    (8, 6, 14, 14)
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        if return_indices:
            raise ValueError("MaxPool2d: return_indices=True is not supported")
        super().__init__(kernel_size, stride, padding, dilation, ceil_mode)

    def forward(self, x):
        self._check_input(x)
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(_WindowPool2d):
    """The mean of each kernel_size window (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__(kernel_size, stride, padding, 1, ceil_mode)
        if divisor_override is not None and (not isinstance(divisor_override, int) or divisor_override < 1):
            raise ValueError(f"AvgPool2d: divisor_override must be a positive integer or None, got {divisor_override!r}")
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, x):
        self._check_input(x)
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool2d(_Pool2d):
    """Pooling to a fixed output size, whatever the input size (None keeps that input size)."""

    def __init__(self, output_size):
        super().__init__()
        size = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
        if len(size) != 2 or not all(s is None or (isinstance(s, int) and s >= 1) for s in size):
            raise ValueError(f"{type(self).__name__}: output_size must be a positive integer, None or a pair "
                             f"of them, got {output_size!r}")
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptivePool2d):
    """Average pooling to a fixed output size (e.g. 1 for global average pooling)."""

    def forward(self, x):
        self._check_input(x)
        return F.adaptive_avg_pool2d(x, self.output_size)


class AdaptiveMaxPool2d(_AdaptivePool2d):
    """Max pooling to a fixed output size."""

    def __init__(self, output_size, return_indices=False):
        if return_indices:
            raise ValueError("AdaptiveMaxPool2d: return_indices=True is not supported")
        super().__init__(output_size)

    def forward(self, x):
        self._check_input(x)
        return F.adaptive_max_pool2d(x, self.output_size)
