"""RMSprop: each step divided by a running root-mean-square of recent gradients."""
import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """s <- alpha s + (1 - alpha) g^2;  w <- w - lr g / (sqrt(s) + eps).

    ``centered`` subtracts the squared running mean of g from s; ``momentum`` accumulates the steps.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        if not 0 <= alpha <= 1:
            raise ValueError(f"RMSprop: alpha must be in [0, 1], got {alpha}")
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def update(self, weight, grad, state, group):
        alpha = group["alpha"]
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * weight
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(weight)
            if group["momentum"]:
                state["momentum_buffer"] = np.zeros_like(weight)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(weight)
        state["step"] += 1
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad                        # s <- a s + (1 - a) g^2
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1 - alpha) * grad
            denominator = np.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            denominator = np.sqrt(square_avg) + group["eps"]
        if group["momentum"]:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += grad / denominator
            weight -= group["lr"] * buffer
        else:
            weight -= group["lr"] * grad / denominator                  # w <- w - lr g / (sqrt(s) + eps)
