"""The Tensor: an ndarray that remembers how it was made, so that gradients can flow back.

Every differentiable operation is a small class in ``sinir/ops`` with a ``forward`` and a
``backward`` on plain NumPy arrays. Calling an operation on tensors records it (the "graph"),
and ``loss.backward()`` walks that graph once, from the loss back to the leaves, applying the
chain rule (``sinir/autograd.py`` holds the protocol and the walk).

As in PyTorch: ``.grad`` is a Tensor, ``.data`` a detached Tensor sharing memory, ``.numpy()``
the ndarray itself; ``+=``, ``add_`` and the other ``*_`` methods change the tensor in place
(``sinir/tensor_in_place.py``, with PyTorch's rules for them).

>>> x = sinir.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad                      # dy/dx = 2x
tensor([2., 4., 6.])
"""
import numbers

import numpy as np

from .grad_mode import _GradMode
from .return_types import Size
from .tensor_in_place import InPlaceMethods      # add_, +=, x[i] = v, ... (imported before Tensor is defined)
from .tensor_reductions import ReductionMethods  # sum, mean, max, sort, topk, ...

_default_dtype = {"value": np.dtype(np.float32)}


def get_default_dtype():
    """The dtype that floating data becomes unless told otherwise (float32)."""
    return _default_dtype["value"]


