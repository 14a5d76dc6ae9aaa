"""Embedding: a table lookup, row ``i`` of the weight for index ``i``."""
import numpy as np

from .function import Function


class Embedding(Function):
    """y[..., :] = weight[indices[...], :] for integer ``indices`` of any shape.

    ``padding_idx``: that row's gradient is always zero (it stays as it is, usually zeros).
    """

    def __init__(self, indices, padding_idx=None):
        self.indices, self.padding_idx = indices, padding_idx

    def forward(self, weight):
        self.weight_shape = weight.shape
        return weight[self.indices]

    def backward(self, grad):
        # dE/dW[i] = sum of dE/dy over the positions that looked up row i (rows used twice add up)
        grad_weight = np.zeros(self.weight_shape, dtype=grad.dtype)
        np.add.at(grad_weight, self.indices.reshape(-1), grad.reshape(-1, self.weight_shape[1]))
        if self.padding_idx is not None:
            grad_weight[self.padding_idx] = 0
        return (grad_weight,)

