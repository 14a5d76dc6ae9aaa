"""PyTorch's dtype rules, checked against PyTorch itself: construction, promotion of every binary
operator over the dtype table, in-place casting rules, conversions and integer reductions."""
import itertools

import numpy as np
import pytest
import torch

import sinir

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]
OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a ** b,
    "max": lambda a, b: a.maximum(b) if hasattr(a, "maximum") else None,
}
SCALARS = [True, 2, 2.5]


def _pair(dtype, shape):
    values = np.array([1, 2, 3][:shape[0]] if shape else 2).astype(dtype)
    return sinir.tensor(values), torch.tensor(values)


def _outcome(fn, a, b):
    try:
        return str(fn(a, b).dtype).replace("torch.", "")
    except (RuntimeError, TypeError):
        return "error"


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("left, right", list(itertools.product(DTYPES, DTYPES)))
def test_tensor_tensor_promotion_matches_torch(op, left, right):
    for left_shape, right_shape in (((3,), (3,)), ((3,), ()), ((), (3,))):
        a, ta = _pair(left, left_shape)
        b, tb = _pair(right, right_shape)
        expected = _outcome(OPERATORS[op], ta, tb)
        if expected == "error":
            continue  # PyTorch refuses (bool - bool, ...): checked separately below
        assert _outcome(OPERATORS[op], a, b) == expected, (op, left, left_shape, right, right_shape)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_scalar_promotion_matches_torch(op, dtype):
    for scalar in SCALARS:
        for shape in ((3,), ()):
            a, ta = _pair(dtype, shape)
            expected = _outcome(OPERATORS[op], ta, scalar)
            if expected != "error":
                assert _outcome(OPERATORS[op], a, scalar) == expected, (op, dtype, shape, scalar)
            expected = _outcome(OPERATORS[op], scalar, ta)
            if expected != "error" and op != "**":
                assert _outcome(OPERATORS[op], scalar, a) == expected, (op, scalar, dtype, shape)


def test_bool_subtraction_and_negation_raise_as_in_torch():
    a = sinir.tensor([True, False])
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        a - a
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        -a


def test_construction_keeps_array_dtypes_and_python_floats_take_the_default():
    assert sinir.tensor(np.zeros(2)).dtype == torch.tensor(np.zeros(2)).numpy().dtype == np.float64
    assert sinir.Tensor(np.zeros(2, dtype=np.float32)).dtype == np.float32
    assert sinir.from_numpy(np.arange(3)).dtype == np.int64
    assert sinir.tensor([1.0, 2.0]).dtype == np.float32
    assert sinir.tensor(2.5).dtype == np.float32
    assert sinir.tensor([1, 2]).dtype == np.int64
    assert sinir.tensor([True]).dtype == np.bool_
    assert sinir.tensor([1, 2], dtype=sinir.float64).dtype == np.float64
    assert sinir.full((2,), 3).dtype == np.int64 and sinir.full((2,), 3.0).dtype == np.float32
    assert sinir.arange(3).dtype == np.int64 and sinir.arange(0, 1, 0.5).dtype == np.float32


def test_tensor_copies_and_from_numpy_shares():
    array = np.zeros(3)
    copied, shared = sinir.tensor(array), sinir.from_numpy(array)
    array[0] = 7
    assert copied[0].item() == 0 and shared[0].item() == 7


def test_float64_tensor_times_python_float_stays_float64():
    x = sinir.tensor(np.ones(2))
    assert (x * 0.5).dtype == np.float64
    assert (sinir.ones(2) * sinir.tensor(np.ones(2))).dtype == np.float64
    assert (sinir.tensor([1, 2]) * 0.5).dtype == np.float32


def test_gradients_flow_through_promotion_in_the_input_dtype():
    a = sinir.ones(3, requires_grad=True)
    b = sinir.tensor(np.full(3, 2.0), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    assert a.grad.tolist() == [2.0] * 3 and b.grad.tolist() == [1.0] * 3


@pytest.mark.parametrize("target", DTYPES)
@pytest.mark.parametrize("source", ["bool", "int64", "float32", "float64", "int scalar", "float scalar"])
def test_in_place_casting_rule_matches_torch(target, source):
    a, ta = _pair(target, (3,))
    if source.endswith("scalar"):
        b = tb = 2 if source.startswith("int") else 2.5
    else:
        b, tb = _pair(source, (3,))

    def run(x, y):
        x += y
        return x

    expected = _outcome(run, ta, tb)
    got = _outcome(run, a, b)
    assert got == expected, (target, source)
    if expected == "error":
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            run(a, b)


def test_conversions():
    x = sinir.tensor([1.5, -2.0])
    assert x.double().dtype == np.float64 and x.float().dtype == np.float32
    assert x.long().tolist() == [1, -2] and x.long().dtype == np.int64
    assert x.int().dtype == np.int32 and x.bool().tolist() == [True, True]
    assert x.type(sinir.float64).dtype == np.float64 and x.to(sinir.double).dtype == np.float64
    assert x.to(sinir.float32) is x                            # no change: the same tensor
    assert x.type() == "sinir.FloatTensor"
    assert sinir.float is sinir.float32 and sinir.long is sinir.int64 and sinir.int is sinir.int32
    assert sinir.double is sinir.float64 and sinir.bool is np.bool_ and sinir.uint8 is np.uint8


def test_mean_of_an_integer_tensor_raises_and_sum_is_int64():
    with pytest.raises(RuntimeError, match=r"mean\(\): could not infer output dtype"):
        sinir.tensor([1, 2]).mean()
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).mean()
    assert sinir.tensor([True, True]).sum().dtype == torch.tensor([True, True]).sum().numpy().dtype
    assert sinir.tensor([1, 2], dtype=sinir.int32).sum().dtype == np.int64


def test_matmul_of_different_dtypes_raises_as_in_torch():
    with pytest.raises(RuntimeError, match="same dtype"):
        torch.ones(2, dtype=torch.float64) @ torch.ones(2, 2)
    with pytest.raises(RuntimeError, match="same dtype"):
        sinir.tensor(np.ones(2)) @ sinir.ones(2, 2)


def test_float_functions_of_integer_tensors_give_the_default_float():
    i = sinir.tensor([1, 2])
    for name in ("exp", "log", "sqrt", "sigmoid", "tanh"):
        assert getattr(i, name)().dtype == getattr(torch.tensor([1, 2]), name)().numpy().dtype
