"""More element-wise functions: log1p and tan. Each output element depends on one input element,
so each backward is dE/dx = dE/dy * f'(x)."""
import numpy as np

from ..autograd import Function


class Log1p(Function):
    """y = log(1 + x), accurate for small x (where 1 + x would round away the digits of x)."""
    grad_fn_name = "Log1PBackward0"

    def forward(self, x):
        self.x = x
        return np.log1p(x)

    def backward(self, grad):
        # dE/dx = dE/dy / (1 + x)
        return (grad / (1 + self.x),)

    def backward_graph(self, grad, inputs, output):
        return (grad / (1 + inputs[0]),)


class Tan(Function):
    grad_fn_name = "TanBackward0"
    saved_inputs = ()
    saves_output = True

    def forward(self, x):
        self.y = np.tan(x)
        return self.y

    def backward(self, grad):
        # dE/dx = dE/dy * (1 + tan^2 x)
        return (grad * (1 + self.y * self.y),)

    def backward_graph(self, grad, inputs, output):
        return (grad * (1 + output * output),)
