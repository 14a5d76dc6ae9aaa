"""The programs of PyTorch's "Learning PyTorch with Examples" tutorial, written as there.

Each function takes the library as ``torch`` (``import sinir as torch`` or the real one) and the
initial values, so that the same code runs on both; only the sizes are smaller (200 points
instead of 2,000, fewer steps), the dtype is float64 for exact comparison, and the random
initial values are given instead of drawn (the two libraries' generators differ). Each returns
what the tutorial prints.
"""
import math
import random

STEPS = 300


def tensors(torch, init):
    """Fitting y = sin(x) by a third-order polynomial with tensors and gradients written by hand."""
    dtype = torch.float64
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)

    a, b, c, d = (torch.tensor(v, device=device, dtype=dtype) for v in init)

    learning_rate = 1e-5
    losses = []
    for t in range(STEPS):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3

        loss = (y_pred - y).pow(2).sum().item()
        losses.append(loss)

        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()

        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d

    return losses, [a.item(), b.item(), c.item(), d.item()]


def autograd(torch, init):
    """The same fit, gradients by autograd, the update under no_grad."""
    dtype = torch.float64
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)

    a, b, c, d = (torch.tensor(v, device=device, dtype=dtype, requires_grad=True) for v in init)

    learning_rate = 1e-5
    losses = []
    for t in range(STEPS):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3

        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())

        loss.backward()

        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    return losses, [a.item(), b.item(), c.item(), d.item()]


def custom_function(torch, init):
    """y = a + b P3(c + d x) with the Legendre polynomial P3 as a custom autograd Function."""

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    dtype = torch.float64
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)

    a = torch.full((), init[0], device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0 + init[1] * 0.01, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), init[2] * 0.01, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3 + init[3] * 0.01, device=device, dtype=dtype, requires_grad=True)

    learning_rate = 5e-6
    losses = []
    for t in range(STEPS):
        P3 = LegendrePolynomial3.apply

        y_pred = a + b * P3(c + d * x)

        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())

        loss.backward()

        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    return losses, [a.item(), b.item(), c.item(), d.item()]


def _polynomial_data(torch):
    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    return x, y, xx


def nn_module(torch, state):
    """The fit as nn.Sequential(Linear(3, 1), Flatten(0, 1)), updated by hand."""
    x, y, xx = _polynomial_data(torch)

    model = torch.nn.Sequential(
        torch.nn.Linear(3, 1),
        torch.nn.Flatten(0, 1)
    ).double()
    model.load_state_dict(state)

    loss_fn = torch.nn.MSELoss(reduction='sum')

    learning_rate = 1e-6
    losses = []
    for t in range(STEPS):
        y_pred = model(xx)

        loss = loss_fn(y_pred, y)
        losses.append(loss.item())

        model.zero_grad()

        loss.backward()

        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad

    linear_layer = model[0]
    return losses, [linear_layer.bias.item(), linear_layer.weight[:, 0].item(),
                    linear_layer.weight[:, 1].item(), linear_layer.weight[:, 2].item()]


def optim(torch, state):
    """The same model trained by torch.optim.RMSprop."""
    x, y, xx = _polynomial_data(torch)

    model = torch.nn.Sequential(
        torch.nn.Linear(3, 1),
        torch.nn.Flatten(0, 1)
    ).double()
    model.load_state_dict(state)
    loss_fn = torch.nn.MSELoss(reduction='sum')

    learning_rate = 1e-3
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
    losses = []
    for t in range(STEPS):
        y_pred = model(xx)

        loss = loss_fn(y_pred, y)
        losses.append(loss.item())

        optimizer.zero_grad()

        loss.backward()

        optimizer.step()

    linear_layer = model[0]
    return losses, [linear_layer.bias.item(), linear_layer.weight[:, 0].item(),
                    linear_layer.weight[:, 1].item(), linear_layer.weight[:, 2].item()]


def custom_module(torch, init):
    """A Module subclass with four scalar Parameters, trained by SGD."""

    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.b = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.c = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.d = torch.nn.Parameter(torch.randn((), dtype=torch.float64))

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        def string(self):
            return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3'

    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
    y = torch.sin(x)

    model = Polynomial3()
    model.load_state_dict({name: torch.tensor(value, dtype=torch.float64) for name, value in zip("abcd", init)})

    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
    losses = []
    for t in range(STEPS):
        y_pred = model(x)

        loss = criterion(y_pred, y)
        losses.append(loss.item())

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return losses, model.string()


def dynamic_graph(torch, init, seed=0):
    """A forward pass whose graph changes each step: the 4th and 5th powers share one weight and
    appear a random number of times."""

    class DynamicNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.b = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.c = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.d = torch.nn.Parameter(torch.randn((), dtype=torch.float64))
            self.e = torch.nn.Parameter(torch.randn((), dtype=torch.float64))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x ** exp
            return y

        def string(self):
            return f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3 + {self.e.item()} x^4 ? + {self.e.item()} x^5 ?'

    random.seed(seed)
    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
    y = torch.sin(x)

    model = DynamicNet()
    model.load_state_dict({name: torch.tensor(value, dtype=torch.float64)
                           for name, value in zip("abcde", list(init) + [0.0])})

    criterion = torch.nn.MSELoss(reduction='sum')
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    losses = []
    for t in range(STEPS):
        y_pred = model(x)

        loss = criterion(y_pred, y)
        losses.append(loss.item())

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return losses, model.string()
