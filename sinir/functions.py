"""Functions that make tensors or combine several: tensor, zeros, randn, where, concatenate, ..."""
import numpy as np

from . import ops
from .random import default_generator
from .tensor import Tensor, _lift, get_default_dtype


def tensor(data, dtype=None, requires_grad=False):
    """A new tensor from a list, a number or an array (floats become float32 by default).

    >>> sinir.tensor([[1, 2], [3, 4.5]])
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def _float_dtype(dtype):
    return np.dtype(dtype) if dtype is not None else get_default_dtype()


def zeros(*shape, dtype=None, requires_grad=False):
    return Tensor(np.zeros(_flat(shape), dtype=_float_dtype(dtype)), requires_grad=requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    return Tensor(np.ones(_flat(shape), dtype=_float_dtype(dtype)), requires_grad=requires_grad)


def full(shape, value, dtype=None, requires_grad=False):
    return Tensor(np.full(_flat((shape,)), value, dtype=_float_dtype(dtype)), requires_grad=requires_grad)


def zeros_like(t, requires_grad=False):
    return Tensor(np.zeros_like(np.asarray(t)), requires_grad=requires_grad)


def ones_like(t, requires_grad=False):
    return Tensor(np.ones_like(np.asarray(t)), requires_grad=requires_grad)


def randn(*shape, dtype=None, requires_grad=False):
    """Standard normal samples from sinir's seeded generator."""
    data = default_generator().standard_normal(_flat(shape)).astype(_float_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, dtype=None, requires_grad=False):
    """Uniform samples in [0, 1) from sinir's seeded generator."""
    data = default_generator().random(_flat(shape)).astype(_float_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad)


def arange(*args, dtype=None):
    return Tensor(np.arange(*args, dtype=dtype))


def eye(n, dtype=None):
    return Tensor(np.eye(n, dtype=_float_dtype(dtype)))


def from_numpy(array):
    """A tensor that shares memory with ``array`` and keeps its dtype."""
    return Tensor._make(np.asarray(array))


def where(condition, a, b):
    """Element-wise choice: ``a`` where ``condition`` holds, else ``b``; gradients flow to both.

    >>> sinir.where(x > 0, x, 0.01 * x)     # a leaky ReLU
    """
    a = a if isinstance(a, Tensor) else _lift(a, b if isinstance(b, Tensor) else Tensor(0.0))
    b = _lift(b, a)
    return ops.Where(np.asarray(condition))(a, b)


def concatenate(tensors, axis=0, *, dim=None):
    """Join tensors along an existing axis. ``cat`` is the same function."""
    tensors = [_lift(t, Tensor(0.0)) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    return ops.Concatenate(axis if dim is None else dim)(*tensors)


cat = concatenate


def stack(tensors, axis=0, *, dim=None):
    """Join tensors of one shape along a new axis."""
    tensors = [_lift(t, Tensor(0.0)) for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    return ops.Stack(axis if dim is None else dim)(*tensors)


def pad(x, pad_width, value=0.0):
    """Constant padding as ``numpy.pad``: an int, one (before, after) pair, or one pair per axis.

    >>> sinir.pad(x, ((0, 0), (1, 1)))       # one column of zeros each side
    """
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
    if (widths < 0).any():
        raise ValueError(f"pad: widths must be non-negative, got {pad_width}")
    return ops.Pad(tuple(map(tuple, widths.tolist())), value)(x)


def _flat(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)
