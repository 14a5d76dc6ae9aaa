"""Return types and Python-number protocols as PyTorch's: named tuples (values, indices), Size,
item/int/float/index/bool/format/hash/iteration; the device API on the CPU; dim-less softmax."""
import warnings

import numpy as np
import pytest
import torch

import sinir

X = np.array([[3.0, -1.0, 4.0, 1.5], [-5.0, 9.0, 2.0, 6.5], [5.0, 3.5, -8.0, 9.5]])


def _both():
    return sinir.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)


def _same(ours, theirs):
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy())
    assert ours.dtype == theirs.detach().numpy().dtype


SELECTIONS = {
    "max dim": lambda x: x.max(1),
    "max dim keepdim": lambda x: x.max(0, keepdim=True),
    "max(x, dim)": lambda x: (sinir if isinstance(x, sinir.Tensor) else torch).max(x, 1),
    "min dim": lambda x: x.min(dim=1),
    "sort": lambda x: x.sort(),
    "sort descending dim 0": lambda x: x.sort(0, descending=True),
    "topk": lambda x: x.topk(2),
    "topk smallest dim 0": lambda x: x.topk(2, dim=0, largest=False),
    "kthvalue": lambda x: x.kthvalue(2, 1),
    "median dim": lambda x: x.median(1),
    "median dim keepdim": lambda x: x.median(0, keepdim=True),
}


@pytest.mark.parametrize("name", SELECTIONS)
def test_values_and_indices_match_torch_with_gradients(name):
    x, tx = _both()
    ours, theirs = SELECTIONS[name](x), SELECTIONS[name](tx)
    assert type(ours).__name__ == type(theirs).__name__
    values, indices = ours                                   # unpacks as a pair
    assert ours.values is values and ours.indices is indices
    _same(values, theirs.values)
    _same(indices, theirs.indices)
    weights = np.random.default_rng(0).standard_normal(values.shape)
    (values * sinir.tensor(weights)).sum().backward()
    (theirs.values * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_reductions_without_dim_are_tensors_and_two_tensors_give_the_elementwise_extreme():
    x, tx = _both()
    for name in ("max", "min", "median"):
        ours, theirs = getattr(x, name)(), getattr(tx, name)()
        assert isinstance(ours, sinir.Tensor) and ours.shape == ()
        _same(ours, theirs)
    a, b = sinir.tensor([1.0, 5.0, 2.0], requires_grad=True), sinir.tensor([3.0, 2.0, 2.0], requires_grad=True)
    ta, tb = torch.tensor([1.0, 5.0, 2.0], requires_grad=True), torch.tensor([3.0, 2.0, 2.0], requires_grad=True)
    for library, (p, q) in ((sinir, (a, b)), (torch, (ta, tb))):
        (library.max(p, q) * 2 + library.min(p, q)).sum().backward()
    _same(sinir.max(a, b), torch.max(ta, tb))
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())     # ties share the gradient
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy())


def test_argmax_of_the_mnist_example():
    output = sinir.tensor(X)
    target = sinir.tensor([2, 1, 0])
    pred = output.argmax(dim=1, keepdim=True)
    assert pred.shape == (3, 1) and pred.dtype == np.int64
    correct = pred.eq(target.view_as(pred)).sum().item()
    t_pred = torch.tensor(X).argmax(dim=1, keepdim=True)
    assert correct == t_pred.eq(torch.tensor([2, 1, 0]).view_as(t_pred)).sum().item() == 2
    _, predicted = output.max(1)
    assert predicted.tolist() == [2, 1, 3]


def test_size_and_shape():
    x = sinir.zeros(2, 3, 4)
    assert isinstance(x.size(), sinir.Size) and isinstance(x.shape, tuple) and x.shape == x.size()
    assert x.size() == torch.zeros(2, 3, 4).size() == (2, 3, 4)
    assert x.size(1) == 3 and x.size(-1) == 4 and isinstance(x.size(0), int)
    assert repr(x.size()) == "sinir.Size([2, 3, 4])"
    assert x.shape[1:] == (3, 4) and isinstance(x.shape[1:], sinir.Size)
    assert x.size().numel() == x.numel() == 24 and x.dim() == 3
    assert sinir.tensor([[1, 2]]).tolist() == [[1, 2]] and sinir.tensor(2.5).item() == 2.5


