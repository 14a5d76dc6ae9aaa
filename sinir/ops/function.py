"""The base of every differentiable operation, and the helper that undoes broadcasting."""
import numpy as np

from ..grad_mode import _GradMode
from ..tensor import Tensor


class Function:
    """One differentiable operation.

    A subclass takes its options in ``__init__``, computes the result from plain arrays in
    ``forward`` (saving only what backward needs) and, in ``backward``, turns dE/d(output) into
    one dE/d(input) per input, as a tuple (None where an input needs no gradient).
    Calling the instance on tensors runs forward and, when a gradient is wanted, records it:

    >>> y = Exp()(x)          # the same as x.exp()
    """

    inputs = ()
    needs_input_grad = ()
    released = False

    def forward(self, *arrays):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    def release(self):
        """Drop what forward saved once backward has used it (frees memory early)."""
        self.__dict__.clear()
        self.released = True

    def __call__(self, *tensors):
        output = self.forward(*[t.data for t in tensors])
        if _GradMode.enabled and any(t.requires_grad for t in tensors):
            self.inputs = tensors
            self.needs_input_grad = tuple(t.requires_grad for t in tensors)
            return Tensor._make(output, self)
        return Tensor._make(output)


def unbroadcast(grad, shape):
    """Sum a gradient back to the shape of an operand that NumPy broadcast.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x element was used 2 * 4 times,
    so dE/dx is dE/dy summed over those copies: over the new leading axis and the stretched one.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axis=axes, keepdims=True).reshape(shape)


def broadcast_error(name, a, b):
    return ValueError(f"{name}: shapes {a.shape} and {b.shape} cannot be broadcast together")
