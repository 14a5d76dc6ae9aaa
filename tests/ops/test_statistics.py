"""var, std, prod, cumsum (sinir/ops/statistics.py through sinir/tensor_functions.py): gradients
against central differences, values and gradients against PyTorch, dtypes, errors."""
import warnings

import numpy as np
import pytest

import sinir
from sinir import tensor_functions as tf
from tests.ops.oracle import check_against_torch, check_gradient

torch = pytest.importorskip("torch")

CASES = {
    "var all": (lambda L, a: L.var(a), [(3, 4)]),
    "var dim keepdim": (lambda L, a: L.var(a, 1, keepdim=True), [(3, 4)]),
    "var dims tuple, correction 0": (lambda L, a: L.var(a, (0, 2), correction=0), [(2, 3, 4)]),
    "var negative dim, unbiased False": (lambda L, a: L.var(a, -1, False), [(3, 4)]),
    "var unbiased positional": (lambda L, a: L.var(a, True) + L.var(a, False), [(5,)]),
    "var correction 2": (lambda L, a: L.var(a, dim=0, correction=2), [(4, 3)]),
    "var 0-d": (lambda L, a: L.var(a.sum(), correction=0) + a, [(2,)]),
    "std all": (lambda L, a: L.std(a), [(3, 4)]),
    "std dim keepdim": (lambda L, a: L.std(a, 0, keepdim=True), [(3, 4)]),
    "std dims list, correction 0": (lambda L, a: L.std(a, dim=[0, -1], correction=0), [(2, 3, 4)]),
    "prod all": (lambda L, a: L.prod(a), [(2, 3)]),
    "prod dim": (lambda L, a: L.prod(a, 1), [(3, 4)]),
    "prod negative dim keepdim": (lambda L, a: L.prod(a, -2, keepdim=True), [(3, 4, 2)]),
    "cumsum": (lambda L, a: L.cumsum(a, 1) ** 2, [(3, 4)]),
    "cumsum negative dim": (lambda L, a: L.cumsum(a, -3), [(3, 2, 2)]),
    "cumsum 0-d": (lambda L, a: L.cumsum(a.sum(), 0) * a, [(3,)]),
}


@pytest.mark.parametrize("name", CASES)
def test_gradient_matches_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(fn, shapes)


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_against_torch(torch, fn, shapes)


@pytest.mark.parametrize("name", ["var dim keepdim", "var dims tuple, correction 0", "std all", "std dim keepdim",
                                  "cumsum", "prod all", "prod dim", "prod negative dim keepdim"])
def test_second_derivatives_match_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(lambda L, *xs: fn(L, *xs) ** 2, shapes, second_order=True)


@pytest.mark.parametrize("data", [[[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]], [[0.0, 0.0, 3.0], [0.0, 1.0, 2.0]],
                                  [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]])
def test_prod_gradient_with_zeros_matches_torch(data):
    """One zero in a row: only it gets a gradient (the product of the others); two: none does."""
    check_against_torch(torch, lambda L, a: L.prod(a, 1), None, data=[np.array(data)])
    check_against_torch(torch, lambda L, a: L.prod(a), None, data=[np.array(data)])


def test_prod_second_derivatives_with_zeros_match_torch():
    data = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 1.5]])
    results = []
    for L in (sinir, torch):
        x = L.tensor(data, requires_grad=True)
        y = (tf if L is sinir else torch).prod(x, 1)
        g, = L.autograd.grad(y.sum(), [x], create_graph=True)
        (g * L.tensor(data + 1.0)).sum().backward()
        results += [g.detach().numpy(), x.grad.numpy()]
    np.testing.assert_allclose(results[0], results[2], rtol=1e-12)
    np.testing.assert_allclose(results[1], results[3], rtol=1e-12)


def test_std_of_constant_values_has_gradient_zero_as_torch():
    check_against_torch(torch, lambda L, a: L.std(a, 1), None, data=[np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])])


def test_too_few_degrees_of_freedom_warn_and_match_torch():
    x, tx = sinir.tensor([1.0, 2.0], dtype=sinir.float64), torch.tensor([1.0, 2.0], dtype=torch.float64)
    for correction in (2, 3):
        with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
            got = tf.var(x, correction=correction)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = torch.var(tx, correction=correction)
        np.testing.assert_equal(got.numpy(), expected.numpy())


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.bool_])
def test_prod_and_cumsum_of_integers_are_int64_as_torch(dtype):
    data = np.array([[1, 2, 0], [3, 1, 2]]).astype(dtype)
    x, tx = sinir.tensor(data), torch.tensor(data)
    for ours, theirs in ((tf.prod(x), torch.prod(tx)), (tf.prod(x, 1), torch.prod(tx, 1)),
                         (tf.cumsum(x, 1), torch.cumsum(tx, 1))):
        assert ours.dtype == np.int64 and theirs.dtype == torch.int64
        assert ours.tolist() == theirs.tolist()


def test_dtype_argument_and_float32_results():
    x = sinir.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert tf.var(x).dtype == np.float32 and tf.std(x, 0).dtype == np.float32
    assert tf.prod(x, dtype=sinir.float64).dtype == np.float64
    assert tf.cumsum(sinir.tensor([1, 2]), 0, dtype=sinir.float32).tolist() == [1.0, 3.0]


X = sinir.zeros(3, 4)
ERRORS = {
    "var of integers": (RuntimeError, "floating point", lambda: tf.var(sinir.tensor([1, 2]))),
    "std unbiased and correction": (ValueError, "not both", lambda: tf.std(X, 0, True, correction=1)),
    "var dim out of range": (IndexError, "Dimension out of range", lambda: tf.var(X, 2)),
    "var dim twice": (ValueError, "twice", lambda: tf.var(X, (1, -1))),
    "prod dim tuple": (ValueError, "one int", lambda: tf.prod(X, (0, 1))),
    "prod dim out of range": (IndexError, "Dimension out of range", lambda: tf.prod(X, -3)),
    "cumsum dim out of range": (IndexError, "Dimension out of range", lambda: tf.cumsum(X, 2)),
    "cumsum not a tensor": (TypeError, "must be a Tensor", lambda: tf.cumsum([1, 2], 0)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_arguments_raise_clear_errors(name):
    error, match, fn = ERRORS[name]
    with pytest.raises(error, match=match):
        fn()
