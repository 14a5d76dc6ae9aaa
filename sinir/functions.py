"""Functions that make tensors or combine several: tensor, zeros, randn, where, cat, max, ...

Factories follow PyTorch: floating results take ``dtype`` (default float32), ``device`` may be
'cpu' (anything else raises: sinir computes on the CPU), ``requires_grad`` marks a leaf.
"""
import numpy as np

from . import ops
from .device import check_device
from .random import default_generator
from .tensor import Tensor, _lift, _operands, _raw, get_default_dtype, result_type  # noqa: F401


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new tensor (a copy) from a list, a number, an array or a tensor. NumPy arrays keep their
    dtype; Python floats become the default float32; integers int64.

    >>> sinir.tensor([[1, 2], [3, 4.5]])
    """
    check_device(device, "tensor")
    if isinstance(data, Tensor):
        data = data._data
    made = Tensor(data, requires_grad=False, dtype=dtype)
    made._data = np.array(made._data, copy=True)
    return made.requires_grad_(requires_grad) if requires_grad else made


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory when it already is an array of that dtype."""
    check_device(device, "as_tensor")
    if isinstance(data, Tensor) and (dtype is None or np.dtype(dtype) == data.dtype):
        return data
    return Tensor(data, dtype=dtype)


def _float_dtype(dtype):
    return np.dtype(dtype) if dtype is not None else get_default_dtype()


def _new(array, requires_grad, device, name):
    check_device(device, name)
    return Tensor(array, requires_grad=requires_grad)


def zeros(*shape, dtype=None, device=None, requires_grad=False):
    return _new(np.zeros(_flat(shape), dtype=_float_dtype(dtype)), requires_grad, device, "zeros")


def ones(*shape, dtype=None, device=None, requires_grad=False):
    return _new(np.ones(_flat(shape), dtype=_float_dtype(dtype)), requires_grad, device, "ones")


def empty(*shape, dtype=None, device=None, requires_grad=False):
    return _new(np.empty(_flat(shape), dtype=_float_dtype(dtype)), requires_grad, device, "empty")