def set_default_dtype(dtype):
    """Make ``dtype`` (float32 or float64) the default for new floating tensors and parameters."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"set_default_dtype: only float32 and float64 are supported, got {dtype}")
    _default_dtype["value"] = dtype


# ----- dtypes: PyTorch's promotion rules, in one place ---------------------------------------------

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integer < floating


def promote_types(a, b):
    """The dtype two tensor dtypes combine to (PyTorch's table): the higher category wins whole
    (int64 with float32 is float32, unlike NumPy's float64); within one category the wider type."""
    a, b = np.dtype(a), np.dtype(b)
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _scalar_dtype(value):
    """The dtype a Python (or NumPy) number stands for in promotion: bool, int64 or the default float."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(value, (numbers.Integral, np.integer)):
        return np.dtype(np.int64)
    if isinstance(value, (numbers.Real, np.floating)):
        return get_default_dtype()
    raise TypeError(f"unsupported operand: {type(value).__name__} (expected a Tensor or a number)")


def _combine_categories(higher, lower):
    """PyTorch's rule for mixing dimensioned tensors, 0-dim tensors and numbers: the earlier group
    decides unless a later one is of a higher category (a float number makes an int tensor float)."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """The dtype of an element-wise operation on ``operands`` (Tensors and numbers), PyTorch's rule:

    >>> result_type(float64_tensor, 2.5)        # float64: a number does not widen a tensor
    >>> result_type(int_tensor, 2.5)            # float32: the default floating dtype
    >>> result_type(float32_tensor, float64_tensor)   # float64
    """
    dims = zero_dims = numbers_ = None
    for operand in operands:
        if isinstance(operand, Tensor):
            dtype = operand._data.dtype
            if operand._data.ndim:
                dims = dtype if dims is None else promote_types(dims, dtype)
            else:
                zero_dims = dtype if zero_dims is None else promote_types(zero_dims, dtype)
        else:
            dtype = _scalar_dtype(operand)
            numbers_ = dtype if numbers_ is None else promote_types(numbers_, dtype)
    return _combine_categories(dims, _combine_categories(zero_dims, numbers_))


def _dtype_name(dtype):
    return {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int", "bool": "Bool",
            "uint8": "Byte", "int16": "Short", "int8": "Char", "float16": "Half"}.get(np.dtype(dtype).name,
                                                                                      str(dtype))


def _to_array(data, dtype=None):
    """User data as an ndarray: arrays keep their dtype; Python floats take the default dtype."""
    if isinstance(data, Tensor):
        array = data._data
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        array = np.asarray(_plain(data))
        if dtype is None and array.dtype.kind == "f":
            array = array.astype(get_default_dtype())
    if dtype is not None:
        array = array.astype(np.dtype(dtype), copy=False)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"Tensor: cannot hold data of dtype {array.dtype} (numbers or booleans expected)")
    return array


def _plain(data):
    """Lists may hold tensors (``[t1, t2]``): use their values."""
    if isinstance(data, (list, tuple)):
        return [_plain(d) for d in data]
    if isinstance(data, Tensor):
        return data._data
    return data


def _as_array(data, dtype=None):
    """Older rule, used by ``Parameter`` and batches: floating data takes the default dtype
    unless ``dtype`` is given; integer and boolean data keep theirs."""
    if isinstance(data, Tensor):
        data = data._data
    array = np.asarray(data)
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind == "f":
        return array.astype(get_default_dtype(), copy=False)
    if array.dtype.kind in "iub":
        return array
    raise ValueError(f"Tensor: cannot hold data of dtype {array.dtype}")


class _ElementCount(int):
    """``t.size()`` is PyTorch's ``Size`` (``t.size(0)`` one dimension); ``t.size`` without the call
    still reads as the number of elements, as NumPy's ``a.size`` (kept for older sinir code)."""

    def __call__(self, dim=None):
        shape = self.shape
        if dim is None:
            return Size(shape)
        if not -len(shape) <= dim < max(len(shape), 1):
            raise IndexError(f"size: dimension {dim} is out of range for a tensor of {len(shape)} dimensions")
        return shape[dim]


class Tensor(InPlaceMethods, ReductionMethods):
    """An n-dimensional array with optional gradient tracking, as ``torch.Tensor``.

    The methods that change the tensor itself (``add_``, ``+=``, ``x[i] = v``, ``normal_``, ...)
    and PyTorch's rules for them are in ``sinir/tensor_in_place.py``; the reductions (``sum``,
    ``mean``, ``max``, ``sort``, ``topk``, ...) in ``sinir/tensor_reductions.py``.

    ``Tensor(ndarray)`` shares the array and keeps its dtype; lists and Python floats take the
    default dtype (float32); ``dtype=`` converts.

    >>> w = sinir.Tensor(np.zeros((3, 2)), requires_grad=True)
    >>> w.shape
    sinir.Size([3, 2])
    """

    __slots__ = ("_data", "requires_grad", "_grad", "_ctx", "_counter", "_base", "_hooks", "__weakref__")
    __array_priority__ = 1000  # numpy defers to Tensor's operators: np.float32(2) * t is a Tensor

    def __init__(self, data, requires_grad=False, dtype=None, device=None):
        if device is not None:
            _device.check_device(device, "Tensor")
        self._data = _to_array(data, dtype)
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, got "
                               f"{self._data.dtype}")
        self.requires_grad = bool(requires_grad)
        self._grad = self._ctx = self._base = self._hooks = None
        self._counter = [0]

    @classmethod
    def _make(cls, data, ctx=None):
        """Wrap an array without checks (used by operations on their results)."""
        tensor = object.__new__(Tensor)
        tensor._data = data
        tensor.requires_grad = ctx is not None
        tensor._grad = tensor._base = tensor._hooks = None
        tensor._ctx = ctx
        tensor._counter = [0]
        return tensor

    # ----- storage, gradient, data ------------------------------------------------------
    @property
    def data(self):
        """The same memory as a tensor outside the graph: ``p.data -= lr * p.grad`` updates ``p``
        without recording (PyTorch's ``.data``). Assigning ``p.data = t`` replaces the storage."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else _to_array(value)

    @property
    def grad(self):
        """dE/d(this tensor), a Tensor once a backward reached it (None before)."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is None:
            self._grad = None
            return
        if not isinstance(value, Tensor):
            value = Tensor._make(np.asarray(value))
        if value.shape != self.shape:
            raise RuntimeError(f"assigned grad has data of a different size: {tuple(value.shape)}, "
                               f"the tensor has shape {tuple(self.shape)}")
        if value.dtype != self.dtype:
            raise RuntimeError(f"assigned grad has data of a different type: {value.dtype}, the tensor is "
                               f"{self.dtype}")
        self._grad = value

    @property
    def _version(self):
        """How many times the tensor was changed in place (PyTorch's version counter)."""
        return self._counter[0]

    # ----- what it is -------------------------------------------------------------------
    @property
    def shape(self):
        """The shape, a ``sinir.Size`` (a tuple of ints)."""
        return Size(self._data.shape)

    @property
    def size(self):
        count = _ElementCount(self._data.size)
        count.shape = self._data.shape
        return count

    ndim = property(lambda self: self._data.ndim, doc="The number of dimensions.")
    dtype = property(lambda self: self._data.dtype, doc="The NumPy dtype (sinir.float32, ...).")
    device = property(lambda self: _device.CPU, doc="Always the CPU: sinir computes with NumPy.")
    is_cuda = property(lambda self: False)
    itemsize = property(lambda self: self._data.itemsize, doc="Bytes per element.")
    nbytes = property(lambda self: self._data.nbytes, doc="Bytes of all elements.")

    @property
    def is_leaf(self):
        """True for tensors made by the user (parameters, inputs), not by a recorded operation."""
        return self._ctx is None

    @property
    def grad_fn(self):
        """The operation that made this tensor (its node in the graph), or None for a leaf."""
        return self._ctx

    def numel(self):
        return self._data.size

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def element_size(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="tensor(")
        extras = ""
        if self._data.dtype not in (get_default_dtype(), np.int64, np.bool_):
            extras += f", dtype=sinir.{self._data.dtype}"
        if self._ctx is not None:
            extras += f", grad_fn=<{self._ctx.name()}>"
        elif self.requires_grad:
            extras += ", requires_grad=True"
        return f"tensor({body}{extras})"

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    # ----- Python number protocols --------------------------------------------------------
    def _one_value(self, what):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to {what}")
        return self._data.reshape(()).item()

    def item(self):
        """The value of a one-element tensor as a Python number."""
        return self._one_value("Scalar")

    def __float__(self):
        return float(self._one_value("Scalar"))

    def __int__(self):
        return int(self._one_value("Scalar"))

    def __index__(self):
        if self._data.size != 1 or self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()).item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous "
                               f"(shape {tuple(self._data.shape)}); use .any() or .all()")
        return bool(self._data.reshape(()).item())

    def __format__(self, spec):
        if self._data.size == 1 and self._data.ndim == 0:
            return format(self._data.item(), spec)
        if not spec:
            return repr(self)
        raise TypeError("unsupported format string passed to Tensor.__format__")

    def __complex__(self):
        return complex(self._one_value("Scalar"))

    __hash__ = object.__hash__

    def tolist(self):
        return self._data.tolist()

    # ----- leaving the graph ------------------------------------------------------------
    def numpy(self, force=False):
        """The underlying ndarray, sharing memory (PyTorch's ``.numpy()`` on the CPU).

        Unlike PyTorch, it works on tensors that require grad too (no ``.detach()`` needed): the
        array carries no graph either way."""
        return self._data

    def detach(self):
        """The same data, cut from the graph (no gradient flows through it). Shares memory and
        the version counter, as in PyTorch."""
        tensor = Tensor._make(self._data)
        tensor._counter = self._counter
        return tensor

    def detach_(self):
        if self._base is not None and self._base.requires_grad and _GradMode.enabled:
            raise RuntimeError("detach_: cannot detach a view in place; use detach()")
        self._ctx, self.requires_grad = None, False
        return self

    def requires_grad_(self, requires_grad=True):
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, got "
                               f"{self._data.dtype}")
        if not requires_grad and self._ctx is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to "
                               "use a computed variable in a subgraph that doesn't require differentiation "
                               "use var_no_grad = var.detach().")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this intermediate tensor after backward (to inspect a step)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._ctx is not None:
            self._hook_lists().retains_grad = True
        return self

    @property
    def retains_grad(self):
        return self._hooks is not None and self._hooks.retains_grad

    def _hook_lists(self):
        if self._hooks is None:
            self._hooks = _autograd.TensorHooks()
        return self._hooks

    def register_hook(self, hook):
        """Call ``hook(grad)`` when the gradient with respect to this tensor is complete; a Tensor
        it returns replaces the gradient. Returns a handle whose ``remove()`` takes it off."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = self._hook_lists().pre
        handle = _autograd.RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def register_post_accumulate_grad_hook(self, hook):
        """For a leaf: call ``hook(tensor)`` after its ``.grad`` has been accumulated."""
        if self._ctx is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = self._hook_lists().post
        handle = _autograd.RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    # ----- backward ----------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None, *, grad=None):
        """Backpropagate: accumulate dE/d(leaf) into ``.grad`` of every leaf that requires it.

        ``gradient`` is dE/d(self); it may be left out when self holds one number (dE/dE = 1).
        The graph is freed afterwards unless ``retain_graph=True``; ``create_graph=True`` records
        the backward pass itself, for higher derivatives.
        """
        if grad is not None:
            gradient = grad
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn: "
                               "make an input with requires_grad=True (or use a Parameter) before the "
                               "operations")
        _autograd.backward(self, None if gradient is None else (gradient,), retain_graph, create_graph, inputs)

    # ----- operators: PyTorch's dtype rules, then one operation from sinir.ops -------------------
    def __add__(self, other):
        return _ops.Add()(*_operands(self, other))

    def __radd__(self, other):
        return _ops.Add()(*_operands(self, other)[::-1])

    def __sub__(self, other):
        a, b = _operands(self, other)
        if a._data.dtype == np.bool_:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")
        return _ops.Sub()(a, b)

    def __rsub__(self, other):
        return _ops.Sub()(*_operands(self, other)[::-1])

    def __mul__(self, other):
        return _ops.Mul()(*_operands(self, other))

    def __rmul__(self, other):
        return _ops.Mul()(*_operands(self, other)[::-1])

    def __truediv__(self, other):
        return _ops.Div()(*_operands(self, other, floating=True))

    def __rtruediv__(self, other):
        return _ops.Div()(*_operands(self, other, floating=True)[::-1])

    def __floordiv__(self, other):
        a, b = _operands(self, other)
        return Tensor._make(np.floor_divide(a._data, b._data))

    def __rfloordiv__(self, other):
        a, b = _operands(self, other)
        return Tensor._make(np.floor_divide(b._data, a._data))

    def __mod__(self, other):
        a, b = _operands(self, other)
        return Tensor._make(np.mod(a._data, b._data))

    def __pow__(self, exponent):
        return _ops.Pow()(*_operands(self, exponent))

    def __rpow__(self, base):
        return _ops.Pow()(*_operands(self, base)[::-1])

    def __matmul__(self, other):
        return _ops.MatMul()(*_matmul_operands(self, other))

    def __rmatmul__(self, other):
        return _ops.MatMul()(*_matmul_operands(self, other)[::-1])

    def __neg__(self):
        if self._data.dtype == np.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or `logical_not()` operator")
        return _ops.Neg()(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __invert__(self):
        if self._data.dtype.kind == "f":
            raise TypeError("~ (bitwise not) is only for integer and bool tensors")
        return Tensor._make(~self._data)

    def __and__(self, other):
        return Tensor._make(self._data & _raw(other))

    def __or__(self, other):
        return Tensor._make(self._data | _raw(other))

    def __xor__(self, other):
        return Tensor._make(self._data ^ _raw(other))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    # comparisons give boolean tensors and carry no gradient
    def __lt__(self, other):
        return Tensor._make(np.asarray(self._data < _raw(other)))

    def __le__(self, other):
        return Tensor._make(np.asarray(self._data <= _raw(other)))

    def __gt__(self, other):
        return Tensor._make(np.asarray(self._data > _raw(other)))

    def __ge__(self, other):
        return Tensor._make(np.asarray(self._data >= _raw(other)))

    def __eq__(self, other):
        return Tensor._make(np.asarray(self._data == _raw(other)))

    def __ne__(self, other):
        return Tensor._make(np.asarray(self._data != _raw(other)))

    def eq(self, other):
        return self == other

    def ne(self, other):
        return self != other

    def lt(self, other):
        return self < other

    def le(self, other):
        return self <= other

    def gt(self, other):
        return self > other

    def ge(self, other):
        return self >= other

    def equal(self, other):
        """True when ``other`` has the same shape and values."""
        other = _raw(other)
        return self._data.shape == np.shape(other) and bool((self._data == other).all())

    def any(self, dim=None, keepdim=False):
        return Tensor._make(np.asarray(self._data.any(axis=dim, keepdims=keepdim)))

    def all(self, dim=None, keepdim=False):
        return Tensor._make(np.asarray(self._data.all(axis=dim, keepdims=keepdim)))

    # ----- indexing (x[key] = value is in sinir/tensor_in_place.py) ---------------------
    def __getitem__(self, key):
        return _ops.Index(key)(self)

    # ----- PyTorch's picking, splitting, statistics and product methods: sinir/tensor_functions.py ----
    def split(self, split_size_or_sections, dim=0):
        return _tf.split(self, split_size_or_sections, dim)

    def chunk(self, chunks, dim=0):
        return _tf.chunk(self, chunks, dim)

    def repeat(self, *sizes):
        return _tf.repeat(self, *sizes)

    def gather(self, dim, index, *, sparse_grad=False):
        return _tf.gather(self, dim, index)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return _tf.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        return _tf.scatter_(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return _tf.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim, index, src):
        return _tf.scatter_add_(self, dim, index, src)

    def index_select(self, dim, index):
        return _tf.index_select(self, dim, index)

    def masked_select(self, mask):
        return _tf.masked_select(self, mask)

    def masked_fill(self, mask, value):
        return _tf.masked_fill(self, mask, value)

    def nonzero(self, *, as_tuple=False):
        return _tf.nonzero(self, as_tuple=as_tuple)

    def isnan(self):
        return _tf.isnan(self)

    def isfinite(self):
        return _tf.isfinite(self)

    def isinf(self):
        return Tensor._make(np.isinf(self._data))

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _tf.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return _tf.std(self, dim, unbiased, keepdim, correction=correction)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return _tf.prod(self, dim, keepdim, dtype=dtype)

    def cumsum(self, dim, *, dtype=None):
        return _tf.cumsum(self, dim, dtype=dtype)

    def where(self, condition, other):
        """self where ``condition`` holds, ``other`` elsewhere (``sinir.where(condition, self, other)``)."""
        return _tf.where(condition, self, other)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _tf.allclose(self, other, rtol, atol, equal_nan)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        return Tensor(np.array(_plain(data)), dtype=dtype or self._data.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        return Tensor(np.zeros(_shape_args(size), dtype=dtype or self._data.dtype), requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return Tensor(np.ones(_shape_args(size), dtype=dtype or self._data.dtype), requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        return Tensor(np.full(_shape_args((size,)), fill_value, dtype=dtype or self._data.dtype),
                      requires_grad=requires_grad)

    def __contains__(self, element):
        return bool((self._data == _raw(element)).any())

    # ----- shapes -----------------------------------------------------------------------
    def reshape(self, *shape):
        """The same elements in a new shape; one dimension may be -1."""
        shape = _shape_args(shape)
        size = self._data.size
        known = int(np.prod([n for n in shape if n != -1]))
        unknowns = shape.count(-1)
        if unknowns > 1 or (unknowns == 0 and known != size) or \
                (unknowns == 1 and (known == 0 or size % known)):
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size} "
                               f"(a tensor of shape {tuple(self.shape)})")
        return _ops.Reshape(shape)(self)

    view = reshape

    def view_as(self, other):
        return self.reshape(other.shape)

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        shape = self._data.shape[:start] + (-1,) + self._data.shape[end + 1:]
        return self.reshape(shape)

    def transpose(self, *axes):
        """Swap two axes (``x.transpose(0, 1)``, as PyTorch) or permute all (``x.transpose(2, 0, 1)``,
        as NumPy); with no argument, reverse the axes."""
        axes = _shape_args(axes)
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        elif len(axes) == 2:
            first, second = (a % max(self.ndim, 1) for a in axes)
            order = list(range(self.ndim))
            if self.ndim:
                order[first], order[second] = order[second], order[first]
            axes = tuple(order)
        return self.permute(axes)

    swapaxes = transpose

    def t(self):
        """The matrix transpose (a 0-D or 1-D tensor is returned as is)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.transpose() if self.ndim == 2 else self

    def permute(self, *dims):
        """Reorder the axes: ``x.permute(0, 2, 3, 1)`` turns NCHW into NHWC."""
        dims = _shape_args(dims)
        if sorted(d % max(self.ndim, 1) for d in dims) != list(range(self.ndim)):
            raise ValueError(f"permute: {tuple(dims)} is not a permutation of the {self.ndim} axes "
                             f"of a tensor of shape {tuple(self.shape)}")
        return _ops.Transpose(tuple(d % self.ndim for d in dims))(self)

    @property
    def T(self):
        """The axes reversed (the matrix transpose for 2-D tensors)."""
        return self.transpose()

    @property
    def mT(self):
        return self.transpose(-2, -1)

    def squeeze(self, axis=None, *, dim=None):
        """Remove axes of length 1 (only ``dim`` if given)."""
        axis = dim if axis is None else axis
        shape = self._data.shape
        if axis is None:
            new = tuple(n for n in shape if n != 1)
        elif not shape:
            new = shape
        else:
            axes = {a % self.ndim for a in ((axis,) if isinstance(axis, int) else axis)}
            new = tuple(n for i, n in enumerate(shape) if not (i in axes and n == 1))
        return _ops.Reshape(new)(self)

    def unsqueeze(self, axis=None, *, dim=None):
        """Insert an axis of length 1 at ``dim``."""
        axis = dim if axis is None else axis
        axis = axis % (self.ndim + 1)
        shape = self._data.shape
        return _ops.Reshape(shape[:axis] + (1,) + shape[axis:])(self)

    def expand(self, *shape):
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        shape = _shape_args(shape)
        shape = tuple(old if new == -1 else new
                      for old, new in zip((1,) * (len(shape) - self.ndim) + self._data.shape, shape))
        return _ops.BroadcastTo(shape)(self)

    def expand_as(self, other):
        return self.expand(other.shape)

    def contiguous(self, memory_format=None):
        return self

    def is_contiguous(self, memory_format=None):
        return bool(self._data.flags.c_contiguous)

    def clone(self, memory_format=None):
        """A copy with its own memory; gradients flow back to the original."""
        return _ops.Clone()(self)

    def cpu(self):
        return self

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to('cpu')``, ``to(device, dtype)``, ``to(other_tensor)``; the same tensor
        when nothing changes (PyTorch's rule). Other devices raise: sinir computes on the CPU."""
        dtype, copy = _device.parse_to_args(*args, **kwargs)
        if dtype is None or dtype == self._data.dtype:
            return self.clone() if copy else self
        return _ops.Cast(dtype)(self)

    def type(self, dtype=None, non_blocking=False):
        """``x.type(sinir.float64)`` converts; ``x.type()`` names the type, e.g. 'sinir.FloatTensor'."""
        if dtype is None:
            return f"sinir.{_dtype_name(self._data.dtype)}Tensor"
        return self.to(dtype)

    def type_as(self, other):
        return self.to(other.dtype)

    def astype(self, dtype):
        """NumPy's spelling of ``to(dtype)``."""
        return self.to(dtype)

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def half(self):
        return self.to(np.float16)

    def long(self):
        return self.to(np.int64)

    def int(self):
        return self.to(np.int32)

    def short(self):
        return self.to(np.int16)

    def byte(self):
        return self.to(np.uint8)

    def bool(self):
        return self.to(np.bool_)

    # ----- element-wise functions -------------------------------------------------------------
    def exp(self):
        return _ops.Exp()(_floating(self))

    def log(self):
        return _ops.Log()(_floating(self))

    def sqrt(self):
        return _ops.Sqrt()(_floating(self))

    def abs(self):
        return _ops.Abs()(self)

    def sin(self):
        return _ops.Sin()(_floating(self))

    def cos(self):
        return _ops.Cos()(_floating(self))

    def clamp(self, min=None, max=None):
        """Limit values to [min, max]; the gradient passes only where the value was inside."""
        _check_clamp(min, max)
        return _ops.Clip(_raw(min), _raw(max))(self)

    clip = clamp

    def relu(self):
        return _ops.ReLU()(self)

    def sigmoid(self):
        return _ops.Sigmoid()(_floating(self))

    def tanh(self):
        return _ops.Tanh()(_floating(self))

    def softmax(self, dim=None, dtype=None, *, axis=None):
        """e^x / sum e^x along ``dim``; without it PyTorch's implicit choice (with its warning)."""
        x = self if dtype is None else self.to(dtype)
        dim = _softmax_dim("softmax", self.ndim, dim if axis is None else axis)
        return _ops.Softmax(dim)(_floating(x))

    def log_softmax(self, dim=None, dtype=None, *, axis=None):
        x = self if dtype is None else self.to(dtype)
        dim = _softmax_dim("log_softmax", self.ndim, dim if axis is None else axis)
        return _ops.LogSoftmax(dim)(_floating(x))

    def pow(self, exponent):
        return self ** exponent

    def add(self, other, *, alpha=1):
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other, *, alpha=1):
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other):
        return self * other

    def div(self, other):
        return self / other

    def neg(self):
        return -self

    def matmul(self, other):
        return self @ other

    def mm(self, other):
        if self.ndim != 2 or np.ndim(other) != 2:
            raise RuntimeError(f"mm: both arguments must be matrices, got {self.ndim}-D and {np.ndim(other)}-D")
        return self @ other

    def dot(self, other):
        if self.ndim != 1 or np.ndim(other) != 1:
            raise RuntimeError("1D tensors expected, but got "
                               f"{self.ndim}D and {np.ndim(other)}D tensors")
        return self @ other

    def log1p(self):
        return _tf.log1p(self)

    def tan(self):
        return _tf.tan(self)

    def square(self):
        return self * self

    def outer(self, vec2):
        return _tf.outer(self, vec2)

    def bmm(self, mat2):
        return _tf.bmm(self, mat2)

    def norm(self, p=2, dim=None, keepdim=False):
        """The p-norm (2 by default) over ``dim`` (all elements by default)."""
        x = _floating(self)
        if p == 2 or p == "fro":
            return (x * x).sum(dim, keepdim).sqrt()
        if p == 1:
            return x.abs().sum(dim, keepdim)
        if p in (float("inf"), "inf"):
            return x.abs().amax(dim, keepdim)
        return (x.abs() ** p).sum(dim, keepdim) ** (1.0 / p)


