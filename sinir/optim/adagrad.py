"""Adagrad: each weight's step shrinks with the sum of its past squared gradients."""
import numpy as np

from .optimizer import Optimizer


class Adagrad(Optimizer):
    """G <- G + g^2;  w <- w - lr_t g / (sqrt(G) + eps), lr_t = lr / (1 + (t - 1) lr_decay)."""

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        if initial_accumulator_value < 0:
            raise ValueError(f"Adagrad: initial_accumulator_value must be non-negative, "
                             f"got {initial_accumulator_value}")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    def update(self, weight, grad, state, group):
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(weight, group["initial_accumulator_value"])
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * weight
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad                                    # G <- G + g^2
        weight -= lr * grad / (np.sqrt(state["sum"]) + group["eps"])   # w <- w - lr g / (sqrt(G) + eps)
