"""sinir/tensor_in_place.py: the in-place methods Tensor inherits, with PyTorch's rules (the dtype
rule, the leaf error, version counters, the recorded graph). Each case runs in sinir and in torch;
tests/autograd/test_in_place.py has the per-method results."""
import numpy as np
import pytest
import torch

import sinir
from sinir.nn import Parameter
from sinir.tensor_in_place import InPlaceMethods


def test_tensor_inherits_the_in_place_methods_and_keeps_its_slots():
    t = sinir.tensor([1.0, 2.0])
    assert isinstance(t, InPlaceMethods) and sinir.Tensor.add_ is InPlaceMethods.add_
    assert not hasattr(t, "__dict__")                    # no per-tensor dict: the mixin has __slots__ = ()
    assert not hasattr(Parameter(np.zeros(2)), "__dict__")


def test_setitem_guarded_inside_graph():
    w = sinir.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        w[0] = 5.0
    with sinir.no_grad():
        w[0] = 5.0
    assert w.tolist() == [5.0, 2.0]


def test_a_view_of_a_leaf_that_requires_grad_is_refused_as_in_pytorch():
    for library in (sinir, torch):
        w = library.tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            w[0:1].add_(1.0)


def test_dtype_rule_and_broadcast_errors_match_pytorch():
    for library in (sinir, torch):
        counts = library.tensor([1, 2])
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
            counts.add_(0.5)
        x = library.zeros(3)
        with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
            x.add_(library.ones(2, 3))
        assert x.tolist() == [0.0, 0.0, 0.0]                 # a refused change leaves the tensor as it was


def test_setitem_and_matmul_in_place_errors_name_what_is_wrong():
    counts = sinir.tensor([1, 2])
    with pytest.raises(RuntimeError, match="Index put requires the source and destination dtypes match, got "
                                           "Long for the destination and Float for the source"):
        counts[0] = sinir.tensor(1.5)
    square = sinir.ones(2, 2)
    with pytest.raises(RuntimeError, match=r"@=: the product has shape \(2, 3\), the tensor \(2, 2\)"):
        square @= sinir.ones(2, 3)


def test_every_kind_of_change_counts_one_version_as_in_pytorch():
    changes = [lambda t: t.add_(1.0), lambda t: t.__iadd__(2.0), lambda t: t.__setitem__(0, 5.0),
               lambda t: t.fill_(3.0), lambda t: t.zero_(), lambda t: t.normal_(), lambda t: t.uniform_(),
               lambda t: t.copy_(t * 2), lambda t: t.clamp_(0, 1)]
    x, tx = sinir.zeros(3), torch.zeros(3)
    shared = x.detach()                                           # detach() shares the counter
    for step, change in enumerate(changes, start=1):
        change(x)
        change(tx)
        assert x._version == tx._version == shared._version == step


def test_recorded_in_place_chain_passes_gradcheck_and_matches_torch():
    def chain(x):
        h = x * 2                                                # not a leaf: may change in place
        h.mul_(x).add_(1.0)
        h[0] = x[1] * 3
        return h.tanh_()                                         # tanh saves its output: the last change

    values = np.array([0.3, -0.7, 0.2, 1.1])
    assert sinir.gradcheck(chain, (sinir.tensor(values, dtype=np.float64, requires_grad=True),))
    x = sinir.tensor(values.astype(np.float32), requires_grad=True)
    tx = torch.tensor(values, dtype=torch.float32, requires_grad=True)
    y, ty = chain(x), chain(tx)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-7)