# ----- helpers for the operators ---------------------------------------------------------------

def _cast(tensor, dtype):
    """``tensor`` in ``dtype``: through the Cast operation when it records a gradient."""
    if tensor._data.dtype == dtype:
        return tensor
    if tensor.requires_grad and _GradMode.enabled:
        return _ops.Cast(dtype)(tensor)
    return Tensor._make(tensor._data.astype(dtype))


def _operands(tensor, other, floating=False):
    """(tensor, other), both Tensors of the result dtype of PyTorch's promotion rules (``floating``:
    integer results become the default float, as true division does)."""
    if isinstance(other, Tensor):
        dtype = tensor._data.dtype
        if other._data.dtype is dtype and (dtype.kind == "f" or not floating):
            return tensor, other                                              # the common case, quickly
        dtype = result_type(tensor, other)
        if floating and dtype.kind != "f":
            dtype = get_default_dtype()
        return _cast(tensor, dtype), _cast(other, dtype)
    if isinstance(other, (np.ndarray, list, tuple)):
        return _operands(tensor, Tensor(other), floating)
    dtype = tensor._data.dtype
    kind = dtype.kind
    if type(other) is float and kind == "f" or type(other) is int and kind in "fiu" and not floating:
        return tensor, Tensor._make(np.asarray(other, dtype=dtype))      # the common case, quickly
    dtype = result_type(tensor, other)
    if floating and dtype.kind != "f":
        dtype = get_default_dtype()
    return _cast(tensor, dtype), Tensor._make(np.asarray(other, dtype=dtype))


