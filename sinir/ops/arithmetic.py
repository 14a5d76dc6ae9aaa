"""Arithmetic: + - * / ** @ and negation. Broadcast operands get their gradient summed back."""
import numpy as np

from .function import Function, broadcast_error, unbroadcast


class Add(Function):
    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            return a + b
        except ValueError:
            raise broadcast_error("add", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy,  dE/db = dE/dy
        return unbroadcast(grad, self.a_shape), unbroadcast(grad, self.b_shape)


class Sub(Function):
    def forward(self, a, b):
        self.a_shape, self.b_shape = a.shape, b.shape
        try:
            return a - b
        except ValueError:
            raise broadcast_error("subtract", a, b) from None

    def backward(self, grad):
        # dE/da = dE/dy,  dE/db = -dE/dy
        return unbroadcast(grad, self.a_shape), unbroadcast(-grad, self.b_shape)


class Mul(Function):
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


class Div(Function):
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


class Pow(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        try:
            self.y = a ** b
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


class Neg(Function):
    def forward(self, a):
        return -a

    def backward(self, grad):
        # dE/da = -dE/dy
        return (-grad,)


class MatMul(Function):
    """y = a @ b for 1-D, 2-D and batched operands (batch axes broadcast as in NumPy)."""

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not fit: the last axis "
                             "of the first must equal the first (or second-to-last) of the second")
        self.a, self.b = a, b
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


class Cast(Function):
    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        self.source_dtype = a.dtype
        return a.astype(self.dtype)

    def backward(self, grad):
        # dE/da = dE/dy, in a's dtype
        return (grad.astype(self.source_dtype),)
