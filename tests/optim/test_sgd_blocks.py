"""SGD's step in blocks (sinir.optim.optimizer.subtract_scaled) is the plain formula, block by block."""
import numpy as np
import pytest

import sinir
from sinir.optim import optimizer


@pytest.mark.parametrize("size", [1, 7, 8, 9, 64])
def test_subtract_scaled_in_blocks_equals_the_whole_array_at_once(size, monkeypatch):
    monkeypatch.setattr(optimizer, "BLOCK", 8)
    rng = np.random.default_rng(size)
    weight, update = rng.standard_normal((size, 3)), rng.standard_normal((size, 3))
    expected = weight - 0.1 * update
    memory = weight
    optimizer.subtract_scaled(weight, 0.1, update)
    assert weight is memory
    np.testing.assert_array_equal(weight, expected)


def test_subtract_scaled_with_a_transposed_update_takes_the_whole_array(monkeypatch):
    monkeypatch.setattr(optimizer, "BLOCK", 4)
    rng = np.random.default_rng(0)
    weight, update = rng.standard_normal((5, 6)), rng.standard_normal((6, 5)).T
    expected = weight - 0.5 * update
    optimizer.subtract_scaled(weight, 0.5, update)
    np.testing.assert_array_equal(weight, expected)


def test_sgd_with_momentum_over_blocks_equals_pytorch(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(optimizer, "BLOCK", 5)
    rng = np.random.default_rng(1)
    start, grads = rng.standard_normal((4, 6)), [rng.standard_normal((4, 6)) for _ in range(3)]
    ours, theirs = sinir.nn.Parameter(sinir.tensor(start)), torch.nn.Parameter(torch.tensor(start))
    ours_opt, theirs_opt = sinir.optim.SGD([ours], lr=0.1, momentum=0.9), torch.optim.SGD([theirs], lr=0.1, momentum=0.9)
    for g in grads:
        ours.grad, theirs.grad = sinir.tensor(g), torch.tensor(g)
        ours_opt.step()
        theirs_opt.step()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
