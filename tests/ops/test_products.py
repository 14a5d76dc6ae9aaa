"""bmm, outer, einsum (sinir/ops/products.py through sinir/tensor_functions.py): gradients
against central differences, values and gradients against PyTorch, errors."""
import numpy as np
import pytest

import sinir
from sinir import tensor_functions as tf
from tests.ops.oracle import check_against_torch, check_gradient

torch = pytest.importorskip("torch")

CASES = {
    "bmm": (lambda L, a, b: L.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    "outer": (lambda L, a, b: L.outer(a, b), [(3,), (4,)]),
}

EQUATIONS = {
    "ij,jk->ik": [(2, 3), (3, 4)],
    "ij,jk": [(2, 3), (3, 4)],                         # implicit output: ik
    "bij,bjk->bik": [(2, 3, 4), (2, 4, 2)],
    "bi,bi->b": [(3, 4), (3, 4)],
    "i,i": [(4,)],                                     # listed twice below: a dot product with itself
    "i,j->ij": [(3,), (2,)],
    "ij->ji": [(2, 3)],
    "ij->": [(2, 3)],
    "ij->i": [(2, 3)],                                 # j summed away in the only operand
    "ij,k->ik": [(2, 3), (4,)],                        # j only in the first operand, k only in the second
    "ii->i": [(3, 3)],                                 # the diagonal
    "ii": [(3, 3)],                                    # the trace
    "iij->j": [(2, 2, 3)],
    "ij,jk,kl->il": [(2, 3), (3, 2), (2, 4)],
    "...ij,...jk->...ik": [(2, 1, 3, 3), (4, 3, 2)],   # batch axes broadcast
    "b...,b...->b": [(2, 3, 2), (2, 3, 2)],
    "i...->i": [(3, 2, 2)],
    "bI,Ij->bj": [(3, 4), (4, 2)],                     # capital letters are letters too
    " ij , jk -> ik ": [(2, 3), (3, 4)],               # spaces are ignored
    "ij,jk->ik broadcast": [(3, 1), (4, 2)],           # j has size 1 in the first operand
}


def _einsum_case(equation):
    shapes = EQUATIONS[equation]
    equation = equation.replace(" broadcast", "")
    if equation == "i,i":
        return (lambda L, a: L.einsum(equation, a, a)), shapes
    return (lambda L, *xs: L.einsum(equation, *xs)), shapes


@pytest.mark.parametrize("name", CASES)
def test_gradient_matches_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(fn, shapes, second_order=True)


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_against_torch(torch, fn, shapes)


@pytest.mark.parametrize("equation", EQUATIONS)
def test_einsum_gradient_matches_central_differences(equation):
    fn, shapes = _einsum_case(equation)
    check_gradient(fn, shapes)


@pytest.mark.parametrize("equation", ["ij,jk->ik", "bij,bjk->bik", "ij->i", "ij,k->ik", "ii->i", "ii",
                                      "...ij,...jk->...ik", "ij,jk->ik broadcast"])
def test_einsum_second_derivatives_match_central_differences(equation):
    fn, shapes = _einsum_case(equation)
    check_gradient(lambda L, *xs: fn(L, *xs) ** 2, shapes, second_order=True)


@pytest.mark.parametrize("equation", EQUATIONS)
def test_einsum_values_and_gradients_match_torch(equation):
    fn, shapes = _einsum_case(equation)
    check_against_torch(torch, fn, shapes)


def test_einsum_takes_the_operands_as_a_list():
    a, b = sinir.randn(2, 3), sinir.randn(3, 4)
    np.testing.assert_allclose(tf.einsum("ij,jk->ik", [a, b]).numpy(), (a @ b).numpy(), rtol=1e-5, atol=1e-6)


def test_outer_promotes_dtypes_as_torch():
    a, b = sinir.tensor([1.0, 2.0]), sinir.tensor([1.0, 2.0], dtype=sinir.float64)
    theirs = torch.outer(torch.tensor(a.numpy()), torch.tensor(b.numpy()))
    assert tf.outer(a, b).dtype == np.float64 and theirs.dtype == torch.float64
    assert tf.outer(sinir.tensor([1, 2]), sinir.tensor([3])).tolist() == [[3], [6]]


A3, A2 = sinir.zeros(2, 3, 4), sinir.zeros(3, 4)
ERRORS = {
    "bmm 2-D": (ValueError, "3-D", lambda: tf.bmm(A2, A2)),
    "bmm batch": (ValueError, r"to be: \[2, 4\] but got: \[3, 4\]", lambda: tf.bmm(A3, sinir.zeros(3, 4, 5))),
    "bmm inner": (ValueError, "first two dimensions", lambda: tf.bmm(A3, sinir.zeros(2, 3, 5))),
    "bmm dtype": (RuntimeError, "expected scalar type", lambda: tf.bmm(A3, sinir.zeros(2, 4, 1, dtype=sinir.float64))),
    "outer 2-D": (ValueError, "Expected 1-D argument self", lambda: tf.outer(A2, sinir.zeros(2))),
    "einsum operand count": (ValueError, "names 2 operand", lambda: tf.einsum("ij,jk->ik", A2)),
    "einsum dimensions": (ValueError, "names 2 dimension", lambda: tf.einsum("ij", A3)),
    "einsum sizes": (ValueError, "letter 'j' .* size 3", lambda: tf.einsum("ij,jk", A2, A2)),
    "einsum output letter": (ValueError, "output letter 'k'", lambda: tf.einsum("ij->ik", A2)),
    "einsum repeated output": (ValueError, "output letter 'i'", lambda: tf.einsum("ij->ii", A2)),
    "einsum characters": (ValueError, "only letters", lambda: tf.einsum("i1", A2)),
    "einsum no operands": (ValueError, "at least one operand", lambda: tf.einsum("ij")),
    "einsum dtype": (RuntimeError, "expected scalar type", lambda: tf.einsum("ij,ij", A2, A2.double())),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_arguments_raise_clear_errors(name):
    error, match, fn = ERRORS[name]
    with pytest.raises(error, match=match):
        fn()


def test_torch_rejects_the_same_einsum_equations():
    a2, a3 = torch.zeros(3, 4), torch.zeros(2, 3, 4)
    for fn in (lambda: torch.einsum("ij,jk->ik", a2), lambda: torch.einsum("ij", a3),
               lambda: torch.einsum("ij,jk", a2, a2), lambda: torch.einsum("ij->ik", a2),
               lambda: torch.einsum("ij->ii", a2), lambda: torch.bmm(a2, a2)):
        with pytest.raises(RuntimeError):
            fn()
