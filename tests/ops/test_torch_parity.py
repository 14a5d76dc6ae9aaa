"""Second oracle: forward values and gradients equal PyTorch's, in float64."""
import numpy as np
import pytest

import sinir
from sinir.nn import functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _pair(shape, seed, positive=False):
    data = np.random.default_rng(seed).standard_normal(shape)
    if positive:
        data = np.abs(data) + 0.5
    return (sinir.Tensor(data.copy(), requires_grad=True, dtype=np.float64),
            torch.tensor(data.copy(), requires_grad=True))


def _check(ours, theirs, inputs):
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-6)
    weights = np.random.default_rng(99).standard_normal(ours.shape)
    ours.backward(weights)
    theirs.backward(torch.tensor(weights))
    for i, (a, b) in enumerate(inputs):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-6, atol=1e-6, err_msg=f"input {i}")


OPS = {
    "add": (lambda a, b: a + b, [(3, 4), (4,)]),
    "sub": (lambda a, b: a - b, [(3, 1), (1, 4)]),
    "mul": (lambda a, b: a * b, [(2, 3), (2, 3)]),
    "div": (lambda a, b: a / b, [(2, 3), "+(3,)"]),
    "pow": (lambda a, b: a ** b, ["+(3,)", (3,)]),
    "pow scalar": (lambda a: a ** 2.5, ["+(3, 2)"]),
    "matmul": (lambda a, b: a @ b, [(3, 4), (4, 2)]),
    "matmul batched": (lambda a, b: a @ b, [(2, 3, 4), (4,)]),
    "sum": (lambda a: a.sum(dim=1, keepdim=True), [(3, 4)]),
    "mean": (lambda a: a.mean(dim=(0, 1)), [(3, 4, 2)]),
    "amax": (lambda a: a.amax(dim=1) if hasattr(a, "amax") else a.max(axis=1), [(3, 4)]),
    "min all": (lambda a: a.min(), [(3, 4)]),
    "exp": (lambda a: a.exp(), [(5,)]),
    "log": (lambda a: a.log(), ["+(5,)"]),
    "sqrt": (lambda a: a.sqrt(), ["+(5,)"]),
    "abs": (lambda a: a.abs(), [(5,)]),
    "clamp": (lambda a: a.clamp(-0.3, 0.4), [(6,)]),
    "relu": (lambda a: a.relu(), [(6,)]),
    "sigmoid": (lambda a: a.sigmoid(), [(6,)]),
    "tanh": (lambda a: a.tanh(), [(6,)]),
    "softmax": (lambda a: a.softmax(dim=1), [(3, 4)]),
    "log_softmax": (lambda a: a.log_softmax(dim=0), [(3, 4)]),
    "transpose": (lambda a: a.transpose(0, 2), [(2, 3, 4)]),
    "permute": (lambda a: a.permute(2, 0, 1), [(2, 3, 4)]),
    "reshape": (lambda a: a.reshape(4, -1), [(2, 3, 4)]),
    "unsqueeze squeeze": (lambda a: a.unsqueeze(1).squeeze(), [(3, 1, 4)]),
    "slice": (lambda a: a[1:, :2], [(3, 4)]),
    "fancy index": (lambda a: a[[0, 2, 2]], [(3, 4)]),
    "leaky relu": (lambda a: (F if isinstance(a, sinir.Tensor) else TF).leaky_relu(a, 0.1), [(6,)]),
    "linear": (lambda x, w, b: (F if isinstance(x, sinir.Tensor) else TF).linear(x, w, b), [(5, 4), (3, 4), (3,)]),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_torch(name):
    fn, specs = OPS[name]
    inputs = [_pair(eval(spec[1:]) if isinstance(spec, str) else spec, i, isinstance(spec, str))
              for i, spec in enumerate(specs)]
    _check(fn(*[a for a, _ in inputs]), fn(*[b for _, b in inputs]), inputs)


def test_where_concatenate_stack_pad_match_torch():
    (a, ta), (b, tb) = _pair((2, 3), 1), _pair((2, 3), 2)
    ours = sinir.concatenate([sinir.where(a.numpy() > 0, a, b), sinir.stack([a, b], axis=2).reshape(2, 6)], axis=1)
    theirs = torch.cat([torch.where(ta > 0, ta, tb), torch.stack([ta, tb], dim=2).reshape(2, 6)], dim=1)
    _check(F.pad(ours, (1, 2, 0, 1), value=0.5), TF.pad(theirs, (1, 2, 0, 1), value=0.5), [(a, ta), (b, tb)])


LOSSES = {
    "mse": (F.mse_loss, TF.mse_loss, {}),
    "l1": (F.l1_loss, TF.l1_loss, {"reduction": "sum"}),
    "huber": (F.huber_loss, TF.huber_loss, {"delta": 0.8}),
    "smooth l1": (F.smooth_l1_loss, TF.smooth_l1_loss, {"beta": 0.5, "reduction": "none"}),
    "bce with logits": (F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits, {}),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_regression_losses_match_torch(name):
    ours_fn, theirs_fn, kwargs = LOSSES[name]
    (p, tp), (t, tt) = _pair((4, 3), 1), _pair((4, 3), 2)
    if name.startswith("bce"):
        t.data[...] = tt.data[...] = torch.tensor((t.numpy() > 0).astype(float))
    _check(ours_fn(p, t, **kwargs), theirs_fn(tp, tt, **kwargs), [(p, tp), (t, tt)])


def test_bce_with_logits_pos_weight_matches_torch():
    (p, tp), (t, tt) = _pair((4, 3), 1), _pair((4, 3), 2)
    labels = (t.numpy() > 0).astype(float)
    weight = np.array([0.5, 2.0, 3.0])
    ours = F.binary_cross_entropy_with_logits(p, sinir.Tensor(labels, dtype=np.float64), pos_weight=weight)
    theirs = TF.binary_cross_entropy_with_logits(tp, torch.tensor(labels), pos_weight=torch.tensor(weight))
    _check(ours, theirs, [(p, tp)])


def test_bce_matches_torch_including_clamped_logs():
    (p, tp), _ = _pair((6,), 1), None
    probabilities = np.array([0.0, 1e-50, 0.3, 0.5, 0.99, 1.0])
    labels = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    ours_p = sinir.Tensor(probabilities, requires_grad=True, dtype=np.float64)
    theirs_p = torch.tensor(probabilities, requires_grad=True)
    ours = F.binary_cross_entropy(ours_p, sinir.Tensor(labels, dtype=np.float64), reduction="none")
    theirs = TF.binary_cross_entropy(theirs_p, torch.tensor(labels), reduction="none")
    _check(ours, theirs, [(ours_p, theirs_p)])


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch(smoothing, reduction):
    (x, tx), = [_pair((5, 4), 3)]
    labels = np.array([0, 3, 1, 1, 2])
    ours = F.cross_entropy(x, sinir.tensor(labels), reduction=reduction, label_smoothing=smoothing)
    theirs = TF.cross_entropy(tx, torch.tensor(labels), reduction=reduction, label_smoothing=smoothing)
    _check(ours, theirs, [(x, tx)])


def test_cross_entropy_probability_targets_and_spatial_match_torch():
    (x, tx), (t, tt) = _pair((3, 4), 1), _pair((3, 4), 2)
    ours = F.cross_entropy(x, t.softmax(axis=1), label_smoothing=0.2)
    theirs = TF.cross_entropy(tx, tt.softmax(dim=1), label_smoothing=0.2)
    _check(ours, theirs, [(x, tx), (t, tt)])
    (x, tx), = [_pair((2, 3, 4, 5), 4)]
    labels = np.random.default_rng(0).integers(0, 3, size=(2, 4, 5))
    _check(F.cross_entropy(x, labels), TF.cross_entropy(tx, torch.tensor(labels)), [(x, tx)])


def test_nll_loss_matches_torch():
    (x, tx), = [_pair((5, 4), 3)]
    labels = np.array([0, 3, 1, 1, 2])
    _check(F.nll_loss(x.log_softmax(axis=1), labels), TF.nll_loss(tx.log_softmax(dim=1), torch.tensor(labels)),
           [(x, tx)])
