"""Adam and AdamW: steps scaled per weight by running averages of the gradient and its square."""
import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    w <- w - lr * m_hat / (sqrt(v_hat) + eps) with the bias-corrected m_hat, v_hat.

    >>> optimizer = Adam(model.parameters(), lr=1e-3)
    """

    decoupled_weight_decay = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad))

    def update(self, weight, grad, state, group):
        beta1, beta2 = group["betas"]
        lr, decay = group["lr"], group["weight_decay"]
        if decay and self.decoupled_weight_decay:
            weight *= 1 - lr * decay                                   # AdamW: shrink w directly
        elif decay:
            grad = grad + decay * weight                               # Adam: decay joins the gradient
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(weight)
            state["exp_avg_sq"] = np.zeros_like(weight)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(weight)
        state["step"] += 1
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad                                        # m <- b1 m + (1 - b1) g
        v *= beta2
        v += (1 - beta2) * grad * grad                                 # v <- b2 v + (1 - b2) g^2
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        correction1 = 1 - beta1 ** state["step"]
        correction2 = 1 - beta2 ** state["step"]
        denominator = np.sqrt(v) / np.sqrt(correction2) + group["eps"]
        weight -= (lr / correction1) * m / denominator                # w <- w - lr m_hat / (sqrt(v_hat) + eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: w <- w (1 - lr * weight_decay) before the Adam step."""

    decoupled_weight_decay = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
