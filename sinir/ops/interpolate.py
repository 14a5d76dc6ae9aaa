"""Resizing images (Upsample, F.interpolate) as two small matrix products.

Nearest and bilinear resizing are linear and separable: each output row is a fixed mix of input
rows, and each output column of input columns. With R (out_h, in_h) and C (out_w, in_w) the
mixing matrices, y = R x C^T for every image and channel, and backward is dE/dx = R^T dE/dy C.
"""
import math

import numpy as np

from .function import Function


def source_scale(in_size, out_size, scale_factor, align_corners):
    """How far apart, in input pixels, neighbouring output pixels lie (PyTorch's rule)."""
    if align_corners:
        return (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    return 1.0 / scale_factor if scale_factor is not None else in_size / out_size


def nearest_matrix(in_size, out_size, scale_factor, dtype):
    """Output pixel i copies input pixel floor(i * scale) (PyTorch's 'nearest')."""
    scale = source_scale(in_size, out_size, scale_factor, False)
    source = np.minimum(np.floor(np.arange(out_size) * scale).astype(np.int64), in_size - 1)
    matrix = np.zeros((out_size, in_size), dtype=dtype)
    matrix[np.arange(out_size), source] = 1
    return matrix


def linear_matrix(in_size, out_size, scale_factor, align_corners, dtype):
    """Output pixel i mixes the two input pixels around its source position, by distance."""
    scale = source_scale(in_size, out_size, scale_factor, align_corners)
    positions = np.arange(out_size) * scale if align_corners else np.maximum((np.arange(out_size) + 0.5) * scale - 0.5, 0)
    lower = np.minimum(np.floor(positions).astype(np.int64), in_size - 1)
    upper = np.minimum(lower + 1, in_size - 1)
    fraction = positions - lower
    matrix = np.zeros((out_size, in_size), dtype=np.float64)
    np.add.at(matrix, (np.arange(out_size), lower), 1 - fraction)
    np.add.at(matrix, (np.arange(out_size), upper), fraction)
    return matrix.astype(dtype)


def resize_matrices(shape, size, scale_factor, mode, align_corners, dtype):
    """R and C for an (N, C, H, W) input resized to ``size`` = (out_h, out_w)."""
    matrices = []
    for axis, out_size in enumerate(size):
        in_size = shape[2 + axis]
        factor = None if scale_factor is None else scale_factor[axis]
        if mode == "nearest":
            matrices.append(nearest_matrix(in_size, out_size, factor, dtype))
        else:
            matrices.append(linear_matrix(in_size, out_size, factor, align_corners, dtype))
    return matrices


def output_sizes(shape, size, scale_factor):
    if size is not None:
        return tuple(size)
    return tuple(int(math.floor(n * f)) for n, f in zip(shape[2:], scale_factor))


class Resize2d(Function):
    """y = R x C^T for each image and channel of (N, C, H, W)."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols

    def forward(self, x):
        return (self.rows @ x @ self.cols.T).astype(x.dtype, copy=False)

    def backward(self, grad):
        # dE/dx = R^T . dE/dy . C
        return (self.rows.T @ grad @ self.cols,)
