"""gather, scatter, scatter_add, index_select, masked_select, masked_fill, repeat, split, chunk,
nonzero, isnan, isfinite (sinir/ops/indexing.py through sinir/tensor_functions.py): gradients
against central differences, values and gradients against PyTorch, errors."""
import numpy as np
import pytest

import sinir
from sinir import tensor_functions as tf
from tests.ops.oracle import S, check_against_torch, check_gradient

torch = pytest.importorskip("torch")


def _index(L, rows):
    return L.tensor(rows)


CASES = {
    "gather dim 1": (lambda L, a: L.gather(a, 1, _index(L, [[0, 0], [2, 1], [1, 3]])), [(3, 4)]),
    "gather dim 0, smaller index, repeats": (lambda L, a: L.gather(a, 0, _index(L, [[2, 0, 2], [2, 2, 1]])),
                                             [(3, 4)]),
    "gather negative dim, 3-D": (lambda L, a: L.gather(a, -1, _index(L, [[[1, 0]], [[0, 0]]])), [(2, 3, 2)]),
    "gather 0-d": (lambda L, a: L.gather(a.sum(), 0, _index(L, 0)) * a, [(2,)]),
    "scatter src": (lambda L, a, b: L.scatter(a, 1, _index(L, [[2, 0], [1, 3], [0, 1]]), b), [(3, 4), (3, 2)]),
    "scatter src larger than index": (lambda L, a, b: L.scatter(a, 0, _index(L, [[1, 0, 2]]), b), [(3, 3), (2, 4)]),
    "scatter value": (lambda L, a: L.scatter(a, 1, _index(L, [[3], [0], [1]]), 0.5), [(3, 4)]),
    "scatter_add repeats": (lambda L, a, b: L.scatter_add(a, 0, _index(L, [[0, 1, 2], [0, 0, 1]]), b),
                            [(3, 3), (2, 3)]),
    "scatter_add src larger": (lambda L, a, b: L.scatter_add(a, 1, _index(L, [[1, 1], [0, 2]]), b),
                               [(2, 3), (3, 4)]),
    "index_select repeats": (lambda L, a: L.index_select(a, 1, _index(L, [2, 0, 2])), [(3, 4)]),
    "index_select dim 0, negative dim": (lambda L, a: L.index_select(a, -3, _index(L, [1])), [(2, 3, 2)]),
    "masked_select mask broadcast": (lambda L, a: L.masked_select(a, _index(L, [True, False, True, True])),
                                     [(3, 4)]),
    "masked_select input broadcast": (lambda L, a: L.masked_select(a, _index(L, [[True, False], [True, True]])),
                                      [(2,)]),
    "masked_fill number": (lambda L, a: L.masked_fill(a, a > 0.3, -1.5), [(3, 4)]),
    "masked_fill 0-d tensor value": (lambda L, a, v: L.masked_fill(a, a > 0, v.sum()), [(3, 4), (2,)]),
    "masked_fill larger mask": (lambda L, a: L.masked_fill(a, _index(L, [[True, False, False]] * 2), 2.0), [(3,)]),
    "repeat": (lambda L, a: a.repeat(2, 1, 3) if L is torch else L.repeat(a, 2, 1, 3), [(2, 2)]),
    "repeat tuple": (lambda L, a: a.repeat((3, 2)) if L is torch else L.repeat(a, (3, 2)), [(2,)]),
    "split": (lambda L, a: L.cat([p * (i + 1) for i, p in enumerate(L.split(a, 2, 1))], 1), [(3, 5)]),
    "split sizes": (lambda L, a: L.split(a, [1, 2], -2)[1] * 3, [(3, 4)]),
    "chunk": (lambda L, a: L.chunk(a, 3, 0)[2] ** 2, [(5, 2)]),
}


@pytest.mark.parametrize("name", CASES)
def test_gradient_matches_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(fn, shapes)


# PyTorch's own backward fails on a scatter (and scatter_add) whose src is larger than index ("invalid gradient"):
# there only the forward values are compared.
TORCH_BACKWARD_FAILS = {"scatter src larger than index", "scatter_add src larger"}


@pytest.mark.parametrize("name", sorted(set(CASES) - TORCH_BACKWARD_FAILS))
def test_values_and_gradients_match_torch(name):
    fn, shapes = CASES[name]
    check_against_torch(torch, fn, shapes)


