"""PyTorch's functions for picking, splitting, testing and summarising tensors, and more products:
split, chunk, gather, scatter, index_select, masked_select, nonzero, isnan, var, std, prod, cumsum,
log1p, tan, bmm, outer, einsum, ... with PyTorch's names, arguments and return types.

Each function checks its arguments here, once, and then calls one operation from ``sinir/ops``
(``indexing.py``, ``statistics.py``, ``products.py``, ``more_elementwise.py``), whose backward
carries the maths. The Tensor methods of the same names call these functions.

Errors: a dimension out of range or an index outside the tensor raises IndexError; a wrong
dtype RuntimeError with PyTorch's message; any other bad argument or shape ValueError (PyTorch
raises RuntimeError for most of these).
"""
import numpy as np

from .tensor import Tensor, get_default_dtype, result_type
from .functions import where, allclose  # noqa: F401  (Tensor.where and Tensor.allclose call them)
from .ops.indexing import Gather, Scatter, ScatterAdd, IndexSelect, MaskedSelect, Repeat
from .ops.statistics import Var, Std, Prod
from .ops.reduction import CumSum
from .ops.products import Bmm, Outer, Einsum, parse_equation
from .ops.more_elementwise import Log1p, Tan
from .ops.elementwise import Where


# ----- checks shared by the functions below --------------------------------------------------------

def _check_tensor(value, name, what="input"):
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}(): argument '{what}' must be a Tensor, not {type(value).__name__}")
    return value


def _dim(dim, ndim, name):
    """``dim`` as a non-negative axis; PyTorch's IndexError when out of range (a 0-d tensor
    accepts 0 and -1)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}(): dim must be an int, got {type(dim).__name__}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"{name}(): Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return int(dim) % n


def _dims(dim, ndim, name):
    """None (all axes) or a sorted tuple of non-negative axes, from an int, a tuple or a list."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool) else tuple(dim)
    axes = tuple(sorted({_dim(d, ndim, name) for d in dims}))
    if len(axes) != len(dims):
        raise ValueError(f"{name}(): dim {tuple(dims)} names an axis twice")
    return None if not axes or ndim == 0 else axes


def _index_array(index, name, what="index"):
    """The ndarray of an integer index tensor (PyTorch's RuntimeError for other dtypes)."""
    _check_tensor(index, name, what)
    array = index.numpy()
    if array.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for {what}, got {array.dtype}")
    return array.astype(np.int64, copy=False)


def _floating(tensor):
    """Integer and boolean tensors become the default float first (PyTorch's rule for log1p, tan)."""
    if tensor.dtype.kind == "f":
        return tensor
    return Tensor._make(tensor.numpy().astype(get_default_dtype()))


def _along_dim(name, input, dim, index, src=None):
    """Check gather/scatter arguments: (axis, index ndarray). ``index`` must have input's number of
    dimensions, be no larger than input off ``dim`` (and no larger than ``src`` anywhere), and
    hold positions 0 <= i < input.size(dim)."""
    _check_tensor(input, name)
    dim = _dim(dim, input.ndim, name)
    index = _index_array(index, name)
    shape = tuple(input.shape) or (1,)
    if index.ndim != input.ndim:
        raise ValueError(f"{name}(): Index tensor must have the same number of dimensions as input tensor "
                         f"(index shape {index.shape}, input shape {tuple(input.shape)})")
    index = index.reshape(index.shape or (1,))
    for d, (m, n) in enumerate(zip(index.shape, shape)):
        if d != dim and m > n:
            raise ValueError(f"{name}(): Size does not match at dimension {d}: expected index {list(index.shape)} "
                             f"to be no larger than self {list(input.shape)} apart from dimension {dim}")
    if src is not None and src.ndim != input.ndim:
        raise ValueError(f"{name}(): Index tensor must have the same number of dimensions as src tensor "
                         f"(index shape {tuple(index.shape)}, src shape {tuple(src.shape)})")
    if src is not None and any(m > n for m, n in zip(index.shape, tuple(src.shape) or (1,))):
        raise ValueError(f"{name}(): Expected index {list(index.shape)} to be no larger than src "
                         f"{list(src.shape)} in every dimension")
    outside = index[(index < 0) | (index >= shape[dim])]
    if outside.size:
        raise IndexError(f"{name}(): index {outside[0]} is out of bounds for dimension {dim} with size {shape[dim]}")
    return dim, index


def _as_1d(tensor):
    """A 0-d tensor as one element along a new axis (gather, scatter and cumsum treat it so)."""
    return tensor.reshape(1) if tensor.ndim == 0 else tensor


