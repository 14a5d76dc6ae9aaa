"""BatchNorm (train and eval, running statistics), LocalResponseNorm and Dropout2d."""
import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.nn import functional as F
from tests.conftest import random64


def test_batch_norm_gradcheck_training_and_eval():
    x, w, b = random64(4, 3, 2, 2, seed=1), random64(3, seed=2), random64(3, seed=3)
    assert sinir.gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), [x, w, b])
    mean, var = np.array([0.1, -0.2, 0.3]), np.array([1.5, 0.5, 2.0])
    assert sinir.gradcheck(lambda x, w, b: F.batch_norm(x, mean, var, w, b, training=False), [x, w, b])
    assert sinir.gradcheck(lambda x: F.batch_norm(x, None, None, training=True), [random64(5, 3)])


def test_local_response_norm_gradcheck():
    for size in (1, 2, 3, 5):
        assert sinir.gradcheck(lambda x: F.local_response_norm(x, size, alpha=0.5, beta=0.75, k=2.0),
                               [random64(2, 6, 3, 2)])


@pytest.mark.parametrize("cls, shape", [("BatchNorm2d", (6, 3, 5, 4)), ("BatchNorm1d", (8, 3)),
                                        ("BatchNorm1d", (4, 3, 5))])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batch_norm_matches_pytorch_in_train_and_eval(cls, shape, momentum):
    torch = pytest.importorskip("torch")
    ours = getattr(nn, cls)(3, momentum=momentum).double()
    theirs = getattr(torch.nn, cls)(3, momentum=momentum).double()
    rng = np.random.default_rng(0)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(3)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(3)))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    for step in range(3):
        data = rng.standard_normal(shape) * 2 + 1
        x, t = sinir.Tensor(data, requires_grad=True, dtype=np.float64), torch.tensor(data, requires_grad=True)
        y, z = ours(x), theirs(t)
        np.testing.assert_allclose(y.numpy(), z.detach().numpy(), rtol=1e-10, atol=1e-10)
        g = rng.standard_normal(shape)
        y.backward(g)
        z.backward(torch.tensor(g))
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-9)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-9)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-10, err_msg=key)
    ours.eval()
    theirs.eval()
    data = rng.standard_normal(shape)
    x, t = sinir.Tensor(data, requires_grad=True, dtype=np.float64), torch.tensor(data, requires_grad=True)
    y, z = ours(x), theirs(t)
    np.testing.assert_allclose(y.numpy(), z.detach().numpy(), rtol=1e-10, atol=1e-10)
    y.sum().backward()
    z.sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10)


def test_batch_norm_state_dict_keys_are_pytorchs():
    assert list(nn.BatchNorm2d(4).state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                                    "num_batches_tracked"]


def test_local_response_norm_matches_pytorch():
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal((2, 7, 3, 3))
    for size in (2, 3, 5):
        x, t = sinir.Tensor(data, requires_grad=True, dtype=np.float64), torch.tensor(data, requires_grad=True)
        y = nn.LocalResponseNorm(size, alpha=0.1, beta=0.75, k=2.0)(x)
        z = torch.nn.LocalResponseNorm(size, alpha=0.1, beta=0.75, k=2.0)(t)
        np.testing.assert_allclose(y.numpy(), z.detach().numpy(), rtol=1e-10)
        g = np.random.default_rng(1).standard_normal(y.shape)
        y.backward(g)
        z.backward(torch.tensor(g))
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_dropout2d_zeros_whole_channels():
    y = nn.Dropout2d(0.5)(sinir.ones(4, 16, 3, 3)).numpy()
    per_channel = y.reshape(4, 16, 9)
    assert ((per_channel == 0).all(axis=2) | (per_channel == 2).all(axis=2)).all()
    assert 0 < (per_channel == 0).all(axis=2).sum() < 64


def test_batch_norm_bad_input():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\): expected input of shape \(N, 3, \.\.\., \.\.\.\), got \(2, 4, 5, 5\)"):
        nn.BatchNorm2d(3)(sinir.randn(2, 4, 5, 5))
    with pytest.raises(ValueError, match="more than one value per channel"):
        nn.BatchNorm1d(3)(sinir.randn(1, 3))


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("grad_batch_innermost", [True, False])
def test_batch_norm_on_batch_innermost_memory_matches_pytorch(affine, grad_batch_innermost):
    """A convolution's output is (C, H, W, N) in memory; BatchNorm takes its channel rows from
    that memory without a copy (ops/norm.py: _channel_rows), whatever the gradient's layout."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    shape = (3, 4, 5, 2)

    def batch_innermost(a):
        return np.ascontiguousarray(a.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)

    data, g = rng.standard_normal(shape) * 3 + 1, rng.standard_normal(shape)
    ours, theirs = nn.BatchNorm2d(4, affine=affine).double(), torch.nn.BatchNorm2d(4, affine=affine).double()
    x, t = sinir.Tensor(batch_innermost(data), requires_grad=True, dtype=np.float64), torch.tensor(data, requires_grad=True)
    y, z = ours(x), theirs(t)
    np.testing.assert_allclose(y.numpy(), z.detach().numpy(), rtol=1e-10, atol=1e-10)
    y.backward(sinir.Tensor(batch_innermost(g) if grad_batch_innermost else g, dtype=np.float64))
    z.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-9, atol=1e-10)
    if affine:
        np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-9)
        np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-9)
    x64 = sinir.Tensor(batch_innermost(data), requires_grad=True, dtype=np.float64)
    assert sinir.gradcheck(lambda x: F.batch_norm(x, None, None, training=True), [x64])


def test_batch_norm_channel_rows_of_batch_innermost_memory_are_a_view():
    from sinir.ops.norm import _channel_rows, _from_channel_rows
    x = np.arange(24.0).reshape(4, 3, 2, 1).transpose(3, 0, 1, 2)        # (N, C, H, W) over (C, H, W, N)
    rows, order = _channel_rows(x)
    assert np.shares_memory(rows, x) and rows.shape == (4, 6)
    np.testing.assert_array_equal(_from_channel_rows(rows, x.shape, order), x)
    plain = np.arange(24.0).reshape(2, 3, 2, 2)
    rows, order = _channel_rows(plain)
    np.testing.assert_array_equal(rows[1], plain[:, 1].reshape(-1))
    np.testing.assert_array_equal(_from_channel_rows(rows, plain.shape, order), plain)
