"""Per-element losses that are better as one operation than as several: stable or piecewise.

Each returns one loss per element (or per sample); the loss modules then take the mean or sum.
"""
import numpy as np

from .function import Function
from .softmax import log_softmax
from .elementwise import _constant


class Huber(Function):
    """0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) beyond, with d = input - target."""
    grad_fn_name = "HuberLossBackward0"
    saved_inputs = ()

    def __init__(self, delta=1.0):
        self.delta = delta

    def forward(self, input, target):
        self.d = input - target
        small = np.abs(self.d) <= self.delta
        return np.where(small, 0.5 * self.d * self.d,
                        self.delta * (np.abs(self.d) - 0.5 * self.delta)).astype(input.dtype, copy=False)

    def backward(self, grad):
        # dL/dd = d where |d| <= delta, else delta * sign(d)
        grad_d = grad * np.clip(self.d, -self.delta, self.delta)
        return grad_d, -grad_d

    def backward_graph(self, grad, inputs, output):
        grad_d = grad * (inputs[0] - inputs[1]).clamp(-self.delta, self.delta)
        return grad_d, -grad_d


class SmoothL1(Function):
    """0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta beyond (Huber divided by beta)."""
    grad_fn_name = "SmoothL1LossBackward0"
    saved_inputs = ()

    def __init__(self, beta=1.0):
        self.beta = beta

    def forward(self, input, target):
        self.d = input - target
        if self.beta == 0:
            return np.abs(self.d)
        small = np.abs(self.d) < self.beta
        return np.where(small, 0.5 * self.d * self.d / self.beta,
                        np.abs(self.d) - 0.5 * self.beta).astype(input.dtype, copy=False)

    def backward(self, grad):
        # dL/dd = d / beta where |d| < beta, else sign(d)
        if self.beta == 0:
            grad_d = grad * np.sign(self.d)
        else:
            grad_d = grad * np.clip(self.d / self.beta, -1, 1)
        return grad_d, -grad_d

    def backward_graph(self, grad, inputs, output):
        d = inputs[0] - inputs[1]
        if self.beta == 0:
            grad_d = grad * _constant(np.sign(d._data), grad)
        else:
            grad_d = grad * (d / self.beta).clamp(-1, 1)
        return grad_d, -grad_d


