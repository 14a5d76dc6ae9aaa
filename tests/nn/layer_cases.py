"""One table of functional cases that both oracles read: the central-difference gradient check
(test_layers_gradcheck.py) and PyTorch's values and gradients (test_layers_torch_parity.py).

Each case is ``(fn, inputs)``: ``fn(F, *tensors)`` is written once against a functional
namespace (sinir.nn.functional or torch.nn.functional, which share names and signatures), and
``inputs`` lists a shape (a float64 input that is differentiated; "+" in front of the shape
makes it positive) or a Const (an array passed as a tensor without gradient).
"""
import numpy as np

import sinir


class Const:
    def __init__(self, array):
        self.array = np.asarray(array)


def probabilities(shape, seed):
    p = np.random.default_rng(seed).random(shape) + 0.1
    return p / p.sum(axis=-1, keepdims=True)


LABELS = np.array([2, 0, -100, 1, 2])
GRID_LABELS = np.array([[[0, 2], [1, -1]], [[2, 2], [-1, 0]]])
WEIGHT = np.array([0.3, 1.0, 2.5])

CASES = {
    # activations
    "gelu": (lambda F, x: F.gelu(x), [(3, 4)]),
    "gelu tanh": (lambda F, x: F.gelu(x, approximate="tanh"), [(3, 4)]),
    "silu": (lambda F, x: F.silu(x), [(3, 4)]),
    "elu": (lambda F, x: F.elu(x, alpha=0.7), [(3, 4)]),
    "softplus": (lambda F, x: F.softplus(x * 4, beta=2.0, threshold=5.0), [(3, 4)]),
    "hardtanh": (lambda F, x: F.hardtanh(x, -0.5, 0.8), [(3, 4)]),
    "relu6": (lambda F, x: F.relu6(x * 5), [(3, 4)]),
    "prelu one slope": (lambda F, x, a: F.prelu(x, a), [(2, 3, 4), (1,)]),
    "prelu per channel": (lambda F, x, a: F.prelu(x, a), [(2, 3, 2, 2), (3,)]),
    "softmax over channels": (lambda F, x: F.softmax(x, dim=-3), [(2, 3, 2, 2)]),
    # normalisation
    "layer_norm": (lambda F, x, w, b: F.layer_norm(x, (4,), w, b), [(2, 3, 4), (4,), (4,)]),
    "layer_norm two axes, no affine": (lambda F, x: F.layer_norm(x, (3, 4), eps=1e-3), [(2, 3, 4)]),
    "layer_norm bias only": (lambda F, x, b: F.layer_norm(x, (4,), None, b), [(3, 4), (4,)]),
    "group_norm": (lambda F, x, w, b: F.group_norm(x, 2, w, b), [(2, 4, 3, 2), (4,), (4,)]),
    "group_norm no affine": (lambda F, x: F.group_norm(x, 3, eps=1e-3), [(2, 6, 5)]),
    "batch_norm bias only (fixed slots)": (
        lambda F, x, b: F.batch_norm(x, None, None, None, b, training=True), [(4, 3), (3,)]),
    # lookups
    "embedding": (lambda F, i, w: F.embedding(i, w), [Const([[0, 1, 3], [3, 1, 2]]), (4, 3)]),
    # losses
    "kl_div batchmean": (lambda F, x, t: F.kl_div(x.log_softmax(dim=1), t, reduction="batchmean"),
                         [(3, 4), Const(probabilities((3, 4), 1) * np.array([1, 0, 1, 1]))]),
    "kl_div log_target": (lambda F, x, t: F.kl_div(x, t, reduction="sum", log_target=True), [(3, 4), (3, 4)]),
    "kl_div mean, target differentiated": (lambda F, x, t: F.kl_div(x, t), [(3, 4), "+(3, 4)"]),
    "margin_ranking_loss": (lambda F, a, b, y: F.margin_ranking_loss(a, b, y, margin=0.3),
                            [(6,), (6,), Const([1.0, -1, 1, -1, 1, 1])]),
    "cross_entropy weight ignore_index": (lambda F, x, y, w: F.cross_entropy(x, y, weight=w),
                                          [(5, 3), Const(LABELS), Const(WEIGHT)]),
    "cross_entropy weight smoothing": (
        lambda F, x, y, w: F.cross_entropy(x, y, weight=w, label_smoothing=0.2), [(5, 3), Const(LABELS), Const(WEIGHT)]),
    "cross_entropy ignore_index sum": (lambda F, x, y: F.cross_entropy(x, y, ignore_index=-100, reduction="sum"),
                                       [(5, 3), Const(LABELS)]),
    "cross_entropy K-dim weight ignore": (
        lambda F, x, y, w: F.cross_entropy(x, y, weight=w, ignore_index=-1, reduction="none"),
        [(2, 3, 2, 2), Const(GRID_LABELS), Const(WEIGHT)]),
    "cross_entropy probabilities weight": (lambda F, x, t, w: F.cross_entropy(x, t, weight=w),
                                           [(4, 3), Const(probabilities((4, 3), 2)), Const(WEIGHT)]),
    "nll_loss weight ignore_index": (lambda F, x, y, w: F.nll_loss(x.log_softmax(dim=1), y, weight=w),
                                     [(5, 3), Const(LABELS), Const(WEIGHT)]),
    # convolution and resizing
    "conv1d": (lambda F, x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2),
               [(2, 4, 9), (6, 2, 3), (6,)]),
    "conv1d same": (lambda F, x, w: F.conv1d(x, w, padding="same"), [(1, 2, 6), (3, 2, 4)]),
    "conv_transpose2d": (lambda F, x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
                         [(2, 3, 3, 2), (3, 2, 3, 3), (2,)]),
    "conv_transpose2d groups dilation": (
        lambda F, x, w: F.conv_transpose2d(x, w, stride=(1, 2), groups=2, dilation=2), [(1, 4, 2, 3), (4, 1, 2, 2)]),
    "interpolate nearest x2": (lambda F, x: F.interpolate(x, scale_factor=2), [(1, 2, 3, 2)]),
    "interpolate nearest size": (lambda F, x: F.interpolate(x, size=(5, 3), mode="nearest"), [(2, 1, 3, 4)]),
    "interpolate bilinear": (lambda F, x: F.interpolate(x, scale_factor=1.5, mode="bilinear"), [(1, 2, 3, 4)]),
    "interpolate bilinear align_corners": (
        lambda F, x: F.interpolate(x, size=(5, 2), mode="bilinear", align_corners=True), [(1, 1, 3, 4)]),
    "interpolate bilinear down": (lambda F, x: F.interpolate(x, size=(2, 3), mode="bilinear"), [(1, 1, 5, 7)]),
}

