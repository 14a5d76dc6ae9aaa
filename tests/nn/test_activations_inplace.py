"""PyTorch's ``inplace=True`` activations change their input tensor, as in PyTorch."""
import numpy as np
import pytest
import torch

import sinir
from sinir import nn
from sinir.nn import functional as F

CASES = [("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {"negative_slope": 0.2}), ("ELU", {"alpha": 0.5}),
         ("SiLU", {}), ("Hardtanh", {"min_val": -0.5, "max_val": 0.7})]


@pytest.mark.parametrize("name, options", CASES, ids=[c[0] for c in CASES])
def test_an_inplace_layer_overwrites_its_input_and_its_gradient_equals_pytorchs(name, options):
    data = np.linspace(-3, 8, 12).reshape(3, 4)
    x, t = sinir.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    h, u = x * 1.5, t * 1.5                          # not leaves: may change in place
    y = getattr(nn, name)(inplace=True, **options)(h)
    z = getattr(torch.nn, name)(inplace=True, **options)(u)
    assert y is h
    np.testing.assert_allclose(h.detach().numpy(), u.detach().numpy(), rtol=1e-12)
    weights = np.cos(np.arange(12.0)).reshape(3, 4)
    (y * sinir.tensor(weights)).sum().backward()
    (z * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-12)
    assert getattr(nn, name)(inplace=True, **options).extra_repr().endswith("inplace=True")


def test_functional_relu_inplace_changes_the_tensor_without_using_the_result():
    x = sinir.tensor([-1.0, 2.0, -3.0])
    F.relu(x, inplace=True)
    np.testing.assert_array_equal(x.numpy(), [0.0, 2.0, 0.0])
    F.relu_(y := sinir.tensor([-5.0, 5.0]))
    np.testing.assert_array_equal(y.numpy(), [0.0, 5.0])


def test_inplace_on_a_leaf_that_requires_grad_is_pytorchs_error():
    x = sinir.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        nn.ReLU(inplace=True)(x)


def test_inplace_relu_after_an_operation_that_saved_its_input_refuses_backward():
    """y = h * h saved h; relu_ then changed it: backward raises as PyTorch does."""
    x = sinir.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = h * h
    F.relu(h, inplace=True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