def _back_to(result, like):
    return result.reshape(()) if like.ndim == 0 else result


# ----- splitting and repeating -------------------------------------------------------------------

def split(tensor, split_size_or_sections, dim=0):
    """Cut ``tensor`` into pieces along ``dim``: of ``split_size`` each (the last may be smaller),
    or of the given list of sizes. Returns a tuple of views; gradients flow back to ``tensor``.

    >>> [p.shape for p in sinir.split(sinir.arange(5), 2)]
    [sinir.Size([2]), sinir.Size([2]), sinir.Size([1])]
    >>> sinir.split(x, [1, 4], dim=1)      # x of shape (3, 5): pieces (3, 1) and (3, 4)
    """
    _check_tensor(tensor, "split", "tensor")
    if tensor.ndim == 0:
        raise ValueError("split(): expects at least a 1-dimensional tensor")
    dim = _dim(dim, tensor.ndim, "split")
    n = tensor.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes) or sum(sizes) != n:
            raise ValueError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                             f"dimension {dim}), but got split_sizes={sizes}")
    else:
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n > 0):
            raise ValueError(f"split(): split_size must be positive (0 only for an empty dimension), got {size} "
                             f"for dimension {dim} of size {n}")
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
    starts = np.cumsum([0] + sizes)
    before = (slice(None),) * dim
    return tuple(tensor[before + (slice(int(a), int(b)),)] for a, b in zip(starts[:-1], starts[1:]))


