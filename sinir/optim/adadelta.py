"""Adadelta (Zeiler, 2012): steps sized by the ratio of recent update and gradient magnitudes."""
import numpy as np

from .hyperparameters import check_group
from .optimizer import Optimizer, decayed_gradient


class Adadelta(Optimizer):
    """v <- rho v + (1 - rho) g^2;  delta = sqrt(u + eps) / sqrt(v + eps) * g;
    u <- rho u + (1 - rho) delta^2;  w <- w - lr * delta.  PyTorch's algorithm and defaults.

    >>> optimizer = Adadelta(model.parameters(), lr=1.0)
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize))

    def _check_hyperparameters(self, group):
        check_group(type(self).__name__, group, {"lr": (0, None), "rho": (0, 1.0 + 1e-12), "eps": (0, None),
                                                  "weight_decay": (0, None)})

    def update(self, weight, grad, state, group):
        grad = decayed_gradient(weight, grad, group)
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(weight)
            state["acc_delta"] = np.zeros_like(weight)
        state["step"] += 1
        rho, eps = group["rho"], group["eps"]
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad                          # v <- rho v + (1 - rho) g^2
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * grad
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta                         # u <- rho u + (1 - rho) delta^2
        weight -= group["lr"] * delta                                  # w <- w - lr delta
