"""The fully connected layer as one operation: y = x W^T + b."""
import numpy as np

from .function import Function


class Linear(Function):
    """y = x . W^T + b with x (..., in), W (out, in), b (out,): PyTorch's layout."""

    def forward(self, x, weight, bias=None):
        self.x, self.weight = x, weight
        y = x @ weight.T
        if bias is not None:
            y += bias
        return y

    def backward(self, grad):
        x2 = self.x.reshape(-1, self.x.shape[-1])
        grad2 = grad.reshape(-1, grad.shape[-1])
        # dE/dx = dE/dy . W
        grad_x = grad @ self.weight if self.needs_input_grad[0] else None
        # dE/dW = (dE/dy)^T . x
        grad_weight = grad2.T @ x2 if self.needs_input_grad[1] else None
        # dE/db = sum over samples of dE/dy
        grad_bias = grad2.sum(axis=0) if len(self.needs_input_grad) > 2 and self.needs_input_grad[2] else None
        return grad_x, grad_weight, grad_bias
