import numpy as np
import pytest

import sinir
from sinir import nn


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 3)
        self.out = nn.Linear(3, 2, bias=False)
        self.register_buffer("calls", np.zeros(1))

    def forward(self, x):
        return self.out(self.hidden(x).relu())


def test_parameters_are_registered_with_pytorch_names():
    model = TwoLayer()
    assert [name for name, _ in model.named_parameters()] == ["hidden.weight", "hidden.bias", "out.weight"]
    assert list(model.state_dict()) == ["calls", "hidden.weight", "hidden.bias", "out.weight"]
    assert model.num_parameters() == 4 * 3 + 3 + 3 * 2
    assert [type(m).__name__ for m in model.children()] == ["Linear", "Linear"]


def test_sequential_names_and_indexing():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert model[0].weight.shape == (128, 784)
    assert len(model) == 3 and isinstance(model[1:], nn.Sequential)


def test_linear_shapes_and_init_bounds():
    layer = nn.Linear(100, 20)
    bound = 1 / np.sqrt(100)
    assert layer.weight.dtype == np.float32
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.bias.numpy()).max() <= bound
    assert layer(sinir.randn(7, 100)).shape == (7, 20)
    assert layer(sinir.randn(2, 7, 100)).shape == (2, 7, 20)
    with pytest.raises(ValueError, match=r"Linear\(in_features=100\): expected input of shape \(\.\.\., 100\), got \(7, 99\)"):
        layer(sinir.randn(7, 99))
    with pytest.raises(ValueError, match="in_features must be a positive integer"):
        nn.Linear(0, 3)


def test_state_dict_round_trip_and_errors():
    a, b = TwoLayer(), TwoLayer()
    b.load_state_dict(a.state_dict())
    x = sinir.randn(5, 4)
    np.testing.assert_array_equal(a(x).numpy(), b(x).numpy())
    state = a.state_dict()
    state["hidden.weight"] = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"'hidden.weight' has shape \(2, 2\) in the state dict but \(3, 4\)"):
        b.load_state_dict(state)
    with pytest.raises(ValueError, match=r"missing keys \['out.weight'\]"):
        b.load_state_dict({k: v for k, v in a.state_dict().items() if k != "out.weight"})
    b.load_state_dict({"hidden.bias": np.ones(3)}, strict=False)
    np.testing.assert_array_equal(b.hidden.bias.numpy(), np.ones(3))


def test_state_dict_holds_tensors_sharing_memory_as_pytorch():
    model = TwoLayer()
    state = model.state_dict()
    assert all(isinstance(v, sinir.Tensor) and not v.requires_grad for v in state.values())
    np.asarray(state["hidden.bias"])[...] = 123
    assert np.all(np.asarray(model.hidden.bias) == 123)


def test_train_eval_and_dropout():
    model = nn.Sequential(nn.Dropout(0.5))
    x = sinir.ones(1000)
    y = model(x)
    assert 300 < (y.numpy() == 0).sum() < 700 and set(np.unique(y.numpy())) == {0.0, 2.0}
    model.eval()
    assert not model[0].training
    np.testing.assert_array_equal(model(x).numpy(), x.numpy())
    with pytest.raises(ValueError, match="p must be in"):
        nn.Dropout(1.5)


def test_dropout_is_reproducible_with_manual_seed():
    sinir.manual_seed(5)
    a = nn.Dropout(0.3)(sinir.ones(50)).numpy()
    sinir.manual_seed(5)
    np.testing.assert_array_equal(a, nn.Dropout(0.3)(sinir.ones(50)).numpy())


def test_zero_grad_and_double():
    model = TwoLayer()
    model(sinir.randn(3, 4)).sum().backward()
    assert model.hidden.weight.grad is not None
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.double()
    assert model.hidden.weight.dtype == np.float64 and model.calls.dtype == np.float64


def test_repr_like_pytorch():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Softmax(dim=1))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=784, out_features=128, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Dropout(p=0.2)\n"
        "  (3): Softmax(dim=1)\n"
        ")")


def test_parameter_from_array_or_tensor():
    p = nn.Parameter(np.ones((2, 2)))
    assert p.requires_grad and p.dtype == np.float32
    q = nn.Parameter(sinir.tensor([1.0, 2.0], dtype=np.float64))
    assert q.dtype == np.float64


def test_activation_modules():
    x = sinir.tensor([-2.0, 0.0, 3.0])
    assert nn.ReLU()(x).tolist() == [0.0, 0.0, 3.0]
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(x).numpy(), [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(nn.Sigmoid()(x).numpy(), 1 / (1 + np.exp(-x.numpy())), rtol=1e-6)
    np.testing.assert_allclose(nn.Tanh()(x).numpy(), np.tanh(x.numpy()), rtol=1e-6)
    np.testing.assert_allclose(nn.Softmax(dim=0)(x).numpy().sum(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(nn.LogSoftmax(dim=0)(x).exp().numpy().sum(), 1.0, rtol=1e-6)
    assert nn.Identity()(x) is x
    assert nn.Flatten()(sinir.randn(2, 3, 4)).shape == (2, 12)


def test_sigmoid_does_not_overflow():
    y = nn.Sigmoid()(sinir.tensor([-1000.0, 1000.0]))
    assert y.tolist() == [0.0, 1.0]


def test_state_dict_loads_into_pytorch_and_back():
    torch = pytest.importorskip("torch")
    ours = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 5)).astype(np.float32)
    np.testing.assert_allclose(ours(sinir.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    back = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))
    back.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(back(sinir.tensor(x)).numpy(), ours(sinir.tensor(x)).numpy())
