"""log1p, tan, and the comparison functions (sinir/ops/more_elementwise.py through
sinir/tensor_functions.py): gradients against central differences, values and gradients against
PyTorch."""
import numpy as np
import pytest

import sinir
from sinir import tensor_functions as tf
from tests.ops.oracle import check_against_torch, check_gradient

torch = pytest.importorskip("torch")

CASES = {
    "log1p": (lambda L, a: L.log1p(a.abs()), [(3, 4)]),
    "tan": (lambda L, a: L.tan(a * 0.5), [(3, 4)]),
}


@pytest.mark.parametrize("name", CASES)
def test_gradient_matches_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(fn, shapes, second_order=True)


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_against_torch(torch, fn, shapes)


def test_log1p_keeps_the_digits_of_small_values():
    x = sinir.tensor([1e-12, 1e-8], dtype=sinir.float64)
    np.testing.assert_allclose(tf.log1p(x).numpy(), [1e-12, 1e-8 - 5e-17], rtol=1e-12)


@pytest.mark.parametrize("name", ["log1p", "tan"])
def test_integers_become_the_default_float_as_torch(name):
    got, expected = getattr(tf, name)(sinir.tensor([0, 1, 2])), getattr(torch, name)(torch.tensor([0, 1, 2]))
    assert got.dtype == np.float32 and expected.dtype == torch.float32
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparison_functions_match_torch(name):
    a, b = [[1.0, 2.0, 3.0]], [[2.0], [1.0]]
    got = getattr(tf, name)(sinir.tensor(a), sinir.tensor(b))
    expected = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
    assert got.dtype == np.bool_ and got.tolist() == expected.tolist()
    assert getattr(tf, name)(sinir.tensor(a), 2.0).tolist() == getattr(torch, name)(torch.tensor(a), 2.0).tolist()


def test_t_and_dot_functions():
    m = sinir.tensor([[1.0, 2.0, 3.0]])
    assert tf.t(m).shape == (3, 1) and tf.t(sinir.tensor([1.0])).shape == (1,)
    assert tf.dot(sinir.tensor([1.0, 2.0]), sinir.tensor([3.0, 4.0])).item() == 11.0
