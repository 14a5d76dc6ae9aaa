"""Conv2d: gradient checks, PyTorch parity over its options, and bad input."""
import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.nn import functional as F
from tests.conftest import random64

OPTIONS = [
    dict(),
    dict(stride=2),
    dict(padding=1),
    dict(padding=(2, 1), stride=(2, 1)),
    dict(padding="same"),
    dict(padding="same", dilation=2),
    dict(dilation=(2, 1), padding=1),
    dict(groups=2),
    dict(groups=4, stride=2, padding=1),
    dict(bias=False),
]


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_conv2d_gradcheck(options):
    options = dict(options)
    use_bias = options.pop("bias", True)
    x = random64(2, 4, 6, 5, seed=1)
    w = random64(4, 4 // options.get("groups", 1), 3, 2, seed=2)
    b = random64(4, seed=3) if use_bias else None
    inputs = [x, w] + ([b] if use_bias else [])
    assert sinir.gradcheck(lambda x, w, *b: F.conv2d(x, w, b[0] if b else None, **options), inputs)


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_conv2d_matches_pytorch(options):
    torch = pytest.importorskip("torch")
    options = dict(options)
    use_bias = options.pop("bias", True)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 9, 8))
    w = rng.standard_normal((6 if options.get("groups", 1) != 4 else 8, 4 // options.get("groups", 1), 3, 3))
    b = rng.standard_normal(w.shape[0])
    ours = [sinir.Tensor(a, requires_grad=True, dtype=np.float64) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    y = F.conv2d(ours[0], ours[1], ours[2] if use_bias else None, **options)
    t = torch.nn.functional.conv2d(theirs[0], theirs[1], theirs[2] if use_bias else None, **options)
    np.testing.assert_allclose(y.numpy(), t.detach().numpy(), rtol=1e-9, atol=1e-9)
    g = rng.standard_normal(y.shape)
    y.backward(g)
    t.backward(torch.tensor(g))
    for a, b_, name in zip(ours, theirs, ["input", "weight", "bias"]):
        if name == "bias" and not use_bias:
            continue
        np.testing.assert_allclose(a.grad, b_.grad.numpy(), rtol=1e-9, atol=1e-9, err_msg=name)


def test_conv2d_module_matches_pytorch_module_in_float32():
    torch = pytest.importorskip("torch")
    ours = nn.Conv2d(3, 8, 5, stride=2, padding=2)
    theirs = torch.nn.Conv2d(3, 8, 5, stride=2, padding=2)
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((4, 3, 16, 16)).astype(np.float32)
    y = ours(sinir.tensor(x))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-5)


def test_no_gradient_is_computed_for_the_network_input():
    conv = nn.Conv2d(1, 2, 3)
    x = sinir.randn(2, 1, 5, 5)
    conv(x).sum().backward()
    assert x.grad is None and conv.weight.grad is not None


def test_output_shapes_and_repr():
    assert nn.Conv2d(1, 6, 5, padding=2)(sinir.randn(2, 1, 28, 28)).shape == (2, 6, 28, 28)
    assert nn.Conv2d(3, 4, 3, stride=2)(sinir.randn(1, 3, 9, 9)).shape == (1, 4, 4, 4)
    assert repr(nn.Conv2d(1, 6, 5, padding=2)) == "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"


def test_bad_input_names_the_layer_and_the_numbers():
    conv = nn.Conv2d(3, 8, 5)
    with pytest.raises(ValueError, match=r"Conv2d\(3, 8\): expected input of shape \(N, 3, H, W\), got \(3, 28, 28\)"):
        conv(sinir.randn(3, 28, 28))
    with pytest.raises(ValueError, match=r"Conv2d\(3, 8\): expected input of shape \(N, 3, H, W\), got \(1, 1, 28, 28\)"):
        conv(sinir.randn(1, 1, 28, 28))
    with pytest.raises(ValueError, match=r"the kernel spans 5 pixels .* padded input is only 4"):
        conv(sinir.randn(1, 3, 4, 4))
    with pytest.raises(ValueError, match=r"stride must be an integer >= 1"):
        nn.Conv2d(3, 8, 3, stride=0)
    with pytest.raises(ValueError, match=r"groups=2 must divide in_channels=3"):
        nn.Conv2d(3, 8, 3, groups=2)
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1"):
        nn.Conv2d(3, 8, 3, stride=2, padding="same")
