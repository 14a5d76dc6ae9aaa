"""The faster paths of convolution and max pooling give the same numbers as the plain ones.

Each fast path is forced on small inputs (its size threshold set to 0), then compared with the
plain path and with PyTorch in float64, values and gradients, and checked by central differences.
"""
import numpy as np
import pytest

import sinir
from sinir.nn import functional as F
from sinir.ops import conv, pool
from tests.conftest import tensor64

CONV_CASES = [
    # (input shape, weight shape, padding, dilation, bias)
    ((2, 3, 9, 11), (4, 3, 3, 3), 1, 1, True),
    ((1, 2, 8, 7), (3, 2, 5, 5), 2, 1, False),
    ((3, 2, 7, 9), (2, 2, 3, 2), (0, 1), (2, 1), True),
    ((2, 4, 6, 6), (5, 4, 1, 1), 0, 1, True),
]


@pytest.fixture
def shifted_rows(monkeypatch):
    """Send every stride-1 convolution through ShiftedRows, in blocks of 32 positions."""
    monkeypatch.setattr(conv.ShiftedRows, "MIN_PATCH_BYTES", 0)
    monkeypatch.setattr(conv.ShiftedRows, "BLOCK_BYTES", 0)
    monkeypatch.setattr(conv.ShiftedRows, "MIN_BLOCK", 32)


def _conv_values_and_grads(x, w, b, padding, dilation):
    xs, ws = tensor64(x), tensor64(w)
    bs = None if b is None else tensor64(b)
    y = F.conv2d(xs, ws, bs, 1, padding, dilation)
    y.backward(sinir.Tensor(np.cos(np.arange(y.numpy().size)).reshape(y.shape), dtype=np.float64))
    return y.numpy(), [np.asarray(t.grad) for t in (xs, ws, bs) if t is not None]