def chunk(input, chunks, dim=0):
    """Cut ``input`` into ``chunks`` pieces of equal size along ``dim`` (the last may be smaller,
    and there may be fewer pieces, as in PyTorch: 6 elements in 4 chunks are 3 pieces of 2).

    >>> [p.shape for p in sinir.chunk(sinir.arange(5), 3)]
    [sinir.Size([2]), sinir.Size([2]), sinir.Size([1])]
    """
    _check_tensor(input, "chunk")
    if int(chunks) <= 0:
        raise ValueError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if input.ndim == 0:
        raise ValueError("chunk(): expects at least a 1-dimensional tensor")
    n = input.shape[_dim(dim, input.ndim, "chunk")]
    if n == 0:
        return split(input, [0] * int(chunks), dim)
    return split(input, -(-n // int(chunks)), dim)


def repeat(input, *sizes):
    """``input`` tiled ``sizes[d]`` times along each axis d; more sizes than axes add leading axes
    (PyTorch's ``x.repeat``; NumPy's ``tile``).

    >>> sinir.tensor([1, 2]).repeat(2, 2)
    tensor([[1, 2, 1, 2],
            [1, 2, 1, 2]])
    """
    _check_tensor(input, "repeat")
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < input.ndim:
        raise ValueError(f"repeat(): Number of dimensions of repeat dims ({len(sizes)}) can not be smaller than "
                         f"number of dimensions of tensor ({input.ndim})")
    if any(s < 0 for s in sizes):
        raise ValueError(f"repeat(): repeats must be non-negative, got {list(sizes)}")
    return Repeat(sizes)(input)


# ----- picking and placing by index --------------------------------------------------------------

def gather(input, dim, index, *, sparse_grad=False):
    """The values of ``input`` along ``dim`` at ``index``: out[i][j] = input[i][index[i][j]] for
    dim=1. ``index`` has input's number of dimensions; the result has index's shape.

    >>> sinir.gather(sinir.tensor([[1., 2.], [3., 4.]]), 1, sinir.tensor([[0, 0], [1, 0]]))
    tensor([[1., 1.],
            [4., 3.]])
    """
    axis, positions = _along_dim("gather", input, dim, index)
    return _back_to(Gather(axis, positions)(_as_1d(input)), index)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of ``input`` with ``src``'s values written along ``dim`` at ``index``:
    out[i][index[i][j]] = src[i][j] for dim=1. ``src`` may be a number (or pass ``value=``).
    Where ``index`` names a position twice, which value wins is not defined (as in PyTorch).

    >>> sinir.scatter(sinir.zeros(2, 3), 1, sinir.tensor([[2], [0]]), 1.0)   # one-hot rows
    tensor([[0., 0., 1.],
            [1., 0., 0.]])
    """
    return _scatter(input, dim, index, src, value, reduce, "scatter")


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added along ``dim`` at ``index``:
    out[i][index[i][j]] += src[i][j] for dim=1; positions named twice get both values.

    >>> sinir.scatter_add(sinir.zeros(3), 0, sinir.tensor([0, 2, 0]), sinir.tensor([1., 2., 3.]))
    tensor([4., 0., 2.])
    """
    operation, others = _scatter_add_operation(input, dim, index, src, "scatter_add")
    return _back_to(operation(_as_1d(input), *others), input)


def _scatter_operation(input, dim, index, src, value, reduce, name):
    """(the Scatter operation, its other inputs) after checking the arguments."""
    if reduce is not None:
        raise ValueError(f"{name}(): reduce={reduce!r} is not supported by sinir; use scatter_add for sums")
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src
    if (src is None) == (value is None):
        raise ValueError(f"{name}(): give exactly one of src (a tensor) and value (a number)")
    if src is not None and src.dtype != input.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype ({input.dtype} != {src.dtype})")
    axis, positions = _along_dim(name, input, dim, index, src)
    if src is None:
        return Scatter(axis, positions, value), ()
    return Scatter(axis, positions), (_as_1d(src),)


def _scatter_add_operation(input, dim, index, src, name):
    _check_tensor(src, name, "src")
    if src.dtype != input.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype ({input.dtype} != {src.dtype})")
    axis, positions = _along_dim(name, input, dim, index, src)
    return ScatterAdd(axis, positions), (_as_1d(src),)


def _scatter(input, dim, index, src, value, reduce, name):
    operation, others = _scatter_operation(input, dim, index, src, value, reduce, name)
    return _back_to(operation(_as_1d(input), *others), input)


def scatter_(input, dim, index, src=None, *, value=None, reduce=None):
    """``scatter`` in place: ``input`` itself changes (``Tensor.scatter_``)."""
    if input.ndim == 0:
        return input.copy_(scatter(input, dim, index, src, value=value, reduce=reduce))
    operation, others = _scatter_operation(input, dim, index, src, value, reduce, "scatter_")
    return input._in_place(operation, *others)


def scatter_add_(input, dim, index, src):
    """``scatter_add`` in place: ``input`` itself changes (``Tensor.scatter_add_``)."""
    if input.ndim == 0:
        return input.copy_(scatter_add(input, dim, index, src))
    operation, others = _scatter_add_operation(input, dim, index, src, "scatter_add_")
    return input._in_place(operation, *others)


def index_select(input, dim, index):
    """The slices of ``input`` along ``dim`` at ``index`` (a 1-D integer tensor), in that order.

    >>> sinir.index_select(sinir.tensor([[1, 2], [3, 4], [5, 6]]), 0, sinir.tensor([2, 0]))
    tensor([[5, 6],
            [1, 2]])
    """
    _check_tensor(input, "index_select")
    axis = _dim(dim, input.ndim, "index_select")
    positions = _index_array(index, "index_select")
    if positions.ndim > 1:
        raise ValueError(f"index_select(): Index is supposed to be a vector, got shape {positions.shape}")
    positions = positions.reshape(-1)
    size = input.shape[axis] if input.ndim else 1
    if ((positions < 0) | (positions >= size)).any():
        raise IndexError(f"index_select(): index out of range in self (indices {positions.tolist()} for dimension "
                         f"{axis} of size {size})")
    if input.ndim == 0 and positions.size != 1:
        raise ValueError(f"index_select(): Index to scalar can have only 1 value, got {positions.size} value(s)")
    return _back_to(IndexSelect(axis, positions)(_as_1d(input)), input)


def _bool_mask(mask, name):
    array = np.asarray(mask.numpy() if isinstance(mask, Tensor) else mask)
    if array.dtype != np.bool_:
        raise RuntimeError(f"{name}: expected BoolTensor for mask, got {array.dtype}")
    return array


def masked_select(input, mask):
    """The elements of ``input`` where ``mask`` (a bool tensor, broadcast with input) is True, as a
    1-D tensor.

    >>> x = sinir.tensor([[1., -2.], [-3., 4.]])
    >>> sinir.masked_select(x, x > 0)
    tensor([1., 4.])
    """
    _check_tensor(input, "masked_select")
    mask = _bool_mask(mask, "masked_select")
    try:
        np.broadcast_shapes(tuple(input.shape), mask.shape)
    except ValueError:
        raise ValueError(f"masked_select(): the mask of shape {mask.shape} does not broadcast with the input of "
                         f"shape {tuple(input.shape)}") from None
    return MaskedSelect(mask)(input)


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` (a number or a 0-d tensor) where ``mask`` is True.

    >>> scores = sinir.tensor([[1., 2.], [3., 4.]])
    >>> sinir.masked_fill(scores, sinir.tensor([[False, True], [False, False]]), float("-inf"))
    tensor([[  1., -inf],
            [  3.,   4.]])
    """
    _check_tensor(input, "masked_fill")
    mask = _bool_mask(mask, "masked_fill")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise ValueError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                             f"{value.ndim} dimension(s).")
        value = value if value.dtype == input.dtype else value.to(input.dtype)
    else:
        value = Tensor._make(np.asarray(value, dtype=input.dtype))
    try:
        np.broadcast_shapes(tuple(input.shape), mask.shape)
    except ValueError:
        raise ValueError(f"masked_fill(): the mask of shape {mask.shape} does not broadcast with the input of "
                         f"shape {tuple(input.shape)}") from None
    fill = Where(mask)
    fill.grad_fn_name = "MaskedFillBackward0"
    return fill(value, input)


def nonzero(input, *, as_tuple=False):
    """Where ``input`` is not zero: an int64 tensor with one row of coordinates per such element
    (shape (count, ndim)), or with ``as_tuple=True`` one 1-D tensor of coordinates per axis.

    >>> sinir.nonzero(sinir.tensor([[0, 3], [5, 0]]))
    tensor([[0, 1],
            [1, 0]])
    """
    _check_tensor(input, "nonzero")
    array = input.numpy()
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(array)))
    return Tensor._make(np.argwhere(array).astype(np.int64))


def isnan(input):
    """True where ``input`` is NaN (never, for integer tensors).

    >>> sinir.isnan(sinir.tensor([1., float("nan")]))
    tensor([False,  True])
    """
    array = _check_tensor(input, "isnan").numpy()
    return Tensor._make(np.isnan(array) if array.dtype.kind == "f" else np.zeros(array.shape, dtype=bool))


def isfinite(input):
    """True where ``input`` is neither infinite nor NaN (always, for integer tensors).

    >>> sinir.isfinite(sinir.tensor([1., float("inf"), float("nan")]))
    tensor([ True, False, False])
    """
    array = _check_tensor(input, "isfinite").numpy()
    return Tensor._make(np.isfinite(array) if array.dtype.kind == "f" else np.ones(array.shape, dtype=bool))


# ----- statistics ---------------------------------------------------------------------------------

def _correction(name, dim, unbiased, correction):
    """PyTorch's spellings: var(x), var(x, unbiased), var(x, dim, unbiased), var(x, dim, correction=c)."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim if unbiased is None else unbiased
    if unbiased is not None and correction is not None:
        raise ValueError(f"{name}(): give either unbiased or correction, not both")
    if correction is None:
        correction = 1 if unbiased is None else int(bool(unbiased))
    return dim, correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The variance over ``dim`` (all elements by default): sum (x - mean)^2 / (N - correction),
    with correction=1 (Bessel's, ``unbiased=True``) unless told otherwise.

    >>> sinir.var(sinir.tensor([1., 2., 3., 4.]))
    tensor(1.6666666)
    >>> x.var(dim=0, correction=0)          # the mean of the squared deviations
    """
    return _spread(Var, "var", input, dim, unbiased, keepdim, correction)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The standard deviation over ``dim`` (all elements by default): the square root of ``var``.

    >>> sinir.std(sinir.tensor([1., 2., 3., 4.]))
    tensor(1.2909944)
    """
    return _spread(Std, "std", input, dim, unbiased, keepdim, correction)


def _spread(operation, name, input, dim, unbiased, keepdim, correction):
    _check_tensor(input, name)
    dim, correction = _correction(name, dim, unbiased, correction)
    if input.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    axes = _dims(dim, input.ndim, name)
    count = int(np.prod([n for i, n in enumerate(input.shape) if axes is None or i in axes]))
    if count - correction <= 0:
        import warnings
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                      "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    return operation(axes, correction, bool(keepdim))(input)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """The product of the elements along ``dim`` (one int; all elements by default). Integer and
    bool tensors give int64, as in PyTorch.

    >>> sinir.prod(sinir.tensor([[1., 2.], [3., 4.]]), dim=1)
    tensor([ 2., 12.])
    """
    _check_tensor(input, "prod")
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise ValueError(f"prod(): dim must be one int, got {dim!r}")
    x = _integers_as_int64(input, dtype)
    if dim is None or x.ndim == 0:             # a 0-d tensor has one element whatever dim says
        if dim is not None:
            _dim(dim, x.ndim, "prod")
        return Prod(None, False)(x)
    return Prod(_dim(dim, x.ndim, "prod"), bool(keepdim))(x)


def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim``: out_i = x_1 + ... + x_i. Integer and bool tensors give int64.

    >>> sinir.cumsum(sinir.tensor([1, 2, 3]), dim=0)
    tensor([1, 3, 6])
    """
    _check_tensor(input, "cumsum")
    x = _integers_as_int64(input, dtype)
    axis = _dim(dim, x.ndim, "cumsum")
    return _back_to(CumSum(axis)(_as_1d(x)), x)


def _integers_as_int64(input, dtype):
    if dtype is not None:
        return input.to(dtype)
    if input.dtype.kind in "biu":
        return Tensor._make(input.numpy().astype(np.int64))
    return input


# ----- element-wise ---------------------------------------------------------------------------------

def log1p(input):
    """log(1 + x), accurate when x is small.

    >>> sinir.log1p(sinir.tensor([1e-10], dtype=sinir.float64))    # log(1 + 1e-10) = 1e-10 - 5e-21
    tensor([1.e-10], dtype=sinir.float64)
    """
    return Log1p()(_floating(_check_tensor(input, "log1p")))


def tan(input):
    """The tangent, element-wise (radians)."""
    return Tan()(_floating(_check_tensor(input, "tan")))


def eq(input, other):
    """True where ``input == other`` (element-wise, broadcast)."""
    return _check_tensor(input, "eq") == other


def ne(input, other):
    """True where ``input != other``."""
    return _check_tensor(input, "ne") != other


def lt(input, other):
    """True where ``input < other``."""
    return _check_tensor(input, "lt") < other


def le(input, other):
    """True where ``input <= other``."""
    return _check_tensor(input, "le") <= other


def gt(input, other):
    """True where ``input > other``."""
    return _check_tensor(input, "gt") > other


def ge(input, other):
    """True where ``input >= other``."""
    return _check_tensor(input, "ge") >= other


def t(input):
    """The matrix transpose of a 2-D tensor (0-D and 1-D tensors are returned as they are)."""
    return _check_tensor(input, "t").t()


# ----- products -----------------------------------------------------------------------------------

def _same_dtype(name, a, b):
    if a.dtype != b.dtype:
        raise RuntimeError(f"{name}(): expected scalar type {a.dtype} but found {b.dtype} (convert one with "
                           ".to(dtype), .float() or .double())")


def bmm(input, mat2):
    """Batched matrix product: (B, n, m) and (B, m, p) give (B, n, p), one product per batch
    element (no broadcasting; ``matmul`` broadcasts).

    >>> sinir.bmm(sinir.randn(10, 3, 4), sinir.randn(10, 4, 5)).shape
    sinir.Size([10, 3, 5])
    """
    _check_tensor(input, "bmm")
    _check_tensor(mat2, "bmm", "mat2")
    if input.ndim != 3 or mat2.ndim != 3:
        raise ValueError(f"bmm(): batch1 and batch2 must be 3-D tensors, got shapes {tuple(input.shape)} and "
                         f"{tuple(mat2.shape)}")
    b, n, m = input.shape
    if tuple(mat2.shape[:2]) != (b, m):
        raise ValueError(f"bmm(): Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but "
                         f"got: [{mat2.shape[0]}, {mat2.shape[1]}] (batch1 has shape {tuple(input.shape)})")
    _same_dtype("bmm", input, mat2)
    return Bmm()(input, mat2)


def outer(input, vec2):
    """The outer product of two vectors: out[i][j] = input[i] * vec2[j], shape (n, m).

    >>> sinir.outer(sinir.tensor([1., 2.]), sinir.tensor([1., 10., 100.]))
    tensor([[  1.,  10., 100.],
            [  2.,  20., 200.]])
    """
    _check_tensor(input, "outer")
    _check_tensor(vec2, "outer", "vec2")
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise ValueError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    dtype = result_type(input, vec2)
    return Outer()(input.to(dtype), vec2.to(dtype))


def dot(input, other):
    """The dot product of two 1-D tensors of one dtype and length."""
    return _check_tensor(input, "dot").dot(other)


def einsum(equation, *operands):
    """Einstein summation: ``equation`` names each operand's axes with letters; letters left out
    of the output (after ``->``) are summed over. ``...`` stands for the remaining axes.
    The operands may also be given as one list.

    >>> sinir.einsum("ij,jk->ik", a, b)          # a @ b
    >>> sinir.einsum("bi,bi->b", x, y)           # a dot product per row
    >>> sinir.einsum("ii", m)                    # the trace
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a str, got {type(equation).__name__}")
    if not operands:
        raise ValueError("einsum(): must provide at least one operand")
    for i, operand in enumerate(operands):
        _check_tensor(operand, "einsum", f"operands[{i}]")
        _same_dtype("einsum", operands[0], operand)
    inputs, output, sizes = parse_equation(equation, [tuple(o.shape) for o in operands])
    return Einsum(inputs, output, sizes)(*operands)