def test_python_number_protocols_match_torch():
    for library in (sinir, torch):
        label, loss = library.tensor(2), library.tensor(0.123456)
        assert ["a", "b", "c"][label] == "c"
        assert int(library.tensor(3.7)) == 3 and float(label) == 2.0
        assert f"{loss:.3f}" == "0.123" and f"{label}" == "2"
        assert bool(library.tensor([1.0])) and not bool(library.tensor(0))
        assert len({library.tensor(1.0), library.tensor(1.0)}) == 2      # hashed by identity
        rows = list(library.tensor([[1, 2], [3, 4]]))
        assert len(rows) == 2 and rows[1].tolist() == [3, 4]
        with pytest.raises(TypeError, match="only integer tensors of a single element can be converted to an index"):
            [1, 2][library.tensor(1.0)]
        with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
            bool(library.tensor([1, 2]))
        with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
            library.tensor([1.0, 2.0]).item()
        with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
            f"{library.tensor([1.0, 2.0]):.3f}"
        with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
            iter(library.tensor(1.0))


def test_device_api_on_the_cpu():
    cpu = sinir.device("cpu")
    assert cpu == sinir.device("cpu") and str(cpu) == "cpu" and cpu.type == "cpu"
    assert repr(cpu) == repr(torch.device("cpu")).replace("torch.", "")
    x = sinir.ones(2, requires_grad=True)
    assert x.device == cpu and x.to("cpu") is x and x.to(cpu) is x and x.cpu() is x
    assert x.to(cpu, sinir.float64).dtype == np.float64 and x.to(dtype=sinir.float64).requires_grad
    assert x.to(sinir.tensor([1], dtype=sinir.int64)).dtype == np.int64
    assert sinir.cuda.is_available() is False and sinir.accelerator.is_available() is False
    assert sinir.accelerator.current_accelerator() is None
    gpu = sinir.device("cuda")               # naming a GPU is allowed, as in PyTorch; using it is not
    assert gpu.type == "cuda" and sinir.device("cuda:1").index == 1
    for attempt in (lambda: x.to(gpu), lambda: x.to("cuda"), lambda: sinir.zeros(2, device="cuda"),
                    lambda: sinir.tensor([1.0], device="mps")):
        with pytest.raises(RuntimeError, match="sinir runs on the CPU here"):
            attempt()
    with pytest.raises(ValueError, match="device type"):
        sinir.device("gpu")
    model = sinir.nn.Linear(2, 1)
    assert model.to(cpu) is model


@pytest.mark.parametrize("shape, expected_dim", [((4,), 0), ((2, 3), 1), ((2, 3, 4), 0), ((2, 3, 4, 5), 1)])
def test_softmax_without_dim_picks_pytorchs_axis_with_its_warning(shape, expected_dim):
    data = np.random.default_rng(1).standard_normal(shape)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = sinir.softmax(sinir.tensor(data))
        ours_log = sinir.log_softmax(sinir.tensor(data))
        theirs = torch.nn.functional.softmax(torch.tensor(data))
        theirs_log = torch.nn.functional.log_softmax(torch.tensor(data))
    messages = [str(w.message) for w in caught]
    assert sum("Implicit dimension choice for softmax has been deprecated" in m for m in messages) == 2
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    np.testing.assert_allclose(ours_log.numpy(), theirs_log.numpy())
    np.testing.assert_allclose(ours.numpy(), sinir.tensor(data).softmax(dim=expected_dim).numpy())


def test_factories_take_dtype_device_and_requires_grad():
    for make in (sinir.zeros, sinir.ones, sinir.randn, sinir.rand, sinir.empty):
        t = make(2, 3, dtype=sinir.float64, device="cpu", requires_grad=True)
        assert t.shape == (2, 3) and t.dtype == np.float64 and t.requires_grad and t.is_leaf
    assert sinir.zeros_like(sinir.ones(2, dtype=sinir.int64)).dtype == np.int64
    assert sinir.randint(0, 5, (10,)).dtype == np.int64 and sinir.randperm(4).sort().values.tolist() == [0, 1, 2, 3]
