"""Arithmetic: + - * / ** @, negation, casts and copies. Broadcast operands get their gradient
summed back.

Each class has ``backward`` on arrays (the fast path) and ``backward_graph``, the same formula
on tensors, used when ``create_graph=True`` asks for a gradient that can be differentiated again.
"""
import numpy as np

from .function import Function, broadcast_error, unbroadcast


class Add(Function):
    grad_fn_name = "AddBackward0"
    saved_inputs = ()

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            return a + b
        except ValueError:
            raise broadcast_error("add", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy,  dE/db = dE/dy
        needs_a, needs_b = self.needs_input_grad
        return (unbroadcast(grad, self.a_shape) if needs_a else None,
                unbroadcast(grad, self.b_shape) if needs_b else None)

    def backward_graph(self, grad, inputs, output):
        return unbroadcast(grad, self.a_shape), unbroadcast(grad, self.b_shape)


class Sub(Function):
    grad_fn_name = "SubBackward0"
    saved_inputs = ()

    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            return a - b
        except ValueError:
            raise broadcast_error("subtract", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy,  dE/db = -dE/dy
        needs_a, needs_b = self.needs_input_grad
        return (unbroadcast(grad, self.a_shape) if needs_a else None,
                unbroadcast(-grad, self.b_shape) if needs_b else None)

    def backward_graph(self, grad, inputs, output):
        return unbroadcast(grad, self.a_shape), unbroadcast(-grad, self.b_shape)


class Mul(Function):
    grad_fn_name = "MulBackward0"

    # dE/da reads b and dE/db reads a: each input is kept only for the other's gradient, so
    # h[1] * 3 does not hold on to h (a later h[0] = ... is fine, as in PyTorch)
    SAVED = {(True, True): (0, 1), (True, False): (1,), (False, True): (0,), (False, False): ()}

    @property
    def saved_inputs(self):
        return self.SAVED.get(self.needs_input_grad)         # None (all) before it is recorded

    def forward(self, a, b):
        self.a, self.b = a, b
        try:
            return a * b
        except ValueError:
            raise broadcast_error("multiply", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy * b,  dE/db = dE/dy * a
        grad_a = unbroadcast(grad * self.b, self.a.shape) if self.needs_input_grad[0] else None
        grad_b = unbroadcast(grad * self.a, self.b.shape) if self.needs_input_grad[1] else None
        return grad_a, grad_b

    def backward_graph(self, grad, inputs, output):
        a, b = inputs
        return (unbroadcast(grad * b, a.shape) if a.requires_grad else None,
                unbroadcast(grad * a, b.shape) if b.requires_grad else None)


class Div(Function):
    grad_fn_name = "DivBackward0"

    def forward(self, a, b):
        self.a, self.b = a, b
        try:
            return a / b
        except ValueError:
            raise broadcast_error("divide", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy / b,  dE/db = -dE/dy * a / b^2
        grad_a = unbroadcast(grad / self.b, self.a.shape) if self.needs_input_grad[0] else None
        grad_b = (unbroadcast(-grad * self.a / (self.b * self.b), self.b.shape)
                  if self.needs_input_grad[1] else None)
        return grad_a, grad_b

    def backward_graph(self, grad, inputs, output):
        a, b = inputs
        return (unbroadcast(grad / b, a.shape) if a.requires_grad else None,
                unbroadcast(-grad * a / (b * b), b.shape) if b.requires_grad else None)


class Pow(Function):
    grad_fn_name = "PowBackward0"
    saves_output = True

    def forward(self, a, b):
        self.a, self.b = a, b
        try:
            self.y = np.power(a, b).astype(np.result_type(a, b), copy=False)   # bool ** bool stays bool
        except ValueError:
            raise broadcast_error("power", a, b) from None
        return self.y

    def backward(self, grad):
        # dE/da = dE/dy * b * a^(b-1),  dE/db = dE/dy * a^b * ln(a)
        grad_a = (unbroadcast(grad * self.b * self.a ** (self.b - 1), self.a.shape)
                  if self.needs_input_grad[0] else None)
        grad_b = (unbroadcast(grad * self.y * np.log(self.a), self.b.shape)
                  if self.needs_input_grad[1] else None)
        return grad_a, grad_b

    def backward_graph(self, grad, inputs, output):
        a, b = inputs
        return (unbroadcast(grad * b * a ** (b - 1), a.shape) if a.requires_grad else None,
                unbroadcast(grad * output * a.log(), b.shape) if b.requires_grad else None)


class Neg(Function):
    grad_fn_name = "NegBackward0"
    saved_inputs = ()

    def forward(self, a):
        return -a

    def backward(self, grad):
        # dE/da = -dE/dy
        return (-grad,)

    def backward_graph(self, grad, inputs, output):
        return (-grad,)


class MatMul(Function):
    """y = a @ b for 1-D, 2-D and batched operands (batch axes broadcast as in NumPy)."""

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not fit: the last axis "
                             "of the first must equal the first (or second-to-last) of the second")
        self.a, self.b = a, b
        self.grad_fn_name = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0"}.get(
            (a.ndim, b.ndim), "MatmulBackward0")
        try:
            return a @ b
        except ValueError:
            raise broadcast_error("matmul", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy . b^T,  dE/db = a^T . dE/dy
        a, b = self.a, self.b
        a2 = a[None, :] if a.ndim == 1 else a     # a vector is a one-row matrix
        b2 = b[:, None] if b.ndim == 1 else b     # and a one-column matrix on the right
        if b.ndim == 1:
            grad = np.expand_dims(grad, -1)
        if a.ndim == 1:
            grad = np.expand_dims(grad, -2)
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(grad @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if self.needs_input_grad[1]:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ grad, b2.shape).reshape(b.shape)
        return grad_a, grad_b

    def backward_graph(self, grad, inputs, output):
        a, b = inputs
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        if b.ndim == 1:
            grad = grad.unsqueeze(-1)
        if a.ndim == 1:
            grad = grad.unsqueeze(-2)
        grad_a = unbroadcast(grad @ b2.transpose(-1, -2), a2.shape).reshape(a.shape) if a.requires_grad else None
        grad_b = unbroadcast(a2.transpose(-1, -2) @ grad, b2.shape).reshape(b.shape) if b.requires_grad else None
        return grad_a, grad_b


class Cast(Function):
    grad_fn_name = "ToCopyBackward0"
    saved_inputs = ()

    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        self.source_dtype = a.dtype
        return a.astype(self.dtype)

    def backward(self, grad):
        # dE/da = dE/dy, in a's dtype (none for an integer a)
        return (grad.astype(self.source_dtype) if self.source_dtype.kind == "f" else None,)

    def backward_graph(self, grad, inputs, output):
        return (grad.to(self.source_dtype) if self.source_dtype.kind == "f" else None,)


class Clone(Function):
    """A copy in new memory (``x.clone()``)."""
    grad_fn_name = "CloneBackward0"
    saved_inputs = ()

    def forward(self, a):
        return a.copy()

    def backward(self, grad):
        # dE/da = dE/dy
        return (grad,)

    def backward_graph(self, grad, inputs, output):
        return (grad,)


class CopyFrom(Function):
    """The values of ``source`` (broadcast) in ``a``'s place: ``a.copy_(source)``."""
    grad_fn_name = "CopyBackwards"
    saved_inputs = ()

    def forward(self, a, source):
        self.source_shape = source.shape
        try:
            return np.array(np.broadcast_to(source, a.shape), dtype=a.dtype)
        except ValueError:
            raise broadcast_error("copy_", a, source) from None

    def backward(self, grad):
        # a's old values are gone (dE/da = 0); dE/dsource = dE/dy summed over the copies
        return None, unbroadcast(grad, self.source_shape)

    def backward_graph(self, grad, inputs, output):
        return None, unbroadcast(grad, self.source_shape)
