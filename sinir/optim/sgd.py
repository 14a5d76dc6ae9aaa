"""Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay."""
import numpy as np

from .optimizer import Optimizer, subtract_scaled


class SGD(Optimizer):
    """w <- w - lr * g, the course's gradient-descent step, with PyTorch's options.

    With momentum m: v <- m v + (1 - dampening) g, and the step uses v (or g + m v for Nesterov).

    >>> optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def update(self, weight, grad, state, group):
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * weight          # g <- g + lambda w
        momentum = group["momentum"]
        if momentum:
            velocity = state.get("momentum_buffer")
            if velocity is None:
                velocity = state["momentum_buffer"] = np.array(grad, copy=True)
            else:
                velocity *= momentum                                 # v <- m v + (1 - d) g
                velocity += grad if not group["dampening"] else (1 - group["dampening"]) * grad
            grad = grad + momentum * velocity if group["nesterov"] else velocity
        subtract_scaled(weight, group["lr"], grad)                   # w <- w - lr g
