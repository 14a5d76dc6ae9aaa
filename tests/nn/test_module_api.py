"""Module's PyTorch API: hooks, apply, modules, buffers, to(), dtype=, state_dict as Tensors."""
import numpy as np
import pytest

import sinir
from sinir import nn


def _net():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 2), nn.Tanh()))


def test_apply_visits_children_before_parents_and_named_modules():
    seen = []
    model = _net()
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["Linear", "ReLU", "Linear", "Tanh", "Sequential", "Sequential"]
    assert [name for name, _ in model.named_modules()] == ["", "0", "1", "2", "2.0", "2.1"]
    assert [name for name, _ in model.named_modules(prefix="net")][:2] == ["net", "net.0"]
    assert len(list(model.modules())) == 6 and model.get_submodule("2.0") is model[2][0]


def test_register_buffer_persistent_and_state_dict_tensors():
    layer = nn.Linear(2, 2)
    layer.register_buffer("steps", sinir.zeros(1))
    layer.register_buffer("cache", sinir.ones(3), persistent=False)
    assert list(layer.state_dict()) == ["weight", "bias", "steps"]
    assert [name for name, _ in layer.named_buffers()] == ["steps", "cache"]
    state = layer.state_dict()
    assert all(isinstance(v, sinir.Tensor) for v in state.values())
    np.asarray(state["weight"])[0, 0] = 42.0                      # shares memory, as PyTorch
    assert float(np.asarray(layer.weight)[0, 0]) == 42.0
    with pytest.raises(ValueError, match="must be a non-empty string without dots"):
        layer.register_buffer("a.b", sinir.zeros(1))


def test_load_state_dict_takes_tensors_arrays_and_torch_tensors():
    torch = pytest.importorskip("torch")
    ours = nn.Linear(3, 2)
    theirs = torch.nn.Linear(3, 2)
    result = ours.load_state_dict(theirs.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_allclose(np.asarray(ours.weight), theirs.weight.detach().numpy())
    ours.load_state_dict({"weight": np.ones((2, 3)), "bias": sinir.zeros(2)})
    assert np.asarray(ours.weight).sum() == 6
    result = ours.load_state_dict({"bias": np.ones(2), "extra": np.ones(1)}, strict=False)
    assert result.missing_keys == ["weight"] and result.unexpected_keys == ["extra"]


def test_forward_pre_hook_forward_hook_and_removal():
    layer = nn.Linear(2, 2)
    calls = []
    pre = layer.register_forward_pre_hook(lambda m, inputs: (inputs[0] * 0,))
    post = layer.register_forward_hook(lambda m, inputs, output: calls.append(tuple(output.shape)))
    y = layer(sinir.ones(5, 2))
    np.testing.assert_allclose(np.asarray(y), np.broadcast_to(np.asarray(layer.bias), (5, 2)))
    assert calls == [(5, 2)]
    pre.remove()
    post.remove()
    layer(sinir.ones(1, 2))
    assert calls == [(5, 2)]


def test_full_backward_hook_sees_and_replaces_gradients_like_pytorch():
    torch = pytest.importorskip("torch")
    results = {}
    for lib, module, tensor in (("sinir", nn, lambda a: sinir.Tensor(a, requires_grad=True, dtype=np.float64)),
                                ("torch", torch.nn, lambda a: torch.tensor(a, requires_grad=True))):
        layer = module.Linear(3, 2).double()
        weights = {"weight": np.arange(6.0).reshape(2, 3), "bias": np.zeros(2)}
        layer.load_state_dict(weights if lib == "sinir" else {k: torch.tensor(v) for k, v in weights.items()})
        seen = []

        def hook(m, grad_input, grad_output, seen=seen):
            seen.append((np.asarray(grad_input[0]).copy(), np.asarray(grad_output[0]).copy()))
            return (grad_input[0] * 2,)

        layer.register_full_backward_hook(hook)
        x = tensor(np.ones((4, 3)))
        (layer(x) * 3).sum().backward()
        results[lib] = (seen, np.asarray(x.grad) if lib == "sinir" else x.grad.numpy())
    (ours_seen, ours_grad), (theirs_seen, theirs_grad) = results["sinir"], results["torch"]
    np.testing.assert_allclose(ours_seen[0][0], theirs_seen[0][0])
    np.testing.assert_allclose(ours_seen[0][1], theirs_seen[0][1])
    np.testing.assert_allclose(ours_grad, theirs_grad)          # the hook doubled dE/dx in both


def test_requires_grad_and_zero_grad_to_zeros():
    model = _net()
    model(sinir.randn(2, 3)).sum().backward()
    model.zero_grad(set_to_none=False)
    assert all(np.asarray(p.grad).sum() == 0 for p in model.parameters())
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize("build", [
    lambda d: nn.Linear(3, 2, dtype=d), lambda d: nn.Conv2d(1, 2, 3, dtype=d), lambda d: nn.Conv1d(2, 2, 3, dtype=d),
    lambda d: nn.ConvTranspose2d(2, 1, 2, dtype=d), lambda d: nn.BatchNorm1d(3, dtype=d),
    lambda d: nn.LayerNorm(3, dtype=d), lambda d: nn.GroupNorm(1, 2, dtype=d), lambda d: nn.Embedding(4, 2, dtype=d),
    lambda d: nn.LSTM(2, 3, dtype=d), lambda d: nn.GRUCell(2, 3, dtype=d), lambda d: nn.PReLU(dtype=d),
])
def test_layers_honour_dtype(build):
    layer = build(np.float64)
    assert {p.dtype for p in layer.parameters()} == {np.dtype(np.float64)}
    assert {p.dtype for p in build(None).parameters()} == {np.dtype(np.float32)}


def test_to_dtype_and_device():
    model = _net()
    parameter = model[0].weight
    assert model.to(np.float64) is model and model[0].weight is parameter and parameter.dtype == np.float64
    assert model.to("cpu", dtype=np.float32)[0].weight.dtype == np.float32
    assert model.to(sinir.device("cpu")) is model
    with pytest.raises(ValueError, match="sinir runs on the CPU here"):
        model.to("cuda")
    with pytest.raises(ValueError, match="sinir runs on the CPU here"):
        nn.Linear(2, 2, device="cuda:0")
    with pytest.raises(ValueError, match="only floating dtypes"):
        model.to(np.int32)