# cases whose gradient is not the derivative on purpose: PyTorch is their only oracle
TORCH_ONLY = {
    # the padding row gets no gradient, whatever the derivative
    "embedding padding_idx": (lambda F, i, w: F.embedding(i, w, padding_idx=1),
                              [Const([[0, 1, 3], [3, 1, 2]]), (4, 3)]),
}


def make_inputs(specs, tensor, seed=0):
    """The inputs of a case for one library: ``tensor(array, requires_grad)`` builds its tensors.
    Returns (tensors, indices of the differentiated ones)."""
    rng = np.random.default_rng(seed)
    tensors, differentiated = [], []
    for i, spec in enumerate(specs):
        if isinstance(spec, Const):
            tensors.append(tensor(spec.array, False))
            continue
        positive = isinstance(spec, str)
        shape = eval(spec[1:]) if positive else spec
        data = rng.standard_normal(shape)
        tensors.append(tensor(np.abs(data) + 0.5 if positive else data, True))
        differentiated.append(i)
    return tensors, differentiated


def sinir_tensor(array, requires_grad):
    """A sinir input: floating data in float64."""
    array = np.asarray(array)
    if array.dtype.kind == "f":
        return sinir.Tensor(array.astype(np.float64), requires_grad=requires_grad, dtype=np.float64)
    return sinir.Tensor(array)
