"""The reductions of Tensor: sum, mean, max / min, argmax / argmin, sort, topk, kthvalue, median.

``Tensor`` (``sinir/tensor.py``) inherits them from ``ReductionMethods``. Each checks its
arguments and calls one operation from ``sinir/ops`` (``reduction.py``: Sum, Mean, Max, Min,
TakeAlongAxis), whose backward carries the maths. As in PyTorch:

* NumPy's spelling ``sum(axis=0, keepdims=True)`` and PyTorch's ``sum(dim=0, keepdim=True)`` both
  work; without a dimension the whole tensor is reduced.
* ``x.max()`` is a 0-d tensor, ``x.max(dim)`` the named tuple ``(values, indices)``
  (``sinir.return_types.max``), and ``x.max(other)`` the element-wise maximum.
* ``sort``, ``topk``, ``kthvalue``, ``median`` (and ``max`` / ``min`` along a dimension) find
  indices with NumPy, then take the values at those indices with TakeAlongAxis, so that the
  gradient flows back to exactly the elements chosen (dE/dx is dE/dvalues put back at indices).

>>> scores = sinir.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
>>> scores.max(dim=1)
max(values=tensor([0.7, 0.5]), indices=tensor([1, 0]))
"""
import numpy as np

from . import return_types
# tensor.py imports this file before it defines Tensor, so its names (Tensor, the operations _ops,
# ...) are read from the module when a method runs, not imported here.
from . import tensor as _tensor