@pytest.mark.parametrize("name", sorted(TORCH_BACKWARD_FAILS))
def test_values_match_torch(name):
    fn, shapes = CASES[name]
    data = [np.random.default_rng(i).standard_normal(s) for i, s in enumerate(shapes)]
    expected = fn(torch, *[torch.tensor(a) for a in data]).numpy()
    np.testing.assert_allclose(fn(S, *[sinir.tensor(a) for a in data]).numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("name", ["gather dim 1", "scatter src", "scatter_add repeats", "index_select repeats",
                                  "masked_select mask broadcast", "repeat"])
def test_second_derivatives_match_central_differences(name):
    fn, shapes = CASES[name]
    check_gradient(lambda L, *xs: fn(L, *xs) ** 2, shapes, second_order=True)


def test_gather_adds_the_gradient_of_a_position_picked_twice():
    x = sinir.tensor([1.0, 2.0, 3.0], requires_grad=True)
    tf.gather(x, 0, sinir.tensor([2, 2, 0])).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 2.0]


def test_one_hot_rows_by_scatter():
    labels = sinir.tensor([2, 0, 1])
    one_hot = tf.scatter(sinir.zeros(3, 4), 1, labels.unsqueeze(1), 1.0)
    assert one_hot.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert one_hot.dtype == np.float32


@pytest.mark.parametrize("n,size", [(5, 2), (6, 3), (0, 2), (1, 4), (4, 4)])
def test_split_pieces_match_torch(n, size):
    x, tx = sinir.arange(n), torch.arange(n)
    assert [p.tolist() for p in tf.split(x, size)] == [p.tolist() for p in torch.split(tx, size)]


@pytest.mark.parametrize("n,chunks", [(5, 3), (6, 4), (0, 3), (2, 5), (7, 1), (9, 3)])
def test_chunk_pieces_match_torch(n, chunks):
    x, tx = sinir.arange(n), torch.arange(n)
    assert [p.tolist() for p in tf.chunk(x, chunks)] == [p.tolist() for p in torch.chunk(tx, chunks)]


def test_split_pieces_are_views():
    x = sinir.zeros(4)
    tf.split(x, 2)[1][0] = 7.0
    assert x.tolist() == [0.0, 0.0, 7.0, 0.0]


@pytest.mark.parametrize("data", [[[0, 3], [4, 0]], [0.0, 1.5, -2.0], [[[True, False]]], 5.0, 0, [[0, 0]]])
def test_nonzero_matches_torch(data):
    x, tx = sinir.tensor(data), torch.tensor(data)
    got, expected = tf.nonzero(x), torch.nonzero(tx)
    assert got.dtype == np.int64 and tuple(got.shape) == tuple(expected.shape)
    assert got.tolist() == expected.tolist()
    assert [t.tolist() for t in tf.nonzero(x, as_tuple=True)] == [t.tolist() for t in torch.nonzero(tx, as_tuple=True)]


@pytest.mark.parametrize("name", ["isnan", "isfinite"])
@pytest.mark.parametrize("data", [[[0.0, 1.5, np.nan], [np.inf, -np.inf, 0.0]], [1, 2], [True], 3.0])
def test_isnan_isfinite_match_torch(name, data):
    got, expected = getattr(tf, name)(sinir.tensor(data)), getattr(torch, name)(torch.tensor(data))
    assert got.dtype == np.bool_ and got.tolist() == expected.tolist()


def test_integer_and_bool_tensors_keep_their_dtype():
    x = sinir.tensor([[1, 2], [3, 4]])
    assert tf.gather(x, 1, sinir.tensor([[1], [0]])).tolist() == [[2], [3]]
    assert tf.index_select(x, 0, sinir.tensor(1)).tolist() == [[3, 4]]
    assert tf.masked_fill(x, x > 2, 0).dtype == np.int64
    assert tf.repeat(sinir.tensor([True]), 2).tolist() == [True, True]


def _raises(error, match, fn):
    with pytest.raises(error, match=match):
        fn()


X, I = sinir.zeros(3, 4), sinir.tensor([[0, 1], [2, 3]])