def _clamped_log(x):
    """log(x), but never below -100 (log 0 = -100), as PyTorch's BCE does."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(x), -100)


class BinaryCrossEntropy(Function):
    """-(y log p + (1 - y) log(1 - p)), each log clamped at -100 as in PyTorch."""
    grad_fn_name = "BinaryCrossEntropyBackward0"

    def forward(self, p, y):
        if p.size and (p.min() < 0 or p.max() > 1):
            raise ValueError(f"binary_cross_entropy: the input must hold probabilities in [0, 1], "
                             f"got values from {p.min()} to {p.max()}; use binary_cross_entropy_with_logits "
                             "for raw scores")
        self.p, self.y = p, y
        return -(y * _clamped_log(p) + (1 - y) * _clamped_log(1 - p))

    def backward(self, grad):
        # dL/dp = (p - y) / (p (1 - p)),  dL/dy = log(1 - p) - log(p)
        p, y = self.p, self.y
        grad_p = grad * (p - y) / np.maximum(p * (1 - p), 1e-12) if self.needs_input_grad[0] else None
        grad_y = None
        if self.needs_input_grad[1]:
            grad_y = grad * (_clamped_log(1 - p) - _clamped_log(p))
        return grad_p, grad_y

    def backward_graph(self, grad, inputs, output):
        p, y = inputs
        grad_p = grad * (p - y) / (p * (1 - p)).clamp(min=1e-12) if p.requires_grad else None
        grad_y = None
        if y.requires_grad:
            grad_y = grad * ((1 - p).log().clamp(min=-100) - p.log().clamp(min=-100))
        return grad_p, grad_y


class BinaryCrossEntropyWithLogits(Function):
    """BCE on sigmoid(x) in one stable formula: max(x, 0) - x y + log(1 + e^-|x|).

    With ``pos_weight`` w the positive term is weighted: (1 - y) x + (1 + (w - 1) y) log(1 + e^-x).
    """

    grad_fn_name = "BinaryCrossEntropyWithLogitsBackward0"

    def __init__(self, pos_weight=None):
        self.pos_weight = pos_weight

    def forward(self, x, y):
        self.x, self.y = x, y
        softplus_neg_x = np.logaddexp(0, -x)  # log(1 + e^-x), stable
        if self.pos_weight is None:
            return (1 - y) * x + softplus_neg_x
        return (1 - y) * x + (1 + (self.pos_weight - 1) * y) * softplus_neg_x

    def backward(self, grad):
        # dL/dx = sigmoid(x) - y (weighted: (1 + (w - 1) y) sigmoid(x) - w y),  dL/dy = -x (- (w - 1) log(1 + e^-x))
        x, y = self.x, self.y
        s = 0.5 * (1 + np.tanh(0.5 * x))  # sigmoid(x) without overflow
        if self.pos_weight is None:
            grad_x = grad * (s - y)
            grad_y = grad * -x
        else:
            w = self.pos_weight
            grad_x = grad * ((1 + (w - 1) * y) * s - w * y)
            grad_y = grad * (-x + (w - 1) * np.logaddexp(0, -x))
        return (grad_x if self.needs_input_grad[0] else None,
                grad_y if self.needs_input_grad[1] else None)

    def backward_graph(self, grad, inputs, output):
        x, y = inputs
        s = x.sigmoid()
        if self.pos_weight is None:
            grad_x, grad_y = grad * (s - y), grad * -x
        else:
            w = _constant(self.pos_weight, grad)
            softplus_neg_x = ((-x.abs()).exp() + 1).log() + (-x).clamp(min=0)   # log(1 + e^-x), stable
            grad_x = grad * ((1 + (w - 1) * y) * s - w * y)
            grad_y = grad * (-x + (w - 1) * softplus_neg_x)
        return (grad_x if x.requires_grad else None, grad_y if y.requires_grad else None)


class CrossEntropy(Function):
    """Softmax cross-entropy of logits (N, C) against a target distribution q (N, C), fused.

    loss_n = -sum_c q_nc log softmax(x_n)_c. Class indices become one-hot rows of q, and
    label smoothing eps mixes q with the uniform distribution: (1 - eps) q + eps / C.
    """

    grad_fn_name = "CrossEntropyLossBackward0"
    saved_inputs = ()

    def __init__(self, label_smoothing=0.0):
        self.label_smoothing = label_smoothing

    def forward(self, logits, q):
        classes = logits.shape[1]
        if self.label_smoothing:
            q = (1 - self.label_smoothing) * q + self.label_smoothing / classes
        self.q = q
        self.log_p = log_softmax(logits, axis=1)
        return -(q * self.log_p).sum(axis=1)

    def backward(self, grad):
        # dL/dx = softmax(x) - q,  dL/dq = -(1 - eps) log softmax(x)
        grad = grad[:, None]
        grad_logits = grad * (np.exp(self.log_p) - self.q) if self.needs_input_grad[0] else None
        grad_q = -(1 - self.label_smoothing) * grad * self.log_p if self.needs_input_grad[1] else None
        return grad_logits, grad_q

    def backward_graph(self, grad, inputs, output):
        logits, q = inputs
        eps, classes = self.label_smoothing, logits.shape[1]
        if eps:
            q = (1 - eps) * q + eps / classes
        log_p = logits.log_softmax(1)
        grad = grad.unsqueeze(1)
        return (grad * (log_p.exp() - q) if logits.requires_grad else None,
                -(1 - eps) * grad * log_p if inputs[1].requires_grad else None)
