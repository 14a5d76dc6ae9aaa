"""Statistics over some axes: variance, standard deviation and product (``cumsum`` is
``CumSum`` in ``reduction.py``).

``axis`` is None (all axes) or a tuple of non-negative axes, already checked by the caller.
"""
import numpy as np

from ..autograd import Function


def _kept_shape(shape, axis):
    """The result's shape with the reduced axes kept as 1, so that it broadcasts against x."""
    return tuple(1 if axis is None or i in axis else n for i, n in enumerate(shape))


def _count(shape, axis):
    """N: how many elements each result summarises."""
    return int(np.prod([n for i, n in enumerate(shape) if axis is None or i in axis]))


class Var(Function):
    """v = sum over the axes of (x - mean)^2 / (N - correction); correction=1 is the unbiased
    (Bessel's) estimate, correction=0 the mean of the squared deviations."""
    grad_fn_name = "VarBackward0"
    saved_inputs = ()

    def __init__(self, axis, correction, keepdim):
        self.axis, self.correction, self.keepdim = axis, correction, keepdim

    def forward(self, x):
        self.denominator = max(_count(x.shape, self.axis) - self.correction, 0)
        self.centered = x - x.mean(axis=self.axis, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):  # N - correction <= 0 gives inf/nan, as PyTorch
            v = (self.centered ** 2).sum(axis=self.axis, keepdims=True) / self.denominator
        return v.astype(x.dtype) if self.keepdim else v.reshape(self._shape(x.shape)).astype(x.dtype)

    def _shape(self, shape):
        return tuple(n for i, n in enumerate(shape) if not (self.axis is None or i in self.axis))

    def backward(self, grad):
        # dE/dx_i = dE/dv * 2 (x_i - mean) / (N - correction)
        grad = grad.reshape(_kept_shape(self.centered.shape, self.axis))
        with np.errstate(divide="ignore", invalid="ignore"):
            return (grad * 2 * self.centered / self.denominator,)

    def backward_graph(self, grad, inputs, output):
        x = inputs[0]
        axis = tuple(range(x.ndim)) if self.axis is None else self.axis
        centered = x - x.mean(dim=axis, keepdim=True)
        return (grad.reshape(_kept_shape(x.shape, self.axis)) * centered * (2.0 / self.denominator),)


class Std(Var):
    """s = sqrt(v), the square root of ``Var``."""
    grad_fn_name = "StdBackward0"
    saves_output = True

    def forward(self, x):
        self.s = np.sqrt(super().forward(x))
        return self.s

    def backward(self, grad):
        # dE/dx_i = dE/ds * (x_i - mean) / ((N - correction) s)   (0 where s = 0, as in PyTorch)
        kept = _kept_shape(self.centered.shape, self.axis)
        s = self.s.reshape(kept)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(s == 0, 0, grad.reshape(kept) / (self.denominator * s))
        return (factor * self.centered,)

    def backward_graph(self, grad, inputs, output):
        from .elementwise import Where
        from ..tensor import Tensor
        x = inputs[0]
        kept = _kept_shape(x.shape, self.axis)
        axis = tuple(range(x.ndim)) if self.axis is None else self.axis
        centered = x - x.mean(dim=axis, keepdim=True)
        s = output.reshape(kept)
        zero = s._data == 0
        safe_s = Where(zero)(Tensor._make(np.ones((), dtype=s.dtype)), s)
        factor = Where(zero)(Tensor._make(np.zeros((), dtype=s.dtype)), grad.reshape(kept) / safe_s)
        return (factor * centered * (1.0 / self.denominator),)


class Prod(Function):
    """y = the product of x's elements along ``axis`` (an int, or None for all of them)."""
    grad_fn_name = "ProdBackward0"

    def __init__(self, axis, keepdim):
        self.axis, self.keepdim = axis, keepdim
        if axis is not None:
            self.grad_fn_name = "ProdBackward1"

    def forward(self, x):
        self.x = x
        return np.prod(x, axis=self.axis, keepdims=self.keepdim)

    def backward(self, grad):
        # dE/dx_i = dE/dy * (product of all x_j with j != i)
        x = self.x.reshape(-1) if self.axis is None else self.x
        axis = 0 if self.axis is None else self.axis
        grad = grad.reshape(_kept_shape(x.shape, (axis,)))
        return ((grad * products_of_the_others(x, axis)).reshape(self.x.shape),)

    def backward_graph(self, grad, inputs, output):
        # the same dE/dx_i = dE/dy * (product of the x_j, j != i), in Tensor operations: row i of an
        # n x n matrix holds the x_j with x_i replaced by 1, and Prod of that row is the product
        from .elementwise import Where
        from ..tensor import Tensor
        x = inputs[0].reshape(-1) if self.axis is None else inputs[0]
        axis = 0 if self.axis is None else self.axis
        order = [a for a in range(x.ndim) if a != axis] + [axis]      # the product's axis last
        last = x.permute(order)
        n = last.shape[-1]
        rows = last.unsqueeze(-2).expand(*last.shape[:-1], n, n)
        rows = Where(np.eye(n, dtype=bool))(Tensor._make(np.ones((), dtype=x.dtype)), rows)
        others = Prod(rows.ndim - 1, False)(rows).permute([int(a) for a in np.argsort(order)])
        grad = grad.reshape(_kept_shape(x.shape, (axis,)))
        return ((grad * others).reshape(inputs[0].shape),)


def products_of_the_others(x, axis):
    """For each x_i along ``axis``, the product of all the other x_j: (product of those before i)
    times (product of those after i), two running products. Never divides by x_i, so a zero
    in x gives the right answer (y / x_i would give 0/0)."""
    x = np.moveaxis(x, axis, -1)
    if x.shape[-1] == 0:
        return np.moveaxis(x.copy(), -1, axis)
    ones = np.ones(x.shape[:-1] + (1,), dtype=x.dtype)
    before = np.cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, x[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis(before * after, -1, axis)