ERRORS = {
    "gather float index": (RuntimeError, "int32/int64", lambda: tf.gather(X, 1, sinir.tensor([[0.0]]))),
    "gather index ndim": (ValueError, "same number of dimensions", lambda: tf.gather(X, 1, sinir.tensor([0, 1]))),
    "gather index too large off dim": (ValueError, "no larger than self",
                                       lambda: tf.gather(X, 1, sinir.zeros(4, 2).long())),
    "gather index out of bounds": (IndexError, "index 4 is out of bounds for dimension 1 with size 4",
                                   lambda: tf.gather(X, 1, sinir.tensor([[4]]))),
    "gather negative index": (IndexError, "index -1 is out of bounds", lambda: tf.gather(X, 0, sinir.tensor([[-1]]))),
    "gather dim out of range": (IndexError, "Dimension out of range", lambda: tf.gather(X, 2, I)),
    "gather not a tensor": (TypeError, "must be a Tensor", lambda: tf.gather([[1.0]], 0, I)),
    "scatter src dtype": (RuntimeError, "self.dtype to be equal to src.dtype",
                          lambda: tf.scatter(X, 1, I, sinir.ones(2, 2, dtype=sinir.float64))),
    "scatter index larger than src": (ValueError, "no larger than src", lambda: tf.scatter(X, 1, I, sinir.ones(1, 2))),
    "scatter src ndim": (ValueError, "dimensions as src", lambda: tf.scatter(X, 1, I, sinir.ones(2))),
    "scatter reduce": (ValueError, "reduce", lambda: tf.scatter(X, 1, I, 1.0, reduce="multiply")),
    "scatter no src nor value": (ValueError, "exactly one", lambda: tf.scatter(X, 1, I)),
    "scatter_add out of bounds": (IndexError, "out of bounds", lambda: tf.scatter_add(X, 0, I, sinir.ones(2, 2))),
    "index_select 2-D index": (ValueError, "vector", lambda: tf.index_select(X, 0, I)),
    "index_select out of range": (IndexError, "index out of range in self",
                                  lambda: tf.index_select(X, 0, sinir.tensor([3]))),
    "index_select negative": (IndexError, "index out of range",
                              lambda: tf.index_select(X, 1, sinir.tensor([-1]))),
    "masked_select int mask": (RuntimeError, "expected BoolTensor",
                               lambda: tf.masked_select(X, sinir.ones(3, 4).long())),
    "masked_select shapes": (ValueError, "does not broadcast", lambda: tf.masked_select(X, sinir.ones(2, 4).bool())),
    "masked_fill 1-D value": (ValueError, "0-dimensional value", lambda: tf.masked_fill(X, X > 0, sinir.ones(4))),
    "masked_fill float mask": (RuntimeError, "expected BoolTensor", lambda: tf.masked_fill(X, X, 1.0)),
    "repeat too few": (ValueError, "can not be smaller", lambda: tf.repeat(X, 2)),
    "repeat negative": (ValueError, "non-negative", lambda: tf.repeat(X, 2, -1)),
    "split sizes sum": (ValueError, "sum exactly to 3", lambda: tf.split(X, [1, 1])),
    "split size 0": (ValueError, "split_size", lambda: tf.split(X, 0)),
    "split 0-d": (ValueError, "1-dimensional", lambda: tf.split(sinir.tensor(1.0), 1)),
    "split dim": (IndexError, "Dimension out of range", lambda: tf.split(X, 1, dim=2)),
    "chunk 0": (ValueError, "greater than 0", lambda: tf.chunk(X, 0)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_arguments_raise_clear_errors(name):
    error, match, fn = ERRORS[name]
    _raises(error, match, fn)


def test_torch_rejects_the_same_arguments():
    """The error cases above are errors in PyTorch too (a sample: sinir's error types differ where
    sinir's rule is ValueError)."""
    tX, tI = torch.zeros(3, 4), torch.tensor([[0, 1], [2, 3]])
    for fn in (lambda: torch.gather(tX, 1, torch.tensor([[4]])), lambda: torch.gather(tX, 2, tI),
               lambda: torch.index_select(tX, 0, torch.tensor([3])), lambda: tX.repeat(2),
               lambda: torch.split(tX, [1, 1]), lambda: torch.chunk(tX, 0),
               lambda: torch.scatter(tX, 1, tI, torch.ones(1, 2))):
        with pytest.raises((RuntimeError, IndexError)):
            fn()


def test_method_and_function_spellings_agree_with_module_names():
    assert S.gather is tf.gather and S.split is tf.split
