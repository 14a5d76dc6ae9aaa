"""The Tensor: an ndarray that remembers how it was made, so that gradients can flow back.

Every differentiable operation is a small class in ``sinir/ops`` with a ``forward`` and a
``backward`` on plain NumPy arrays. Calling an operation on tensors records it (the "graph"),
and ``loss.backward()`` walks that graph once, from the loss back to the leaves, applying the
chain rule: each operation turns dE/d(output) into dE/d(input) for each of its inputs.

>>> x = sinir.Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad                      # dy/dx = 2x
array([2., 4., 6.], dtype=float32)
"""
import numpy as np

from .grad_mode import _GradMode

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


def _as_array(data, dtype=None):
    """Turn user data into an ndarray: floating data takes the default dtype unless one is given."""
    if isinstance(data, Tensor):
        data = data.data
    array = np.asarray(data)
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind == "f":
        return array.astype(get_default_dtype(), copy=False)
    if array.dtype.kind in "iub":
        return array
    raise ValueError(f"Tensor: cannot hold data of dtype {array.dtype}")


class Tensor:
    """An n-dimensional array with optional gradient tracking.

    Floating data is float32 unless ``dtype`` says otherwise (``dtype=np.float64`` for exact
    gradient checks); integer and boolean data keep their dtype.

    >>> w = sinir.Tensor(np.zeros((3, 2)), requires_grad=True)
    >>> w.shape
    (3, 2)
    """

    __slots__ = ("data", "requires_grad", "grad", "_ctx", "_retains_grad", "__weakref__")
    __array_priority__ = 1000  # numpy defers to Tensor's operators: np.float32(2) * t is a Tensor

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind != "f":
            raise ValueError(
                f"Tensor: only floating tensors can require gradients, got dtype {self.data.dtype}")
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self._ctx = None
        self._retains_grad = False

    @classmethod
    def _make(cls, data, ctx=None):
        """Wrap an array without checks (used by operations on their results)."""
        tensor = object.__new__(Tensor)
        tensor.data = data
        tensor.requires_grad = ctx is not None
        tensor.grad = None
        tensor._ctx = ctx
        tensor._retains_grad = False
        return tensor

    # ----- what it is -------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape, a tuple of ints.")
    ndim = property(lambda self: self.data.ndim, doc="The number of dimensions.")
    dtype = property(lambda self: self.data.dtype, doc="The NumPy dtype.")
    size = property(lambda self: self.data.size, doc="The number of elements.")

    @property
    def is_leaf(self):
        """True for tensors made by the user (parameters, inputs), not by an operation."""
        return self._ctx is None

    @property
    def grad_fn(self):
        """The operation that made this tensor, or None for a leaf."""
        return self._ctx

    def numel(self):
        return self.data.size

    def dim(self):
        return self.data.ndim

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extras = ""
        if self.data.dtype != get_default_dtype():
            extras += f", dtype={self.data.dtype}"
        if self._ctx is not None:
            extras += f", grad_fn={type(self._ctx).__name__}"
        elif self.requires_grad:
            extras += ", requires_grad=True"
        return f"Tensor({body}{extras})"

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    # ----- leaving the graph ------------------------------------------------------------
    def numpy(self):
        """The underlying ndarray (shared, not copied)."""
        return self.data

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item: only one-element tensors convert to a number, got shape {self.shape}")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def detach(self):
        """The same data, cut from the graph (no gradient flows through it)."""
        return Tensor._make(self.data)

    def requires_grad_(self, requires_grad=True):
        if requires_grad and self.data.dtype.kind != "f":
            raise ValueError(f"requires_grad_: tensors of dtype {self.dtype} cannot require gradients")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this intermediate tensor after backward (to inspect a step)."""
        self._retains_grad = True
        return self

    # ----- backward ----------------------------------------------------------------------
    def backward(self, grad=None, retain_graph=False):
        """Backpropagate: accumulate dE/d(leaf) into ``.grad`` of every leaf that requires it.

        ``grad`` is dE/d(self); it may be left out when self holds one number (dE/dE = 1).
        The graph is freed afterwards unless ``retain_graph=True``.
        """
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad; make an input "
                               "with requires_grad=True (or use a Parameter) before the operations")
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward: the tensor has shape {self.shape}; pass grad= "
                                 "(dE/d(tensor), same shape) or reduce it to one number first")
            grad = np.ones_like(self.data)
        else:
            grad = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if grad.shape != self.shape:
                raise ValueError(f"backward: grad has shape {grad.shape}, the tensor has shape {self.shape}")
        _backpropagate(self, grad, retain_graph)

    # ----- operators (each one an operation from sinir.ops) -------------------------------
    def __add__(self, other):
        return _ops.Add()(*_operands(self, other))

    def __radd__(self, other):
        return _ops.Add()(*_operands(self, other)[::-1])

    def __sub__(self, other):
        return _ops.Sub()(*_operands(self, other))

    def __rsub__(self, other):
        return _ops.Sub()(*_operands(self, other)[::-1])

    def __mul__(self, other):
        return _ops.Mul()(*_operands(self, other))

    def __rmul__(self, other):
        return _ops.Mul()(*_operands(self, other)[::-1])

    def __truediv__(self, other):
        return _ops.Div()(*_operands(self, other))

    def __rtruediv__(self, other):
        return _ops.Div()(*_operands(self, other)[::-1])

    def __pow__(self, exponent):
        return _ops.Pow()(*_operands(self, exponent))

    def __rpow__(self, base):
        return _ops.Pow()(*_operands(self, base)[::-1])

    def __matmul__(self, other):
        return _ops.MatMul()(*_operands(self, other))

    def __rmatmul__(self, other):
        return _ops.MatMul()(*_operands(self, other)[::-1])

    def __neg__(self):
        return _ops.Neg()(self)

    def __pos__(self):
        return self

    # comparisons give boolean tensors and carry no gradient
    def __lt__(self, other):
        return Tensor._make(self.data < _raw(other))

    def __le__(self, other):
        return Tensor._make(self.data <= _raw(other))

    def __gt__(self, other):
        return Tensor._make(self.data > _raw(other))

    def __ge__(self, other):
        return Tensor._make(self.data >= _raw(other))

    def __eq__(self, other):
        return Tensor._make(self.data == _raw(other))

    def __ne__(self, other):
        return Tensor._make(self.data != _raw(other))

    __hash__ = object.__hash__

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use .any() or .all()")
        return bool(self.data)

    def __getitem__(self, key):
        return _ops.Index(key)(self)

    def __setitem__(self, key, value):
        if self.requires_grad and _GradMode.enabled:
            raise RuntimeError("cannot assign into a tensor that requires grad while recording a graph; "
                               "wrap the assignment in sinir.no_grad()")
        self.data[_raw_key(key)] = _raw(value)

    def any(self):
        return Tensor._make(np.asarray(self.data.any()))

    def all(self):
        return Tensor._make(np.asarray(self.data.all()))

    # ----- reductions -------------------------------------------------------------------
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Sum over ``axis`` (``dim`` is accepted as in PyTorch); all axes by default."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _ops.Sum(axis, keepdims)(self)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Mean over ``axis``; all axes by default."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _ops.Mean(axis, keepdims)(self)

    def max(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """The largest values over ``axis`` (values only; ``argmax`` gives the positions)."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _ops.Max(axis, keepdims)(self)

    def min(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """The smallest values over ``axis`` (values only; ``argmin`` gives the positions)."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _ops.Min(axis, keepdims)(self)

    def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return Tensor._make(np.argmax(self.data, axis=axis, keepdims=keepdims))

    def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return Tensor._make(np.argmin(self.data, axis=axis, keepdims=keepdims))

    # ----- shapes -----------------------------------------------------------------------
    def reshape(self, *shape):
        """The same elements in a new shape; one dimension may be -1."""
        shape = _shape_args(shape)
        known = int(np.prod([n for n in shape if n != -1]))
        unknowns = shape.count(-1)
        if unknowns > 1 or (unknowns == 0 and known != self.size) or \
                (unknowns == 1 and (known == 0 or self.size % known)):
            raise ValueError(f"reshape: cannot reshape a tensor of shape {self.shape} "
                             f"({self.size} elements) into {shape}")
        return _ops.Reshape(shape)(self)

    view = reshape

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        shape = self.shape[:start] + (-1,) + self.shape[end + 1:]
        return self.reshape(shape)

    def transpose(self, *axes):
        """Swap two axes (``x.transpose(0, 1)``, as PyTorch) or permute all (``x.transpose(2, 0, 1)``,
        as NumPy); with no argument, reverse the axes."""
        axes = _shape_args(axes)
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        elif len(axes) == 2:
            first, second = (a % self.ndim for a in axes)
            order = list(range(self.ndim))
            order[first], order[second] = order[second], order[first]
            axes = tuple(order)
        return self.permute(axes)

    def permute(self, *dims):
        """Reorder the axes: ``x.permute(0, 2, 3, 1)`` turns NCHW into NHWC."""
        dims = _shape_args(dims)
        if sorted(d % max(self.ndim, 1) for d in dims) != list(range(self.ndim)):
            raise ValueError(f"permute: {tuple(dims)} is not a permutation of the {self.ndim} axes "
                             f"of a tensor of shape {self.shape}")
        return _ops.Transpose(tuple(d % self.ndim for d in dims))(self)

    @property
    def T(self):
        """The axes reversed (the matrix transpose for 2-D tensors)."""
        return self.transpose()

    def squeeze(self, axis=None, *, dim=None):
        """Remove axes of length 1 (only ``axis`` if given)."""
        axis = dim if axis is None else axis
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axis = axis % self.ndim
            shape = self.shape if self.shape[axis] != 1 else self.shape[:axis] + self.shape[axis + 1:]
        return _ops.Reshape(shape)(self)

    def unsqueeze(self, axis=None, *, dim=None):
        """Insert an axis of length 1 at ``axis``."""
        axis = dim if axis is None else axis
        axis = axis % (self.ndim + 1)
        return _ops.Reshape(self.shape[:axis] + (1,) + self.shape[axis:])(self)

    def expand(self, *shape):
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        shape = _shape_args(shape)
        shape = tuple(old if new == -1 else new
                      for old, new in zip((1,) * (len(shape) - self.ndim) + self.shape, shape))
        return _ops.BroadcastTo(shape)(self)

    # ----- element-wise functions -------------------------------------------------------------
    def exp(self):
        return _ops.Exp()(self)

    def log(self):
        return _ops.Log()(self)

    def sqrt(self):
        return _ops.Sqrt()(self)

    def abs(self):
        return _ops.Abs()(self)

    def clip(self, min=None, max=None):
        """Limit values to [min, max]; the gradient passes only where the value was inside."""
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        return _ops.Clip(min, max)(self)

    clamp = clip

    def relu(self):
        return _ops.ReLU()(self)

    def sigmoid(self):
        return _ops.Sigmoid()(self)

    def tanh(self):
        return _ops.Tanh()(self)

    def softmax(self, axis=-1, *, dim=None):
        return _ops.Softmax(axis if dim is None else dim)(self)

    def log_softmax(self, axis=-1, *, dim=None):
        return _ops.LogSoftmax(axis if dim is None else dim)(self)

    def pow(self, exponent):
        return self ** exponent

    def matmul(self, other):
        return self @ other

    # ----- dtype --------------------------------------------------------------------------
    def astype(self, dtype):
        """A copy in another dtype; gradients flow back in the original dtype."""
        dtype = np.dtype(dtype)
        if dtype == self.dtype:
            return self
        return _ops.Cast(dtype)(self)

    to = astype

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def long(self):
        return Tensor._make(self.data.astype(np.int64))


# ----- the backward walk ---------------------------------------------------------------------

def _topological_order(root):
    """Tensors reachable from ``root`` that need gradients, each after all of its inputs.

    An explicit stack instead of recursion, so that a chain of 10,000 operations is fine.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        stack.append((tensor, True))
        if tensor._ctx is not None:
            for parent in tensor._ctx.inputs:
                if parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
    return order


def _backpropagate(root, grad, retain_graph):
    """Walk the graph once in reverse topological order, applying each operation's backward."""
    pending = {id(root): grad}  # dE/d(tensor), summed over every path that reaches it
    for tensor in reversed(_topological_order(root)):
        grad = pending.pop(id(tensor), None)
        if grad is None:
            continue
        if tensor._ctx is None or tensor._retains_grad:
            _accumulate_into_grad(tensor, grad)
        function = tensor._ctx
        if function is None:
            continue
        if function.released:
            raise RuntimeError("backward through a part of the graph that an earlier backward already "
                               "freed; call the first backward(retain_graph=True) to go through it twice")
        input_grads = function.backward(grad)
        for parent, parent_grad in zip(function.inputs, input_grads):
            if parent_grad is None or not parent.requires_grad:
                continue
            key = id(parent)
            if key in pending:
                pending[key] = pending[key] + parent_grad
            else:
                pending[key] = parent_grad
        if not retain_graph:
            function.release()


def _accumulate_into_grad(tensor, grad):
    """``tensor.grad += grad``: gradients add up across backward calls until zeroed."""
    if tensor.grad is None:
        tensor.grad = np.array(grad, dtype=tensor.dtype, copy=True)
    else:
        tensor.grad += grad



# ----- helpers for the operators ---------------------------------------------------------------

def _lift(value, like):
    """Make an operand a Tensor; Python numbers take ``like``'s floating dtype (no float64 creep)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if array.dtype.kind == "f" or (array.dtype.kind in "iub" and like.data.dtype.kind == "f"):
        dtype = like.data.dtype if like.data.dtype.kind == "f" else get_default_dtype()
        array = array.astype(dtype, copy=False)
    return Tensor._make(array)


def _operands(tensor, other):
    """(tensor, other as a Tensor); an integer side takes the floating side's dtype, as in PyTorch."""
    other = _lift(other, tensor)
    kinds = tensor.data.dtype.kind, other.data.dtype.kind
    if kinds[0] != "f" and kinds[1] == "f":
        tensor = Tensor._make(tensor.data.astype(other.data.dtype))
    elif kinds[0] == "f" and kinds[1] != "f":
        other = Tensor._make(other.data.astype(tensor.data.dtype))
    return tensor, other


def _raw(value):
    return value.data if isinstance(value, Tensor) else value


def _raw_key(key):
    if isinstance(key, tuple):
        return tuple(_raw(k) for k in key)
    return _raw(key)


def _axis_args(axis, keepdims, dim, keepdim):
    """Accept NumPy's (axis, keepdims) and PyTorch's (dim, keepdim) spellings."""
    if dim is not None:
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    if isinstance(axis, list):
        axis = tuple(axis)
    return axis, bool(keepdims)


def _shape_args(shape):
    """reshape(2, 3) and reshape((2, 3)) both mean (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


from . import ops as _ops  # noqa: E402  (the operations need Tensor defined first)
