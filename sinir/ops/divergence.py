"""The Kullback-Leibler divergence, the pointwise term of KLDivLoss."""
import numpy as np

from .function import Function


class KLDivergence(Function):
    """Pointwise Kullback-Leibler divergence of log-probabilities ``input`` from ``target``:
    target (log target - input), 0 where target is 0; with ``log_target``, e^target (target - input)."""

    def __init__(self, log_target=False):
        self.log_target = log_target

    def forward(self, input, target):
        self.input, self.target = input, target
        if self.log_target:
            return np.exp(target) * (target - input)
        positive = target > 0
        log_target = np.log(np.where(positive, target, 1))
        self.log_target_values = log_target
        return np.where(positive, target * (log_target - input), 0).astype(input.dtype, copy=False)

    def backward(self, grad):
        if self.log_target:
            p = np.exp(self.target)
            # dE/dinput = -dE/dy e^t;  dE/dt = dE/dy e^t (t - input + 1)
            return -grad * p, grad * p * (self.target - self.input + 1)
        # dE/dinput = -dE/dy target;  dE/dtarget = dE/dy (log target + 1 - input)
        return -grad * self.target, grad * (self.log_target_values + 1 - self.input)
