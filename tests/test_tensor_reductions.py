"""sinir/tensor_reductions.py: the reductions Tensor inherits (sum, mean, max / min, argmax, sort,
topk, kthvalue, median), against PyTorch's values, indices and gradients, and with gradcheck."""
import numpy as np
import pytest
import torch

import sinir
from sinir.tensor_reductions import ReductionMethods

VALUES = np.array([[0.5, -1.5, 2.0, 0.25], [3.0, -0.25, 1.0, -2.0], [0.75, 1.25, -1.0, 0.1]])

PICKS = {
    "max dim": lambda x: x.max(1),
    "min dim keepdim": lambda x: x.min(0, keepdim=True),
    "sort descending": lambda x: x.sort(1, descending=True),
    "topk": lambda x: x.topk(2, dim=0),
    "kthvalue": lambda x: x.kthvalue(2, dim=1),
    "median dim": lambda x: x.median(1),
}


def test_tensor_inherits_the_reductions():
    assert isinstance(sinir.zeros(2), ReductionMethods) and sinir.Tensor.topk is ReductionMethods.topk


@pytest.mark.parametrize("name", list(PICKS))
def test_values_indices_and_gradients_match_torch(name):
    x = sinir.tensor(VALUES, dtype=np.float64, requires_grad=True)
    tx = torch.tensor(VALUES, requires_grad=True)
    values, indices = PICKS[name](x)
    tvalues, tindices = PICKS[name](tx)
    np.testing.assert_array_equal(values.numpy(), tvalues.detach().numpy())
    np.testing.assert_array_equal(indices.numpy(), tindices.numpy())
    assert indices.dtype == np.int64
    weights = np.arange(values.numel(), dtype=np.float64).reshape(values.shape)   # a different dE/d(value) each
    (values * sinir.tensor(weights)).sum().backward()
    (tvalues * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("name", list(PICKS))
def test_picked_values_pass_gradcheck(name):
    x = sinir.tensor(VALUES, dtype=np.float64, requires_grad=True)
    assert sinir.gradcheck(lambda t: PICKS[name](t).values, (x,))


def test_numpy_and_pytorch_spellings_of_the_axis_agree():
    x = sinir.tensor(VALUES)
    np.testing.assert_array_equal(x.sum(axis=0, keepdims=True).numpy(), x.sum(dim=0, keepdim=True).numpy())
    np.testing.assert_allclose(x.mean(dim=[0, 1]).item(), VALUES.mean(), rtol=1e-6)
    assert x.argmax(dim=1, keepdim=True).shape == torch.tensor(VALUES).argmax(dim=1, keepdim=True).shape


def test_bad_dimensions_and_k_raise_clear_errors():
    x = sinir.tensor(VALUES)
    with pytest.raises(IndexError, match="sort: dimension 2 is out of range for a tensor of 2 dimensions"):
        x.sort(2)
    with pytest.raises(ValueError, match=r"max: expected one dimension, got \(0, 1\)"):
        x.max([0, 1])
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k \(5\) out of range"):
        x.kthvalue(5, dim=1)
    with pytest.raises(RuntimeError, match=r"topk: k \(4\) is out of range for dimension 0"):
        x.topk(4, dim=0)
