"""Linear layer, dropout, padding, one-hot and embedding lookups."""
import numpy as np

from ... import ops
from ...functions import pad as _numpy_style_pad
from ...ops.embedding import Embedding as _Embedding
from ...random import default_generator
from ...tensor import Tensor


def linear(input, weight, bias=None):
    """y = x W^T + b, for x (..., in_features) and W (out_features, in_features)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"linear(): argument 'input' must be Tensor, not {type(input).__name__}")
    shape = input._data.shape
    if not shape or shape[-1] != weight._data.shape[1]:
        raise ValueError(f"linear: expected input of shape (..., {weight.shape[1]}), got {tuple(input.shape)} "
                         f"(weight of shape {tuple(weight.shape)})")
    return ops.Linear()(input, weight) if bias is None else ops.Linear()(input, weight, bias)


def _check_p(name, p):
    if not 0 <= p <= 1:
        raise ValueError(f"{name}: p must be in [0, 1], got {p}")


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (in training only)."""
    _check_p("dropout", p)
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = default_generator().random(input.shape) >= p
    return input * Tensor._make((keep / (1 - p)).astype(input.dtype))


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels with probability p (and scale the rest by 1 / (1 - p)), in training only."""
    _check_p("dropout2d", p)
    if not training or p == 0:
        return input
    keep = default_generator().random(input.shape[:2] + (1,) * (input.ndim - 2)) >= p
    return input * Tensor._make((keep / (1 - p) if p < 1 else keep * 0.0).astype(input.dtype))


def pad(input, pad, mode="constant", value=0.0):
    """PyTorch-style padding: ``pad`` lists (before, after) widths from the last axis backwards.

    >>> F.pad(images, (1, 1, 2, 2))      # 1 column each side, 2 rows above and below
    """
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ValueError(f"pad: {pad} must hold (before, after) pairs for at most {input.ndim} axes")
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return _numpy_style_pad(input, widths, value)


def _integer_array(name, value):
    array = np.asarray(value)
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name}: indices must be integers, got dtype {array.dtype}")
    return array


def one_hot(tensor, num_classes=-1):
    """Integer labels (N,) -> rows of zeros with a one at each label (N, num_classes), int64."""
    labels = _integer_array("one_hot", tensor)
    if num_classes < 0:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"one_hot: labels must lie in [0, {num_classes}), got {labels.min()}..{labels.max()}")
    return Tensor._make(np.eye(num_classes, dtype=np.int64)[labels])


def embedding(input, weight, padding_idx=None, max_norm=None):
    """Rows of ``weight`` (num_embeddings, embedding_dim) picked by integer ``input`` of any shape:
    output (*input.shape, embedding_dim). The ``padding_idx`` row gets no gradient.

    >>> F.embedding(sinir.tensor([[1, 2], [0, 1]]), weight).shape     # weight (10, 3)
    (2, 2, 3)
    """
    indices = _integer_array("embedding", input)
    rows = weight.shape[0]
    if indices.size and (indices.min() < -rows or indices.max() >= rows):
        raise ValueError(f"embedding: indices must lie in [0, {rows}), got {indices.min()}..{indices.max()}")
    if max_norm is not None:
        raise ValueError("embedding: max_norm is not supported")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += rows
    return _Embedding(indices, padding_idx)(weight)
