"""Upsample: enlarge (or shrink) feature maps by nearest-neighbour or bilinear interpolation."""
from . import functional as F
from .module import Module


class Upsample(Module):
    """Resize (N, C, H, W) to ``size`` or by ``scale_factor``; mode 'nearest' or 'bilinear'.

    >>> Upsample(scale_factor=2, mode="nearest")(sinir.randn(1, 1, 3, 3)).shape
    (1, 1, 6, 6)
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        if mode not in F.conv.INTERPOLATION_MODES:
            raise ValueError(f"Upsample: mode must be one of {F.conv.INTERPOLATION_MODES}, got {mode!r}")
        if (size is None) == (scale_factor is None):
            raise ValueError("Upsample: give exactly one of size and scale_factor")
        if align_corners is not None and mode == "nearest":
            raise ValueError("Upsample: align_corners applies to mode='bilinear' only")
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, x):
        return F.interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)

    def extra_repr(self):
        what = f"size={self.size}" if self.size is not None else f"scale_factor={float(self.scale_factor)}" \
            if not isinstance(self.scale_factor, (tuple, list)) else f"scale_factor={self.scale_factor}"
        return f"{what}, mode={self.mode!r}"
