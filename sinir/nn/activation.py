"""Activation layers: each applies one function element-wise (Softmax along one axis)."""
from . import functional as F
from .module import Module


class ReLU(Module):
    """max(0, x): negative values become 0, positive ones pass unchanged."""

    def forward(self, x):
        return x.relu()


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """1 / (1 + e^-x): squashes any number into (0, 1)."""

    def forward(self, x):
        return x.sigmoid()


class Tanh(Module):
    """tanh(x): squashes any number into (-1, 1)."""

    def forward(self, x):
        return x.tanh()


class Softmax(Module):
    """e^x_i / sum_j e^x_j along ``dim``: scores into probabilities that sum to 1."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return x.softmax(self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``dim``, computed stably."""

    def forward(self, x):
        return x.log_softmax(self.dim)


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1 / (1 - p);
    in evaluation, pass the input unchanged."""

    def __init__(self, p=0.5):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Dropout2d(Dropout):
    """In training, zero whole channels of (N, C, H, W) with probability p, scaling the rest."""

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training)