def _lift(value, like):
    """Make an operand a Tensor; Python numbers take ``like``'s floating dtype (no float64 creep)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(_raw(value))
    if array.dtype.kind == "f" or (array.dtype.kind in "iub" and like._data.dtype.kind == "f"):
        dtype = like._data.dtype if like._data.dtype.kind == "f" else get_default_dtype()
        array = array.astype(dtype, copy=False)
    return Tensor._make(array)


def _matmul_operands(tensor, other):
    other = other if isinstance(other, Tensor) else Tensor(other)
    if tensor._data.dtype != other._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {tensor._data.dtype} != "
                           f"{other._data.dtype} (convert one with .to(dtype), .float() or .double())")
    return tensor, other


def _floating(tensor):
    """Integer and boolean tensors become the default float before exp, log, ... (PyTorch's rule)."""
    if tensor._data.dtype.kind == "f":
        return tensor
    return Tensor._make(tensor._data.astype(get_default_dtype()))


def _check_clamp(low, high):
    if low is None and high is None:
        raise ValueError("clamp: at least one of 'min' or 'max' must not be None")


def _softmax_dim(name, ndim, dim):
    """PyTorch's choice of axis when ``dim`` is left out (deprecated there, with this warning)."""
    if dim is not None:
        return dim
    import warnings
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
                  "dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def _raw(value):
    return value._data if isinstance(value, Tensor) else value


def _raw_key(key):
    if isinstance(key, tuple):
        return tuple(_raw(k) for k in key)
    if isinstance(key, list):
        return np.asarray([_raw(k) for k in key])
    return _raw(key)


def _shape_args(shape):
    """reshape(2, 3) and reshape((2, 3)) both mean (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


from . import ops as _ops  # noqa: E402  (the operations need Tensor defined first)
from . import autograd as _autograd  # noqa: E402
from . import device as _device  # noqa: E402
from . import tensor_functions as _tf  # noqa: E402
