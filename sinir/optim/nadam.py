"""NAdam (Dozat, 2016): Adam with Nesterov momentum, the momentum warmed up by a decay schedule."""
import numpy as np

from .hyperparameters import check_group
from .optimizer import Optimizer, decayed_gradient


class NAdam(Optimizer):
    """Adam's averages m and v, and a momentum coefficient mu_t = b1 (1 - 0.5 * 0.96^(t psi))
    (psi = momentum_decay); the step looks one momentum step ahead:

        w <- w - lr (1 - mu_t) / (1 - prod mu_1..t) * g / (sqrt(v_hat) + eps)
               - lr mu_(t+1) / (1 - prod mu_1..t+1) * m / (sqrt(v_hat) + eps)

    PyTorch's algorithm and defaults.
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize))

    def _check_hyperparameters(self, group):
        check_group(type(self).__name__, group, {"lr": (0, None), "eps": (0, None), "weight_decay": (0, None),
                                                  "momentum_decay": (0, None)})

    def update(self, weight, grad, state, group):
        grad = decayed_gradient(weight, grad, group)
        lr = group["lr"]
        if not state:
            state["step"] = 0
            state["mu_product"] = 1.0
            state["exp_avg"] = np.zeros_like(weight)
            state["exp_avg_sq"] = np.zeros_like(weight)
        state["step"] += 1
        t = state["step"]
        beta1, beta2 = group["betas"]
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * group["momentum_decay"]))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * group["momentum_decay"]))
        state["mu_product"] *= mu
        mu_product, mu_product_next = state["mu_product"], state["mu_product"] * mu_next
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        denominator = np.sqrt(v / (1 - beta2 ** t)) + group["eps"]
        weight -= lr * (1 - mu) / (1 - mu_product) * grad / denominator
        weight -= lr * mu_next / (1 - mu_product_next) * m / denominator