class ReductionMethods:
    """The methods of Tensor that reduce it along dimensions (PyTorch's names and return types)."""

    __slots__ = ()  # Tensor keeps its __slots__ (no per-tensor __dict__)

    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None, dtype=None):
        """Sum over ``dim`` (NumPy's ``axis`` is accepted too); all axes by default. Integer and
        boolean tensors sum to int64, as in PyTorch."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        x = self
        if dtype is not None:
            x = x.to(dtype)
        elif x._data.dtype.kind in "biu":
            x = _tensor.Tensor._make(x._data.astype(np.int64))
        return _tensor._ops.Sum(axis, keepdims)(x)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None, dtype=None):
        """Mean over ``dim``; all axes by default. Integer tensors raise, as in PyTorch."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind != "f":
            raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating "
                               f"point or complex dtype. Got: {_tensor._dtype_name(x._data.dtype)}")
        return _tensor._ops.Mean(axis, keepdims)(x)

    def _extreme(self, kind, axis, keepdims, dim, keepdim):
        other = axis if isinstance(axis, _tensor.Tensor) else None
        if other is not None:
            a, b = _tensor._operands(self, other)
            return (_tensor._ops.Maximum() if kind == "max" else _tensor._ops.Minimum())(a, b)
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        if axis is None:
            return (_tensor._ops.Max if kind == "max" else _tensor._ops.Min)(None, False)(self)
        if self._data.size == 0:
            raise IndexError(f"{kind}(): cannot reduce an empty tensor of shape {tuple(self.shape)}")
        finder = np.argmax if kind == "max" else np.argmin
        indices = finder(self._data, axis=_single_axis(axis, self.ndim, kind), keepdims=True)
        return self._gather_result(kind, indices, axis, keepdims)

    def _gather_result(self, kind, indices, axis, keepdims):
        """(values, indices) named tuple, the values taken at ``indices`` (kept axis) with a gradient."""
        axis = _single_axis(axis, self.ndim, kind)
        values = _tensor._ops.TakeAlongAxis(indices, axis)(self)
        if not keepdims and self.ndim:
            values = values.squeeze(axis)
            indices = np.squeeze(indices, axis=axis)
        return getattr(return_types, kind)(values, _tensor.Tensor._make(np.asarray(indices, dtype=np.int64)))

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """``x.max()`` the largest value (a tensor); ``x.max(dim)`` the named tuple (values, indices);
        ``x.max(other)`` the element-wise maximum, as in PyTorch."""
        return self._extreme("max", dim if axis is None else axis, keepdim if keepdims is None else keepdims,
                             None, None)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """``x.min()`` the smallest value; ``x.min(dim)`` (values, indices); ``x.min(other)`` element-wise."""
        return self._extreme("min", dim if axis is None else axis, keepdim if keepdims is None else keepdims,
                             None, None)

    def maximum(self, other):
        return _tensor._ops.Maximum()(*_tensor._operands(self, other))

    def minimum(self, other):
        return _tensor._ops.Minimum()(*_tensor._operands(self, other))

    def amax(self, dim=None, keepdim=False):
        return _tensor._ops.Max(_axis_args(dim, keepdim, None, None)[0], keepdim)(self)

    def amin(self, dim=None, keepdim=False):
        return _tensor._ops.Min(_axis_args(dim, keepdim, None, None)[0], keepdim)(self)

    def argmax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _axis_args(axis, bool(keepdims), dim, keepdim)
        indices = np.argmax(self._data, axis=axis, keepdims=keepdims and axis is not None)
        return _tensor.Tensor._make(np.asarray(indices, dtype=np.int64))

    def argmin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _axis_args(axis, bool(keepdims), dim, keepdim)
        indices = np.argmin(self._data, axis=axis, keepdims=keepdims and axis is not None)
        return _tensor.Tensor._make(np.asarray(indices, dtype=np.int64))

    def sort(self, dim=-1, descending=False, stable=False):
        """(values, indices) sorted along ``dim``."""
        dim = _single_axis(dim, self.ndim, "sort")
        order = np.argsort(-self._data if descending else self._data, axis=dim, kind="stable")
        return self._gather_result("sort", order, dim, True)

    def argsort(self, dim=-1, descending=False, stable=False):
        return self.sort(dim, descending, stable).indices

    def topk(self, k, dim=-1, largest=True, sorted=True):
        """The k largest (or smallest) values along ``dim`` and where they were."""
        dim = _single_axis(dim, self.ndim, "topk")
        if not 0 <= k <= (self._data.shape[dim] if self.ndim else 1):
            raise RuntimeError(f"topk: k ({k}) is out of range for dimension {dim} of shape {tuple(self.shape)}")
        order = np.argsort(-self._data if largest else self._data, axis=dim, kind="stable")
        order = np.take(order, np.arange(k), axis=dim) if self.ndim else order
        return self._gather_result("topk", order, dim, True)

    def kthvalue(self, k, dim=-1, keepdim=False):
        """The k-th smallest value along ``dim`` (k counts from 1) and its index."""
        dim = _single_axis(dim, self.ndim, "kthvalue")
        n = self._data.shape[dim] if self.ndim else 1
        if not 1 <= k <= n:
            raise RuntimeError(f"kthvalue(): selected number k ({k}) out of range for dimension {dim} of size {n}")
        order = np.argsort(self._data, axis=dim, kind="stable")
        index = np.take(order, [k - 1], axis=dim) if self.ndim else order
        return self._gather_result("kthvalue", index, dim, keepdim)

    def median(self, dim=None, keepdim=False):
        """The lower median (PyTorch's: no averaging of the two middle values); with ``dim`` the
        named tuple (values, indices)."""
        if dim is None:
            flat = self.reshape(-1)
            index = np.argsort(flat._data, kind="stable")[(flat._data.size - 1) // 2]
            return flat[int(index)]
        dim = _single_axis(dim, self.ndim, "median")
        n = self._data.shape[dim] if self.ndim else 1
        order = np.argsort(self._data, axis=dim, kind="stable")
        index = np.take(order, [(n - 1) // 2], axis=dim) if self.ndim else order
        return self._gather_result("median", index, dim, keepdim)


# ----- helpers: only the reductions use them ----------------------------------------------------

def _single_axis(axis, ndim, name):
    """``axis`` (an int or a one-element list) as a non-negative dimension of an ``ndim``-D tensor."""
    if isinstance(axis, (tuple, list)):
        if len(axis) != 1:
            raise ValueError(f"{name}: expected one dimension, got {axis}")
        axis = axis[0]
    axis = int(axis)
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise IndexError(f"{name}: dimension {axis} is out of range for a tensor of {ndim} dimensions")
    return axis % max(ndim, 1) if ndim else 0


def _axis_args(axis, keepdims, dim, keepdim):
    """Accept NumPy's (axis, keepdims) and PyTorch's (dim, keepdim) spellings."""
    if dim is not None:
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    if isinstance(axis, list):
        axis = tuple(axis)
    return axis, bool(keepdims)
