"""Adadelta, Adamax, NAdam, RAdam and LBFGS: 10 steps equal to PyTorch's, and bad options refused."""
import math

import numpy as np
import pytest

import sinir
from sinir import nn, optim

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _torch_float64():
    """PyTorch keeps some optimizer scalars (NAdam's mu product) in its default dtype: float64 here."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)

OPTIMIZERS = [
    ("Adadelta", dict(lr=0.5)),
    ("Adadelta", dict(lr=1.0, rho=0.8, eps=1e-4, weight_decay=0.1)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.02, betas=(0.8, 0.9), weight_decay=0.05)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
]


def _problem(lib):
    """A small least-squares problem with two parameter tensors, built identically in both libraries."""
    rng = np.random.default_rng(0)
    w0, b0, x, y = rng.standard_normal((3, 4)), rng.standard_normal(3), rng.standard_normal((8, 4)), rng.standard_normal((8, 3))
    if lib == "torch":
        w, b = torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)
        return [w, b], lambda: (((torch.tensor(x) @ w.T + b) - torch.tensor(y)) ** 2).mean()
    w = nn.Parameter(sinir.Tensor(w0, dtype=np.float64))
    b = nn.Parameter(sinir.Tensor(b0, dtype=np.float64))
    xs, ys = sinir.Tensor(x, dtype=np.float64), sinir.Tensor(y, dtype=np.float64)
    return [w, b], lambda: (((xs @ w.T + b) - ys) ** 2).mean()


@pytest.mark.parametrize("name, options", OPTIMIZERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTIMIZERS)])
def test_ten_steps_match_pytorch(name, options):
    ours, ours_loss = _problem("sinir")
    theirs, theirs_loss = _problem("torch")
    ours_opt, theirs_opt = getattr(optim, name)(ours, **options), getattr(torch.optim, name)(theirs, **options)
    for _ in range(10):
        for opt, loss in ((ours_opt, ours_loss), (theirs_opt, theirs_loss)):
            opt.zero_grad()
            loss().backward()
            opt.step()
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(a), b.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("options", [dict(lr=0.8), dict(lr=1, max_iter=5, history_size=3),
                                     dict(lr=1, line_search_fn="strong_wolfe")])
def test_lbfgs_matches_pytorch(options):
    ours, ours_loss = _problem("sinir")
    theirs, theirs_loss = _problem("torch")
    ours_opt, theirs_opt = optim.LBFGS(ours, **options), torch.optim.LBFGS(theirs, **options)

    def closure_for(opt, loss):
        def closure():
            opt.zero_grad()
            value = loss()
            value.backward()
            return value
        return closure

    for _ in range(4):
        a = ours_opt.step(closure_for(ours_opt, ours_loss))
        b = theirs_opt.step(closure_for(theirs_opt, theirs_loss))
        assert float(a) == pytest.approx(float(b.detach()), rel=1e-9)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(p), q.detach().numpy(), rtol=1e-8, atol=1e-10)
    assert ours_opt.state[id(ours[0])]["func_evals"] == theirs_opt.state[theirs[0]]["func_evals"]


@pytest.mark.parametrize("name", ["Adadelta", "Adamax", "NAdam", "RAdam"])
@pytest.mark.parametrize("option, value", [("lr", -0.1), ("lr", math.nan), ("eps", math.inf), ("weight_decay", -1.0)])
def test_bad_hyperparameters_are_refused(name, option, value):
    with pytest.raises(ValueError, match=rf"{name}: {option} must be a finite number"):
        getattr(optim, name)([nn.Parameter(np.ones(2))], **{option: value})


def test_bad_lbfgs_options():
    with pytest.raises(ValueError, match="LBFGS: lr must be a finite number"):
        optim.LBFGS([nn.Parameter(np.ones(2))], lr=math.nan)
    with pytest.raises(ValueError, match="line_search_fn must be None or 'strong_wolfe'"):
        optim.LBFGS([nn.Parameter(np.ones(2))], line_search_fn="armijo")
    with pytest.raises(ValueError, match="LBFGS.step needs a closure"):
        optim.LBFGS([nn.Parameter(np.ones(2))]).step(None)
    with pytest.raises(ValueError, match=r"betas\[0\] must be a finite number"):
        optim.NAdam([nn.Parameter(np.ones(2))], betas=(1.5, 0.9))
