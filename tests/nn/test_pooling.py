"""Pooling layers: gradient checks, PyTorch parity (overlap, padding, ceil_mode, ties), errors."""
import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.nn import functional as F
from tests.conftest import random64, tensor64

MAX_OPTIONS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2),                           # overlapping windows
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=2, stride=2, ceil_mode=True, padding=1),
    dict(kernel_size=(3, 2), stride=(1, 2), dilation=(2, 1)),
]
AVG_OPTIONS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=3, stride=2, ceil_mode=True, padding=1, count_include_pad=False),
    dict(kernel_size=2, divisor_override=3),
]


@pytest.mark.parametrize("options", MAX_OPTIONS, ids=str)
def test_max_pool_gradcheck(options):
    assert sinir.gradcheck(lambda x: F.max_pool2d(x, **options), [random64(2, 3, 7, 6)])


@pytest.mark.parametrize("options", AVG_OPTIONS, ids=str)
def test_avg_pool_gradcheck(options):
    assert sinir.gradcheck(lambda x: F.avg_pool2d(x, **options), [random64(2, 3, 7, 6)])


@pytest.mark.parametrize("size", [1, (2, 3), (3, 3), (4, 5)])
def test_adaptive_pool_gradcheck(size):
    assert sinir.gradcheck(lambda x: F.adaptive_avg_pool2d(x, size), [random64(2, 2, 7, 6)])
    assert sinir.gradcheck(lambda x: F.adaptive_max_pool2d(x, size), [random64(2, 2, 7, 6)])


def _compare(ours_fn, theirs_fn, data):
    torch = pytest.importorskip("torch")
    ours = sinir.Tensor(data, requires_grad=True, dtype=np.float64)
    theirs = torch.tensor(data, requires_grad=True)
    y, t = ours_fn(ours), theirs_fn(theirs)
    np.testing.assert_allclose(y.numpy(), t.detach().numpy(), rtol=1e-12)
    g = np.random.default_rng(5).standard_normal(y.shape)
    y.backward(g)
    t.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("options", MAX_OPTIONS, ids=str)
def test_max_pool_matches_pytorch(options):
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal((2, 3, 9, 8))
    _compare(lambda x: F.max_pool2d(x, **options), lambda x: torch.nn.functional.max_pool2d(x, **options), data)


def test_max_pool_ties_send_the_gradient_to_the_first_maximum_as_pytorch():
    torch = pytest.importorskip("torch")
    data = np.round(np.random.default_rng(1).standard_normal((2, 2, 6, 6)))   # many equal values
    for options in (dict(kernel_size=2), dict(kernel_size=3, stride=1), dict(kernel_size=3, stride=2, padding=1)):
        _compare(lambda x: F.max_pool2d(x, **options), lambda x: torch.nn.functional.max_pool2d(x, **options), data)


@pytest.mark.parametrize("options", AVG_OPTIONS, ids=str)
def test_avg_pool_matches_pytorch(options):
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal((2, 3, 9, 8))
    _compare(lambda x: F.avg_pool2d(x, **options), lambda x: torch.nn.functional.avg_pool2d(x, **options), data)


@pytest.mark.parametrize("size", [1, (3, 2), (5, 7), (7, 7)])
def test_adaptive_pools_match_pytorch(size):
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(0).standard_normal((2, 3, 9, 8))
    _compare(lambda x: F.adaptive_avg_pool2d(x, size), lambda x: torch.nn.functional.adaptive_avg_pool2d(x, size), data)
    _compare(lambda x: F.adaptive_max_pool2d(x, size), lambda x: torch.nn.functional.adaptive_max_pool2d(x, size), data)


def test_the_lectures_pooling_backward():
    x = tensor64([[[[1, 3], [2, 4]]]])
    F.max_pool2d(x, 2).backward(np.array([[[[1.0]]]]))
    np.testing.assert_allclose(x.grad[0, 0], [[0, 0], [0, 1]])     # only the maximum gets it
    x = tensor64([[[[1, 3], [2, 4]]]])
    F.avg_pool2d(x, 2).backward(np.array([[[[1.0]]]]))
    np.testing.assert_allclose(x.grad[0, 0], [[0.25, 0.25], [0.25, 0.25]])   # divided by the window size


def test_pooling_bad_input():
    with pytest.raises(ValueError, match=r"MaxPool2d: expected a 4-D input \(N, C, H, W\), got shape \(6, 28, 28\)"):
        nn.MaxPool2d(2)(sinir.randn(6, 28, 28))
    with pytest.raises(ValueError, match=r"stride must be an integer >= 1"):
        nn.MaxPool2d(2, stride=0)
    with pytest.raises(ValueError, match=r"the window spans 5 pixels but the padded input is only 3"):
        nn.AvgPool2d(5)(sinir.randn(1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"padding \(2, 2\) must be at most half the kernel size"):
        nn.MaxPool2d(2, padding=2)(sinir.randn(1, 1, 8, 8))
