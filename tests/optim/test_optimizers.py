"""Ten steps of each optimizer give PyTorch's parameters, from the same start and gradients."""
import numpy as np
import pytest

import sinir
from sinir import nn, optim

torch = pytest.importorskip("torch")

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.02, weight_decay=0.3, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1)),
]


def _problem():
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((8, 4)), rng.standard_normal((8, 3))


@pytest.mark.parametrize("name, options", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_ten_steps_match_pytorch(name, options):
    w0, b0, x, y = _problem()
    ours = [nn.Parameter(sinir.tensor(w0, dtype=np.float64)), nn.Parameter(sinir.tensor(b0[:3], dtype=np.float64))]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0[:3], requires_grad=True)]
    ours_opt = getattr(optim, name)(ours, **options)
    theirs_opt = getattr(torch.optim, name)(theirs, **options)
    xs, xt = sinir.tensor(x, dtype=np.float64), torch.tensor(x)
    for _ in range(10):
        ours_opt.zero_grad()
        (((xs @ ours[0].T + ours[1]) - y) ** 2).mean().backward()
        ours_opt.step()
        theirs_opt.zero_grad()
        (((xt @ theirs[0].T + theirs[1]) - torch.tensor(y)) ** 2).mean().backward()
        theirs_opt.step()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-7, atol=1e-9)


def test_parameter_groups_have_their_own_learning_rate():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    optimizer = optim.SGD([{"params": [a], "lr": 1.0}, {"params": [b]}], lr=0.1)
    a.grad = np.ones(2, dtype=np.float32)
    b.grad = np.ones(2, dtype=np.float32)
    optimizer.step()
    np.testing.assert_allclose(a.numpy(), [0, 0])
    np.testing.assert_allclose(b.numpy(), [0.9, 0.9])


def test_state_dict_round_trip_continues_identically():
    def run(steps, optimizer_state=None):
        w = nn.Parameter(np.array([1.0, -2.0, 3.0]))
        optimizer = optim.Adam([w], lr=0.1)
        if optimizer_state is not None:
            w.data[...] = optimizer_state[0]
            optimizer.load_state_dict(optimizer_state[1])
        for _ in range(steps):
            optimizer.zero_grad()
            (w * w).sum().backward()
            optimizer.step()
        return w.numpy().copy(), optimizer.state_dict()

    straight, _ = run(6)
    half_weights, half_state = run(3)
    resumed, _ = run(3, (half_weights, half_state))
    np.testing.assert_array_equal(straight, resumed)


@pytest.mark.parametrize("build, message", [
    (lambda p: optim.SGD(p, lr=-0.1), "lr must be a finite, non-negative number"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "momentum must be a finite, non-negative number"),
    (lambda p: optim.SGD(p, lr=0.1, weight_decay=-1), "weight_decay must be a finite, non-negative number"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "Nesterov"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), r"betas\[0\] must be in \[0, 1\)"),
    (lambda p: optim.Adam(p, betas=(0.9, -0.1)), r"betas\[1\] must be in \[0, 1\)"),
    (lambda p: optim.SGD([], lr=0.1), "empty parameter list"),
    (lambda p: optim.SGD(p, lr=float("nan")), "lr must be a finite, non-negative number, got nan"),
    (lambda p: optim.Adam(p, lr=float("inf")), "lr must be a finite, non-negative number, got inf"),
    (lambda p: optim.Adam(p, eps=0.0), "eps must be a finite, positive number"),
    (lambda p: optim.RMSprop(p, eps=-1e-8), "eps must be a finite, positive number"),
    (lambda p: optim.Adagrad(p, weight_decay=float("nan")), "weight_decay must be a finite"),
    (lambda p: optim.RMSprop(p, momentum=float("inf")), "momentum must be a finite"),
    (lambda p: optim.Adam(p, betas=(float("nan"), 0.999)), r"betas\[0\] must be in \[0, 1\)"),
    (lambda p: optim.SGD(p, lr="fast"), "lr must be a number, got 'fast'"),
])
def test_invalid_hyperparameters_raise_when_built(build, message):
    with pytest.raises(ValueError, match=message):
        build([nn.Parameter(np.ones(2))])
