"""RAdam (Liu et al., 2020): Adam whose adaptive step is switched on gradually, once the
variance of its estimate is tractable (rho_t > 5); before that, plain momentum steps."""
import math

import numpy as np

from .hyperparameters import check_group
from .optimizer import Optimizer, decayed_gradient


class RAdam(Optimizer):
    """m_hat = m / (1 - b1^t);  rho_inf = 2 / (1 - b2) - 1;  rho_t = rho_inf - 2 t b2^t / (1 - b2^t);
    if rho_t > 5:  w <- w - lr m_hat r_t sqrt(1 - b2^t) / (sqrt(v) + eps), r_t the rectification
    sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t));  else w <- w - lr m_hat.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 decoupled_weight_decay=False, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize))

    def _check_hyperparameters(self, group):
        check_group(type(self).__name__, group, {"lr": (0, None), "eps": (0, None), "weight_decay": (0, None)})

    def update(self, weight, grad, state, group):
        grad = decayed_gradient(weight, grad, group)
        lr = group["lr"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(weight)
            state["exp_avg_sq"] = np.zeros_like(weight)
        state["step"] += 1
        t = state["step"]
        beta1, beta2 = group["betas"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        correction1, correction2 = 1 - beta1 ** t, 1 - beta2 ** t
        m_hat = m / correction1
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2 ** t / correction2
        if rho_t > 5:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            weight -= lr * rect * m_hat * (math.sqrt(correction2) / (np.sqrt(v) + group["eps"]))
        else:
            weight -= lr * m_hat
