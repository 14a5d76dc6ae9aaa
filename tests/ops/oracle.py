"""The two oracles for the tests of sinir/tensor_functions.py: central differences in float64
(sinir.gradcheck) and PyTorch's forward values and gradients.

A case is ``fn(L, *tensors)`` written once for both libraries: ``L`` is ``torch`` or ``S``, which
finds each name in sinir.tensor_functions first, then in sinir."""
import numpy as np

import sinir
from sinir import tensor_functions


class _Sinir:
    def __getattr__(self, name):
        return getattr(tensor_functions, name, None) or getattr(sinir, name)


S = _Sinir()


def arrays(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


def check_against_torch(torch, fn, shapes, seed=0, data=None):
    """Forward values and the gradient of every input equal PyTorch's (float64, 1e-6)."""
    data = arrays(shapes, seed) if data is None else data
    ours = [sinir.tensor(a, requires_grad=True) for a in data]
    theirs = [torch.tensor(a, requires_grad=True) for a in data]
    y, ty = fn(S, *ours), fn(torch, *theirs)
    assert y.dtype == np.float64 and tuple(y.shape) == tuple(ty.shape)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-6, atol=1e-9)
    weights = np.random.default_rng(seed + 1).standard_normal(tuple(ty.shape))
    y.backward(sinir.tensor(weights))
    ty.backward(torch.tensor(weights))
    for i, (a, b) in enumerate(zip(ours, theirs)):
        expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
        got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9, err_msg=f"gradient of input {i}")


def check_gradient(fn, shapes, seed=0, data=None, second_order=False):
    """sinir's backward equals central differences (and, if asked, so does the second derivative)."""
    data = arrays(shapes, seed) if data is None else data
    inputs = [sinir.tensor(a, requires_grad=True) for a in data]
    assert sinir.gradcheck(lambda *xs: fn(S, *xs), inputs)
    if second_order:
        assert sinir.gradgradcheck(lambda *xs: fn(S, *xs), inputs)
