"""Tensor methods and functions under PyTorch's names (the methods call sinir/tensor_functions.py):
values and gradients equal PyTorch's, and the differentiable ones pass sinir's central-difference
gradcheck in float64."""
import numpy as np
import pytest
import torch

import sinir

CASES = {
    "split": (lambda L, a: L.cat([p * (i + 1) for i, p in enumerate(L.split(a, 2, 1))], 1), [(3, 5)]),
    "split sizes": (lambda L, a: a.split([1, 2], 0)[1] * 3, [(3, 4)]),
    "chunk": (lambda L, a: L.chunk(a, 3, 0)[2] ** 2, [(5, 2)]),
    "repeat": (lambda L, a: a.repeat(2, 1, 3) * L.arange(6).double(), [(2, 2)]),
    "gather": (lambda L, a: L.gather(a, 1, L.tensor([[0, 0], [2, 1], [1, 3]])) ** 2, [(3, 4)]),
    "scatter_add": (lambda L, a, b: a.scatter_add(0, L.tensor([[0, 1, 2], [0, 0, 1]]), b) ** 2, [(3, 3), (2, 3)]),
    "index_select": (lambda L, a: L.index_select(a, 1, L.tensor([2, 0, 2])) ** 2, [(3, 4)]),
    "masked_fill": (lambda L, a: a.masked_fill(a > 0.5, -1.0) ** 2, [(3, 4)]),
    "masked_select": (lambda L, a: L.masked_select(a, a > 0.0) ** 2, [(3, 4)]),
    "var": (lambda L, a: a.var(1) + L.var(a) + a.var(0, unbiased=False, keepdim=True).sum(), [(3, 4)]),
    "std": (lambda L, a: a.std(1, keepdim=True) * L.std(a, correction=0), [(3, 4)]),
    "cumsum": (lambda L, a: L.cumsum(a, 1) ** 2 + a.cumsum(0), [(3, 4)]),
    "log1p tan": (lambda L, a: L.log1p(a.abs()) + L.tan(a * 0.3), [(3, 4)]),
    "sin cos": (lambda L, a: L.sin(a) * L.cos(a * 2), [(3, 4)]),
    "outer dot": (lambda L, a, b: L.outer(a, b) * L.dot(a, a), [(3,), (4,)]),
    "bmm": (lambda L, a, b: L.bmm(a, b), [(2, 3, 4), (2, 4, 2)]),
    "t mm": (lambda L, a, b: L.t(a).mm(b), [(3, 2), (3, 4)]),
    "expand_as view_as": (lambda L, a, b: a.expand_as(b) * b.view_as(b), [(1, 4), (3, 4)]),
    "new_ones": (lambda L, a: a * a.new_ones(3, 4) + a.new_tensor([1.0, 2.0, 3.0, 4.0]), [(3, 4)]),
}


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(s) for s in shapes]
    ours = [sinir.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    y, ty = fn(sinir, *ours), fn(torch, *theirs)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    weights = rng.standard_normal(tuple(ty.shape))
    (y * sinir.tensor(weights)).sum().backward()
    (ty * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert sinir.gradcheck(lambda *xs: fn(sinir, *xs), [sinir.tensor(a, requires_grad=True) for a in arrays])


def test_non_differentiable_helpers_match_torch():
    data = np.array([[0.0, 1.5, np.nan], [np.inf, -2.0, 0.0]])
    for name in ("isnan", "isfinite"):
        assert getattr(sinir, name)(sinir.tensor(data)).tolist() == getattr(torch, name)(torch.tensor(data)).tolist()
    x, tx = sinir.tensor([[0, 3], [4, 0]]), torch.tensor([[0, 3], [4, 0]])
    assert x.nonzero().tolist() == tx.nonzero().tolist()
    assert [t.tolist() for t in x.nonzero(as_tuple=True)] == [t.tolist() for t in tx.nonzero(as_tuple=True)]
    assert 3 in x and 7 not in x
    assert x.new_zeros(2).dtype == np.int64 and x.new_full((2,), 1.5, dtype=sinir.float64).tolist() == [1.5, 1.5]