def _case(shape, wshape, bias, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(wshape), (rng.standard_normal(wshape[0]) if bias else None)


@pytest.mark.parametrize("shape, wshape, padding, dilation, bias", CONV_CASES, ids=str)
def test_shifted_rows_equals_plain_im2col_and_pytorch(shape, wshape, padding, dilation, bias, monkeypatch):
    x, w, b = _case(shape, wshape, bias)
    plain_y, plain_grads = _conv_values_and_grads(x, w, b, padding, dilation)
    monkeypatch.setattr(conv.ShiftedRows, "MIN_PATCH_BYTES", 0)
    monkeypatch.setattr(conv.ShiftedRows, "BLOCK_BYTES", 0)
    monkeypatch.setattr(conv.ShiftedRows, "MIN_BLOCK", 32)   # several blocks
    taken = []
    monkeypatch.setattr(conv.ShiftedRows, "forward", lambda self, weight, f=conv.ShiftedRows.forward:
                        taken.append(self) or f(self, weight))
    y, grads = _conv_values_and_grads(x, w, b, padding, dilation)
    assert taken, "the convolution did not take the ShiftedRows path"
    np.testing.assert_allclose(y, plain_y, rtol=1e-12, atol=1e-12)
    for ours, plain in zip(grads, plain_grads):
        np.testing.assert_allclose(ours, plain, rtol=1e-12, atol=1e-12)
    torch = pytest.importorskip("torch")
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    bt = None if b is None else torch.tensor(b, requires_grad=True)
    yt = torch.nn.functional.conv2d(xt, wt, bt, 1, padding, dilation)
    yt.backward(torch.tensor(np.cos(np.arange(y.size)).reshape(y.shape)))
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in zip(grads, [t.grad.numpy() for t in (xt, wt, bt) if t is not None]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_shifted_rows_gradcheck_over_several_blocks(shifted_rows):
    rng = np.random.default_rng(3)
    x, w, b = (tensor64(rng.standard_normal(s)) for s in ((2, 2, 12, 13), (3, 2, 3, 3), (3,)))
    assert conv.ShiftedRows(x.numpy(), w.shape, (1, 1, 1, 1), (1, 1)).length > 2 * 32   # several blocks
    assert sinir.gradcheck(lambda x, w, b: F.conv2d(x, w, b, padding=1), [x, w, b])


def test_shifted_rows_only_for_stride_1_ungrouped_and_large():
    layer = conv.Conv2d((1, 1), (1, 1, 1, 1))
    assert conv.ShiftedRows.pays_off(layer, (64, 64, 3, 3), 224, 224, 2)        # VGG-16's first block
    assert not conv.ShiftedRows.pays_off(layer, (16, 6, 5, 5), 10, 10, 64)      # LeNet-5's second conv
    assert not conv.ShiftedRows.pays_off(conv.Conv2d((2, 2)), (64, 64, 3, 3), 224, 224, 2)
    assert not conv.ShiftedRows.pays_off(conv.Conv2d(groups=2), (64, 32, 3, 3), 224, 224, 2)


def _batch_innermost(data):
    """The same values, stored (C, H, W, N) in memory as sinir's convolutions leave them."""
    return np.ascontiguousarray(data.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


MAX_OPTIONS = [dict(kernel_size=2), dict(kernel_size=3, stride=3, padding=1), dict(kernel_size=(2, 3), ceil_mode=True),
               dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=2, stride=1)]


@pytest.mark.parametrize("options", MAX_OPTIONS, ids=str)
@pytest.mark.parametrize("batch_innermost", [False, True])
def test_max_pool_paths_match_pytorch_with_ties(options, batch_innermost):
    """Tiling windows (two-step maximum) and overlapping ones, on both memory layouts; rounded
    data makes many equal values, whose gradient goes to the first maximum in row-major order."""
    torch = pytest.importorskip("torch")
    batch = pool.LONG_RUN if batch_innermost else 2
    data = np.round(np.random.default_rng(1).standard_normal((batch, 3, 9, 8)))
    if batch_innermost:
        data = _batch_innermost(data)
    x = sinir.Tensor(data, requires_grad=True, dtype=np.float64)
    assert conv.to_chwn(x.numpy()).flags.c_contiguous == batch_innermost
    xt = torch.tensor(np.ascontiguousarray(data), requires_grad=True)
    y, yt = F.max_pool2d(x, **options), torch.nn.functional.max_pool2d(xt, **options)
    np.testing.assert_array_equal(y.numpy(), yt.detach().numpy())
    g = np.random.default_rng(5).standard_normal(y.shape)
    y.backward(sinir.Tensor(g, dtype=np.float64))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(np.asarray(x.grad), xt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_max_pool_planes_view_round_trips():
    data = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    for array in (data, _batch_innermost(data)):
        planes = pool.planes_view(array)
        assert planes.shape == (6, 4, 5, 1)
        np.testing.assert_array_equal(pool.from_planes(planes, 2), data)
    wide = _batch_innermost(np.zeros((pool.LONG_RUN, 3, 4, 5)))
    assert pool.planes_view(wide).shape == (3, 4, 5, pool.LONG_RUN)


def test_large_patch_matrices_are_rebuilt_in_backward_with_the_same_gradients(monkeypatch):
    """Patch matrices above KEEP_COLUMNS_BYTES are not held until backward (memory): backward
    builds them again from the padded input, which must give the same gradients."""
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((2, 3, 8, 9)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    kept_y, kept = _conv_values_and_grads(x, w, b, (1, 2), 1)
    monkeypatch.setattr(conv.Conv2d, "KEEP_COLUMNS_BYTES", 0)
    y, rebuilt = _conv_values_and_grads(x, w, b, (1, 2), 1)
    np.testing.assert_array_equal(y, kept_y)
    for ours, theirs in zip(rebuilt, kept):
        np.testing.assert_array_equal(ours, theirs)
    layer = conv.Conv2d(padding=(1, 1, 1, 1))
    layer.forward(x, w, b)
    assert layer.columns is None and layer.input is x


@pytest.mark.parametrize("wanted", ["input", "weight"])
@pytest.mark.parametrize("shape, wshape, padding, dilation, bias", CONV_CASES[:3], ids=str)
def test_shifted_rows_each_gradient_alone_equals_plain_and_pytorch(shape, wshape, padding, dilation, bias,
                                                                   wanted, shifted_rows):
    """ShiftedRows' backward without patches: dE/dW as one product per kernel offset, dE/dx
    gathered from shifted copies of dE/dy (grad_input), each asked for on its own, in float64."""
    torch = pytest.importorskip("torch")
    x, w, _ = _case(shape, wshape, False, seed=7)
    layer = conv.Conv2d((1, 1), _four(padding), _pair(dilation))
    layer.needs_input_grad = (wanted == "input", wanted == "weight")
    y = layer.forward(x, w)
    assert hasattr(layer, "shifted"), "the convolution did not take the ShiftedRows path"
    g = np.cos(np.arange(y.size)).reshape(y.shape)
    grad_x, grad_w = layer.backward(g)
    ours = grad_x if wanted == "input" else grad_w
    assert (grad_w if wanted == "input" else grad_x) is None
    reference = conv.Conv2d((1, 1), _four(padding), _pair(dilation))
    reference.needs_input_grad = (True, True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conv.ShiftedRows, "MIN_PATCH_BYTES", 2 ** 62)      # the plain im2col path
        np.testing.assert_allclose(reference.forward(x, w), y, rtol=1e-12, atol=1e-12)
        plain = reference.backward(g)[0 if wanted == "input" else 1]
    assert not hasattr(reference, "shifted")
    np.testing.assert_allclose(ours, plain, rtol=1e-12, atol=1e-12)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(xt, wt, None, 1, padding, dilation).backward(torch.tensor(g))
    np.testing.assert_allclose(ours, (xt if wanted == "input" else wt).grad.numpy(), rtol=1e-10, atol=1e-12)


def _pair(value):
    return value if isinstance(value, tuple) else (value, value)


def _four(padding):
    """(top, bottom, left, right) from F.conv2d's padding (an int or (rows, columns))."""
    rows, columns = _pair(padding)
    return rows, rows, columns, columns


@pytest.mark.parametrize("out_channels, groups", [(2, 1), (6, 2)])
def test_plain_weight_gradient_either_product_order_equals_pytorch(out_channels, groups):
    """dE/dW in the plain path: computed transposed, (columns . dE/dy^T)^T, when the patch has
    more rows than there are output channels (2 < 4 * 3 * 3 here), else directly (groups)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    x, w = rng.standard_normal((2, 4, 6, 7)), rng.standard_normal((out_channels, 4 // groups, 3, 3))
    xs, ws = tensor64(x), tensor64(w)
    y = F.conv2d(xs, ws, None, 1, 1, 1, groups)
    g = np.sin(np.arange(y.numpy().size)).reshape(y.shape)
    y.backward(sinir.Tensor(g, dtype=np.float64))
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(xt, wt, None, 1, 1, 1, groups).backward(torch.tensor(g))
    np.testing.assert_allclose(np.asarray(ws.grad), wt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.asarray(xs.grad), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert sinir.gradcheck(lambda x, w: F.conv2d(x, w, None, 1, 1, 1, groups), [tensor64(x), tensor64(w)])


@pytest.mark.parametrize("batch_innermost, groups", [(True, 1), (False, 1), (True, 2)])
def test_pointwise_convolution_uses_the_image_as_its_patches_and_equals_pytorch(batch_innermost, groups):
    """A 1x1 kernel (stride 1, no padding) takes no im2col copy: the patch matrix is the
    batch-innermost image itself, and dE/dx needs no col2im. Values and gradients as PyTorch's."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((3, 4, 5, 6)), rng.standard_normal((6, 4 // groups, 1, 1)), rng.standard_normal(6)
    if batch_innermost:                 # NCHW shape over (C, H, W, N) memory, as a convolution's output is
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    operation = conv.Conv2d(groups=groups)
    operation.needs_input_grad = (True, True, True)
    operation.forward(x, w, b)
    assert np.shares_memory(operation.columns, x) == batch_innermost
    xs, ws, bs = tensor64(x), tensor64(w), tensor64(b)
    y = F.conv2d(xs, ws, bs, groups=groups)
    g = np.cos(np.arange(y.numpy().size)).reshape(y.shape)
    y.backward(sinir.Tensor(g, dtype=np.float64))
    xt, wt, bt = (torch.tensor(np.ascontiguousarray(a), requires_grad=True) for a in (x, w, b))
    yt = torch.nn.functional.conv2d(xt, wt, bt, groups=groups)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(y.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in ((xs, xt), (ws, wt), (bs, bt)):
        np.testing.assert_allclose(np.asarray(ours.grad), theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert sinir.gradcheck(lambda x, w: F.conv2d(x, w, None, groups=groups), [tensor64(x), tensor64(w)])


def test_pointwise_convolution_input_changed_in_place_refuses_backward():
    """The 1x1 path keeps the input itself as its patches: changing it in place before backward is
    the version-counter error, not a silently wrong dE/dW."""
    x = sinir.randn(2, 3, 4, 4, dtype=sinir.float64).relu()
    w = sinir.randn(5, 3, 1, 1, dtype=sinir.float64, requires_grad=True)
    y = F.conv2d(x, w)
    x.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_tiny_weight_gradient_from_many_positions_is_summed_over_blocks_and_equals_pytorch(monkeypatch):
    """LeNet-5's first layer: 6 x 25 numbers of dE/dW from 50,176 positions are summed over blocks
    (conv.summed_over_blocks); forced here on a small input by shrinking nothing but the block."""
    torch = pytest.importorskip("torch")
    calls = []
    original = conv.summed_over_blocks
    monkeypatch.setattr(conv, "summed_over_blocks", lambda a, b: calls.append(1) or original(a, b, block=1000))
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((21, 1, 28, 28)), rng.standard_normal((6, 1, 5, 5))     # 21 * 28 * 28 = 16,464 positions
    xs, ws = tensor64(x, requires_grad=False), tensor64(w)
    y = F.conv2d(xs, ws, None, 1, 2)
    g = np.sin(np.arange(y.numpy().size)).reshape(y.shape)
    y.backward(sinir.Tensor(g, dtype=np.float64))
    wt = torch.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(torch.tensor(x), wt, None, 1, 2).backward(torch.tensor(g))
    assert calls
    np.testing.assert_allclose(np.asarray(ws.grad), wt.grad.numpy(), rtol=1e-10)
