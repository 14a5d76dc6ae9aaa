"""The Tensor methods that call sinir/tensor_functions.py (x.scatter, x.scatter_, x.prod, x.where,
...): each gives what the function gives, values and gradients, and the in-place ones change the
tensor itself with PyTorch's rules. Run after the methods are added to sinir/tensor.py."""
import numpy as np
import pytest

import sinir
from sinir import tensor_functions as tf

torch = pytest.importorskip("torch")

INDEX = [[0, 2], [1, 0], [3, 3]]

# method name -> (arguments after self, the function of sinir.tensor_functions it must equal)
METHODS = {
    "split": ((2, 1), tf.split),
    "chunk": ((3, 1), tf.chunk),
    "repeat": ((2, 1, 3), tf.repeat),
    "gather": ((1, sinir.tensor(INDEX)), tf.gather),
    "scatter": ((1, sinir.tensor(INDEX), sinir.ones(3, 2, dtype=sinir.float64)), tf.scatter),
    "scatter_add": ((1, sinir.tensor(INDEX), sinir.ones(3, 2, dtype=sinir.float64)), tf.scatter_add),
    "index_select": ((1, sinir.tensor([3, 0, 0])), tf.index_select),
    "masked_fill": ((sinir.tensor([True, False, True, False]), -1.0), tf.masked_fill),
    "masked_select": ((sinir.tensor([True, False, True, False]),), tf.masked_select),
    "var": ((1,), tf.var),
    "std": ((0, False, True), tf.std),
    "prod": ((1, True), tf.prod),
    "cumsum": ((1,), tf.cumsum),
    "log1p": ((), lambda x: tf.log1p(x.abs())),
    "tan": ((), tf.tan),
    "bmm": ((sinir.ones(1, 4, 2, dtype=sinir.float64),), lambda x, m: tf.bmm(x.unsqueeze(0), m)),
    "outer": ((sinir.tensor([1.0, 2.0], dtype=sinir.float64),), lambda x, v: tf.outer(x.reshape(-1), v)),
}


def _x():
    data = np.random.default_rng(3).standard_normal((3, 4))
    return sinir.tensor(data, requires_grad=True)


def _method(name, x, args):
    if name == "log1p":
        return x.abs().log1p()
    if name == "bmm":
        return x.unsqueeze(0).bmm(*args)
    if name == "outer":
        return x.reshape(-1).outer(*args)
    return getattr(x, name)(*args)


@pytest.mark.parametrize("name", METHODS)
def test_method_gives_what_the_function_gives(name):
    args, function = METHODS[name]
    x, y = _x(), _x()
    ours, expected = _method(name, x, args), function(y, *args)
    ours, expected = (ours, expected) if isinstance(ours, tuple) else ((ours,), (expected,))
    assert len(ours) == len(expected)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum(p.sum() for p in ours).backward()
    sum(p.sum() for p in expected).backward()
    np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_where_and_allclose_methods_match_torch():
    a, b = np.array([[1.0, -2.0], [3.0, -4.0]]), np.array([[0.5, 0.5], [0.5, 0.5]])
    x, tx = sinir.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = x.where(x > 0, sinir.tensor(b)), tx.where(tx > 0, torch.tensor(b))
    assert y.tolist() == ty.tolist()
    y.sum().backward()
    ty.sum().backward()
    assert x.grad.tolist() == tx.grad.tolist()
    assert x.allclose(sinir.tensor(a + 1e-9)) and not x.allclose(sinir.tensor(b))
    assert x.nonzero().tolist() == tx.nonzero().tolist() and x.isnan().tolist() == tx.isnan().tolist()
    assert x.isfinite().tolist() == tx.isfinite().tolist()


def test_scatter_in_place_makes_one_hot_rows_as_torch():
    labels = [2, 0, 3]
    ours = sinir.zeros(3, 4).scatter_(1, sinir.tensor(labels).unsqueeze(1), 1.0)
    theirs = torch.zeros(3, 4).scatter_(1, torch.tensor(labels).unsqueeze(1), 1.0)
    assert ours.tolist() == theirs.tolist()


def test_in_place_scatter_changes_the_tensor_and_records_the_gradient():
    data, src = np.arange(12.0).reshape(3, 4), np.full((3, 2), 0.5)
    ours, theirs = [], []
    for L, results in ((sinir, ours), (torch, theirs)):
        a = L.tensor(data, requires_grad=True)
        s = L.tensor(src, requires_grad=True)
        x = a * 1.0
        same = x.scatter_(1, L.tensor([[0, 2], [1, 0], [3, 2]]), s).scatter_add_(0, L.tensor([[2, 0]]), s[:1])
        assert same is x
        (x * x).sum().backward()
        results += [x.detach().numpy(), a.grad.numpy(), s.grad.numpy()]
    for got, expected in zip(ours, theirs):
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_in_place_scatter_on_a_leaf_that_requires_grad_raises_as_torch():
    x = sinir.zeros(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.scatter_(0, sinir.tensor([[1, 0]]), 1.0)
    with sinir.no_grad():
        x.scatter_add_(0, sinir.tensor([[1, 0]]), sinir.ones(1, 2))
    assert x.tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_an_operation_that_saved_a_tensor_refuses_after_scatter_changed_it():
    a = sinir.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = a * 1.0
    y = x.prod()                       # prod's backward reads x
    x.scatter_(0, sinir.tensor([0]), 5.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


ISSUE_12_NAMES = """flatten cat stack split chunk squeeze unsqueeze permute transpose t view view_as reshape expand
expand_as repeat gather scatter scatter_add index_select masked_fill masked_select nonzero where clamp clone
contiguous eq ne lt le gt ge isnan isfinite allclose equal sum mean std var prod cumsum norm abs exp log log1p sin
cos tan tanh sigmoid relu softmax log_softmax matmul mm bmm einsum outer dot argmax argmin sort topk zeros ones
full empty zeros_like ones_like full_like rand randn randint randperm arange linspace eye from_numpy is_tensor
numel manual_seed""".split()


@pytest.mark.parametrize("name", ISSUE_12_NAMES)
def test_every_name_of_the_issue_exists_where_torch_has_it(name):
    assert hasattr(torch, name) <= hasattr(sinir, name), f"sinir.{name} is missing"
    assert hasattr(torch.Tensor, name) <= hasattr(sinir.Tensor, name), f"sinir.Tensor.{name} is missing"


def test_the_rest_of_the_issue_names_match_torch():
    data = np.random.default_rng(4).standard_normal((2, 3))
    x, tx = sinir.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    for L, t in ((sinir, x), (torch, tx)):
        y = L.matmul(t.contiguous().view(-1, 2), t.expand(2, -1, -1)[0].view(3, 2).t())
        (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    assert x.argmin(1, keepdim=True).tolist() == tx.argmin(1, keepdim=True).tolist()
    assert sinir.argmin(x).item() == torch.argmin(tx).item()
    assert sinir.equal(x, x.clone()) and not sinir.equal(x, x[:1])
