"""First oracle: every operation's backward against central differences in float64."""
import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.nn import functional as F
from tests.conftest import random64, tensor64

CASES = {
    "add broadcast": (lambda a, b: a + b, [(3, 4), (4,)]),
    "add scalar": (lambda a: 2.5 + a, [(3,)]),
    "sub broadcast": (lambda a, b: a - b, [(2, 1, 3), (4, 1)]),
    "rsub": (lambda a: 1.0 - a, [(3,)]),
    "mul broadcast": (lambda a, b: a * b, [(3, 1), (1, 4)]),
    "div": (lambda a, b: a / b, [(3, 4), "positive(4,)"]),
    "rdiv": (lambda a: 2.0 / a, ["positive(5,)"]),
    "pow scalar": (lambda a: a ** 3, [(3, 2)]),
    "pow tensor": (lambda a, b: a ** b, ["positive(3,)", (3,)]),
    "rpow": (lambda a: 2.0 ** a, [(4,)]),
    "neg": (lambda a: -a, [(2, 2)]),
    "matmul 2d": (lambda a, b: a @ b, [(3, 4), (4, 5)]),
    "matmul vec-mat": (lambda a, b: a @ b, [(4,), (4, 5)]),
    "matmul mat-vec": (lambda a, b: a @ b, [(3, 4), (4,)]),
    "matmul vec-vec": (lambda a, b: a @ b, [(4,), (4,)]),
    "matmul batched broadcast": (lambda a, b: a @ b, [(2, 3, 4), (4, 2)]),
    "sum all": (lambda a: a.sum(), [(3, 4)]),
    "sum axis keepdims": (lambda a: a.sum(axis=1, keepdims=True), [(3, 4, 2)]),
    "sum dim tuple": (lambda a: a.sum(dim=(0, 2)), [(3, 4, 2)]),
    "mean all": (lambda a: a.mean(), [(3, 4)]),
    "mean axis": (lambda a: a.mean(axis=0), [(3, 4)]),
    "max axis": (lambda a: a.max(dim=1).values, [(3, 5)]),
    "max axis indices": (lambda a: a.max(1)[0] * 2, [(3, 5)]),
    "max all": (lambda a: a.max(), [(3, 5)]),
    "min axis keepdims": (lambda a: a.min(dim=0, keepdim=True).values, [(3, 5)]),
    "amax axis": (lambda a: a.amax(1), [(3, 5)]),
    "reshape": (lambda a: a.reshape(2, -1) * 1.5, [(3, 4)]),
    "flatten": (lambda a: a.flatten(1), [(2, 3, 4)]),
    "transpose swap": (lambda a: a.transpose(0, 2), [(2, 3, 4)]),
    "transpose perm": (lambda a: a.transpose(2, 0, 1), [(2, 3, 4)]),
    "T": (lambda a: a.T @ a, [(3, 2)]),
    "permute": (lambda a: a.permute(1, 2, 0), [(2, 3, 4)]),
    "squeeze unsqueeze": (lambda a: a.unsqueeze(0).squeeze(1), [(3, 1, 2)]),
    "expand": (lambda a: a.expand(4, 3, 2), [(3, 1)]),
    "index slice": (lambda a: a[1:, ::2], [(4, 5)]),
    "index int array repeats": (lambda a: a[np.array([0, 2, 0])], [(3, 4)]),
    "index mask": (lambda a: a[a.numpy() > 0], [(4, 4)]),
    "index pairs": (lambda a: a[np.arange(3), np.array([1, 0, 1])], [(3, 2)]),
    "exp": (lambda a: a.exp(), [(3, 4)]),
    "log": (lambda a: a.log(), ["positive(3, 4)"]),
    "sqrt": (lambda a: a.sqrt(), ["positive(3, 4)"]),
    "abs": (lambda a: a.abs(), [(3, 4)]),
    "clip": (lambda a: a.clip(-0.5, 0.5), [(4, 4)]),
    "relu": (lambda a: a.relu(), [(4, 4)]),
    "leaky relu": (lambda a: F.leaky_relu(a, 0.2), [(4, 4)]),
    "sigmoid": (lambda a: a.sigmoid(), [(4, 4)]),
    "tanh": (lambda a: a.tanh(), [(4, 4)]),
    "softmax": (lambda a: a.softmax(axis=1), [(3, 5)]),
    "softmax axis 0": (lambda a: a.softmax(dim=0), [(3, 5)]),
    "log_softmax": (lambda a: a.log_softmax(axis=-1), [(3, 5)]),
    "where": (lambda a, b: sinir.where(a.numpy() > 0, a, b), [(3, 4), (4,)]),
    "concatenate": (lambda a, b: sinir.concatenate([a, b], axis=1), [(2, 3), (2, 2)]),
    "stack": (lambda a, b: sinir.stack([a, b], axis=1), [(2, 3), (2, 3)]),
    "pad": (lambda a: sinir.pad(a, ((1, 0), (2, 1))), [(2, 3)]),
    "F.pad": (lambda a: F.pad(a, (1, 2)), [(2, 3)]),
    "linear": (lambda x, w, b: F.linear(x, w, b), [(5, 4), (3, 4), (3,)]),
    "linear 3d input": (lambda x, w, b: F.linear(x, w, b), [(2, 5, 4), (3, 4), (3,)]),
    "cast": (lambda a: a.astype(np.float32).astype(np.float64) * 1.0, [(3,)]),
}