def full(shape, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor of ``shape`` filled with ``fill_value``; its dtype follows the value (bool, int64,
    default float) unless ``dtype`` says otherwise, as in PyTorch."""
    if dtype is None:
        dtype = result_type(_raw(fill_value))
    return _new(np.full(_flat((shape,)), _raw(fill_value), dtype=dtype), requires_grad, device, "full")


def _like(t, dtype):
    return np.dtype(dtype) if dtype is not None else np.asarray(t).dtype


def zeros_like(t, dtype=None, device=None, requires_grad=False):
    return _new(np.zeros(np.shape(t), dtype=_like(t, dtype)), requires_grad, device, "zeros_like")


def ones_like(t, dtype=None, device=None, requires_grad=False):
    return _new(np.ones(np.shape(t), dtype=_like(t, dtype)), requires_grad, device, "ones_like")


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    return _new(np.full(np.shape(t), _raw(fill_value), dtype=_like(t, dtype)), requires_grad, device,
                "full_like")


def empty_like(t, dtype=None, device=None, requires_grad=False):
    return zeros_like(t, dtype, device, requires_grad)


def randn(*shape, dtype=None, device=None, requires_grad=False, generator=None):
    """Standard normal samples from sinir's seeded generator."""
    rng = generator if generator is not None else default_generator()
    data = rng.standard_normal(_flat(shape)).astype(_float_dtype(dtype))
    return _new(data, requires_grad, device, "randn")


def rand(*shape, dtype=None, device=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1) from sinir's seeded generator."""
    rng = generator if generator is not None else default_generator()
    data = rng.random(_flat(shape)).astype(_float_dtype(dtype))
    return _new(data, requires_grad, device, "rand")


def randn_like(t, dtype=None, device=None, requires_grad=False):
    return randn(*np.shape(t), dtype=dtype or np.asarray(t).dtype, device=device, requires_grad=requires_grad)


def rand_like(t, dtype=None, device=None, requires_grad=False):
    return rand(*np.shape(t), dtype=dtype or np.asarray(t).dtype, device=device, requires_grad=requires_grad)


def randint(low, high=None, size=None, dtype=None, device=None, generator=None):
    """Integers uniformly from [low, high) (``randint(high, size)`` starts at 0), int64."""
    if size is None:
        low, high, size = 0, low, high
    rng = generator if generator is not None else default_generator()
    data = rng.integers(low, high, _flat((size,)))
    return _new(data.astype(dtype or np.int64), False, device, "randint")


def randperm(n, dtype=None, device=None, generator=None):
    rng = generator if generator is not None else default_generator()
    return _new(rng.permutation(n).astype(dtype or np.int64), False, device, "randperm")


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Numbers from start (0) up to end, ``step`` apart: int64 when all three are integers, else the
    default float."""
    if end is None:
        start, end = 0, start
    start, end, step = (_raw(v) for v in (start, end, step))
    if dtype is None:
        integral = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (start, end, step))
        dtype = np.int64 if integral else get_default_dtype()
    return _new(np.arange(start, end, step).astype(dtype), requires_grad, device, "arange")


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _new(np.linspace(_raw(start), _raw(end), steps).astype(_float_dtype(dtype)), requires_grad, device,
                "linspace")


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device, "eye")


def from_numpy(array):
    """A tensor that shares memory with ``array`` and keeps its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    return Tensor._make(array)


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(t):
    return t.numel()


def where(condition, a=None, b=None):
    """Element-wise choice: ``a`` where ``condition`` holds, else ``b``; gradients flow to both.
    With the condition alone, the indices where it holds (as ``nonzero(as_tuple=True)``).

    >>> sinir.where(x > 0, x, 0.01 * x)     # a leaky ReLU
    """
    condition = np.asarray(_raw(condition), dtype=bool)
    if a is None and b is None:
        return tuple(Tensor._make(i) for i in np.nonzero(condition))
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = Tensor(a)
    if isinstance(a, Tensor):
        a, b = _operands(a, b)
    else:
        b, a = _operands(b, a)
    return ops.Where(condition)(a, b)


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


# ----- reductions and their PyTorch return types ----------------------------------------------------

def max(input, dim=None, keepdim=False, *, out=None):
    """``max(x)`` the largest value; ``max(x, dim)`` (values, indices); ``max(a, b)`` element-wise."""
    return input.max(dim, keepdim)


def min(input, dim=None, keepdim=False, *, out=None):
    """``min(x)`` the smallest value; ``min(x, dim)`` (values, indices); ``min(a, b)`` element-wise."""
    return input.min(dim, keepdim)


def maximum(a, b):
    return a.maximum(b)


def minimum(a, b):
    return a.minimum(b)


def sort(input, dim=-1, descending=False, stable=False):
    return input.sort(dim, descending, stable)


def topk(input, k, dim=-1, largest=True, sorted=True):
    return input.topk(k, dim, largest, sorted)


def kthvalue(input, k, dim=-1, keepdim=False):
    return input.kthvalue(k, dim, keepdim)


def median(input, dim=None, keepdim=False):
    return input.median(dim, keepdim)


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return input.argmin(dim, keepdim)


def sum(input, dim=None, keepdim=False, *, dtype=None):
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    return input.mean(dim, keepdim, dtype=dtype)


def softmax(input, dim=None, dtype=None):
    return input.softmax(dim, dtype)


def log_softmax(input, dim=None, dtype=None):
    return input.log_softmax(dim, dtype)


def matmul(a, b):
    return a @ b


def mm(a, b):
    return a.mm(b)


def clamp(input, min=None, max=None):
    return input.clamp(min, max)


clip = clamp


def exp(x):
    return x.exp()


def log(x):
    return x.log()


def sqrt(x):
    return x.sqrt()


def sin(x):
    return x.sin()


def cos(x):
    return x.cos()


def abs(x):
    return x.abs()


def tanh(x):
    return x.tanh()


def sigmoid(x):
    return x.sigmoid()


def relu(x):
    return x.relu()


def flatten(x, start_dim=0, end_dim=-1):
    return x.flatten(start_dim, end_dim)


def reshape(x, shape):
    return x.reshape(shape)


def transpose(x, dim0, dim1):
    return x.transpose(dim0, dim1)


def permute(x, dims):
    return x.permute(dims)


def squeeze(x, dim=None):
    return x.squeeze(dim)


def unsqueeze(x, dim):
    return x.unsqueeze(dim)


def clone(x):
    return x.clone()


def equal(a, b):
    return a.equal(b)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def norm(x, p=2, dim=None, keepdim=False):
    return x.norm(p, dim, keepdim)


def _flat(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)
