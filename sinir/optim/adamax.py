"""Adamax (Kingma and Ba, 2015): Adam with the infinity norm in place of the squared average."""
import numpy as np

from .hyperparameters import check_group
from .optimizer import Optimizer, decayed_gradient


class Adamax(Optimizer):
    """m <- b1 m + (1 - b1) g;  u <- max(b2 u, |g| + eps);  w <- w - lr / (1 - b1^t) * m / u.

    >>> optimizer = Adamax(model.parameters(), lr=2e-3)
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def _check_hyperparameters(self, group):
        check_group(type(self).__name__, group, {"lr": (0, None), "eps": (0, None), "weight_decay": (0, None)})

    def update(self, weight, grad, state, group):
        grad = decayed_gradient(weight, grad, group)
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(weight)
            state["exp_inf"] = np.zeros_like(weight)
        state["step"] += 1
        beta1, beta2 = group["betas"]
        m, u = state["exp_avg"], state["exp_inf"]
        m *= beta1
        m += (1 - beta1) * grad                                        # m <- b1 m + (1 - b1) g
        np.maximum(u * beta2, np.abs(grad) + group["eps"], out=u)      # u <- max(b2 u, |g| + eps)
        weight -= group["lr"] / (1 - beta1 ** state["step"]) * m / u