def _make(spec, i):
    if isinstance(spec, str):
        shape = eval(spec[len("positive"):])
        return random64(*shape, low=0.5, seed=i)
    return random64(*spec, seed=i)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck(name):
    fn, specs = CASES[name]
    inputs = [_make(spec, i) for i, spec in enumerate(specs)]
    if name == "cast":  # a float32 round trip hides steps of 1e-6: use a larger step
        assert sinir.gradcheck(fn, inputs, eps=1e-2, atol=1e-4)
    else:
        assert sinir.gradcheck(fn, inputs)


def test_max_ties_share_the_gradient():
    x = tensor64([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    x.amax(1).sum().backward()          # amax (and max() of all) share ties, as PyTorch's
    np.testing.assert_allclose(x.grad, [[0, 0.5, 0.5], [1, 0, 0]])
    x.grad = None
    x.max(1).values.sum().backward()    # max(dim) sends it to the index it returns
    np.testing.assert_allclose(x.grad, [[0, 1, 0], [1, 0, 0]])


def test_gradcheck_reports_a_wrong_backward():
    class WrongExp(sinir.ops.Exp):
        def backward(self, grad):
            return (grad * self.y * 1.01,)

    x = random64(2, 3)
    with pytest.raises(sinir.GradcheckError, match=r"input 0 \(shape \(2, 3\)\), element \(0, 0\)"):
        sinir.gradcheck(lambda t: WrongExp()(t), [x])


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="nothing to check"):
        sinir.gradcheck(lambda t: t * 2, [tensor64([1.0], requires_grad=False)])


LOSSES = {
    "mse": lambda p, t: F.mse_loss(p, t),
    "rmse": lambda p, t: F.rmse_loss(p, t),
    "l1 sum": lambda p, t: F.l1_loss(p, t, reduction="sum"),
    "huber": lambda p, t: F.huber_loss(p, t, delta=0.7),
    "smooth l1 none": lambda p, t: F.smooth_l1_loss(p, t, reduction="none", beta=0.6),
    "bce": lambda p, t: F.binary_cross_entropy(p.sigmoid(), t),
    "bce with logits": lambda p, t: F.binary_cross_entropy_with_logits(p, t),
    "bce with logits pos_weight": lambda p, t: F.binary_cross_entropy_with_logits(p, t, pos_weight=[1.0, 2.0, 0.5, 3.0]),
    "cross entropy probabilities": lambda p, t: F.cross_entropy(p, t.softmax(axis=1), label_smoothing=0.1),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradcheck(name):
    prediction = random64(3, 4, seed=1)
    target = random64(3, 4, seed=2)
    if name.startswith("bce"):
        target = tensor64((np.random.default_rng(3).random((3, 4)) > 0.5).astype(float))
    assert sinir.gradcheck(LOSSES[name], [prediction, target])


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_with_indices_gradcheck(smoothing):
    labels = sinir.tensor([0, 3, 1])
    assert sinir.gradcheck(lambda p: F.cross_entropy(p, labels, label_smoothing=smoothing), [random64(3, 4)])
    images = sinir.tensor(np.array([[[0, 1], [2, 2]], [[1, 1], [0, 0]]]))
    assert sinir.gradcheck(lambda p: F.cross_entropy(p, images), [random64(2, 3, 2, 2)])


def test_nll_loss_gradcheck():
    labels = np.array([0, 3, 1])
    assert sinir.gradcheck(lambda p: F.nll_loss(p.log_softmax(axis=1), labels), [random64(3, 4)])


def test_modules_gradcheck_in_float64():
    sinir.set_default_dtype(np.float64)
    try:
        model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3), nn.LogSoftmax(dim=1))
    finally:
        sinir.set_default_dtype(np.float32)
    x = random64(6, 4)
    assert sinir.gradcheck(lambda x, w: (model(x) * w).sum(), [x, random64(6, 3)])
