"""Losses, PyTorch's signatures. ``size_average`` and ``reduce`` (deprecated in PyTorch) hold
their places in the argument lists and must be left as None: use ``reduction``."""
import numpy as np

from ... import ops
from ...ops.divergence import KLDivergence
from ...tensor import Tensor, _lift

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(name, reduction, size_average=None, reduce=None, allowed=REDUCTIONS):
    if size_average is not None or reduce is not None:
        raise ValueError(f"{name}: size_average and reduce are deprecated; use reduction= one of {allowed}")
    if reduction not in allowed:
        raise ValueError(f"{name}: reduction must be one of {allowed}, got {reduction!r}")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _matching_target(name, input, target):
    """Check that prediction and target have one shape, and make the target a Tensor."""
    target = _lift(target, input)
    if input.shape != target.shape:
        raise ValueError(f"{name}: input shape {tuple(input.shape)} and target shape {tuple(target.shape)} differ; "
                         "they must be equal (reshape one, e.g. target.reshape(-1, 1))")
    return target


def _weighted(loss, weight):
    if weight is None:
        return loss
    return loss * _lift(weight, loss)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: mean((input - target)^2). The course's MSE."""
    _check_reduction("mse_loss", reduction, size_average, reduce)
    difference = input - _matching_target("mse_loss", input, target)
    return _reduce(_weighted(difference * difference, weight), reduction)


def rmse_loss(input, target, reduction="mean", eps=1e-8):
    """Root mean squared error: sqrt(mean((input - target)^2) + eps) (sinir's; PyTorch has none).

    eps sits inside the root so that the gradient stays finite at a perfect fit. The root is
    taken after the reduction, so RMSE is not additive over batches: the mean of per-batch RMSEs
    is not the RMSE of the whole set. 'sum' gives sqrt(sum of squares + eps), 'none' the root
    of each squared error (+ eps).
    """
    _check_reduction("rmse_loss", reduction)
    difference = input - _matching_target("rmse_loss", input, target)
    return (_reduce(difference * difference, reduction) + eps).sqrt()


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: mean(|input - target|). The course's MAE."""
    _check_reduction("l1_loss", reduction, size_average, reduce)
    return _reduce(_weighted((input - _matching_target("l1_loss", input, target)).abs(), weight), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta); d = input - target."""
    _check_reduction("huber_loss", reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    loss = ops.Huber(delta)(input, _matching_target("huber_loss", input, target))
    return _reduce(_weighted(loss, weight), reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta; d = input - target."""
    _check_reduction("smooth_l1_loss", reduction, size_average, reduce)
    if not beta >= 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    return _reduce(ops.SmoothL1(beta)(input, _matching_target("smooth_l1_loss", input, target)), reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p = input and labels y = target;
    ``weight`` rescales each element's loss."""
    _check_reduction("binary_cross_entropy", reduction, size_average, reduce)
    target = _matching_target("binary_cross_entropy", input, target)
    return _reduce(_weighted(ops.BinaryCrossEntropy()(input, target), weight), reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input), computed stably from the raw scores."""
    _check_reduction("binary_cross_entropy_with_logits", reduction, size_average, reduce)
    target = _matching_target("binary_cross_entropy_with_logits", input, target)
    if pos_weight is not None:
        pos_weight = np.asarray(pos_weight, dtype=input.dtype)
    loss = ops.BinaryCrossEntropyWithLogits(pos_weight)(input, target)
    return _reduce(_weighted(loss, weight), reduction)


def _classes_last(input):
    """(N, C, d1, d2, ...) scores -> (N * d1 * d2 ..., C) rows, as PyTorch's K-dimensional losses."""
    if input.ndim == 1:
        return input.reshape(1, -1)
    if input.ndim == 2:
        return input
    order = (0,) + tuple(range(2, input.ndim)) + (1,)
    return input.permute(order).reshape(-1, input.shape[1])


def _class_indices(name, input, target, ignore_index):
    """Integer targets checked against (N, C, d1, ...) scores; ignore_index may lie outside [0, C)."""
    target = np.asarray(target)
    expected = (input.shape[0],) + input.shape[2:] if input.ndim > 1 else ()
    if target.shape != expected:
        raise ValueError(f"{name}: scores of shape {tuple(input.shape)} need class indices of shape {tuple(expected)}, "
                         f"got {tuple(target.shape)}")
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    valid = target != ignore_index
    if valid.any() and (target[valid].min() < 0 or target[valid].max() >= classes):
        raise ValueError(f"{name}: class indices must lie in [0, {classes}) (or equal ignore_index="
                         f"{ignore_index}), got {target[valid].min()}..{target[valid].max()}")
    return target


def _class_weight(name, weight, classes, dtype):
    if weight is None:
        return None
    weight = np.asarray(weight, dtype=dtype)
    if weight.shape != (classes,):
        raise ValueError(f"{name}: weight must hold one number per class, shape ({classes},), got {tuple(weight.shape)}")
    return weight


def _weighted_nll(name, log_probs, target, weight, ignore_index, reduction, out_shape):
    """-weight[y] log p[y] per row, 0 for ignored rows; 'mean' divides by the sum of the
    weights of the rows not ignored (PyTorch's weighted mean)."""
    rows = target.reshape(-1)
    keep = rows != ignore_index
    safe = np.where(keep, rows, 0)
    row_weight = (weight[safe] if weight is not None else np.ones(len(rows), dtype=log_probs.dtype)) * keep
    picked = log_probs[np.arange(len(rows)), safe]
    loss = -picked * Tensor._make(row_weight.astype(log_probs.dtype))
    if reduction == "mean":
        return loss.sum() / row_weight.sum()
    return _reduce(loss.reshape(out_shape), reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of scores ``input`` (N, C) or (N, C, d1, ...) against class indices
    (N,) / (N, d1, ...) or class probabilities (the input's shape).

    ``weight`` (C,) rescales each class; rows whose target is ``ignore_index`` count for nothing;
    ``label_smoothing`` mixes the target with the uniform distribution. Without weight or ignored
    rows the computation is one fused operation, finite even for scores of +-1e4.

    >>> F.cross_entropy(logits, sinir.tensor([3, 0, 7]))
    """
    _check_reduction("cross_entropy", reduction, size_average, reduce)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    target_data = np.asarray(target)
    scores = _classes_last(input)
    classes = scores.shape[1]
    weight = _class_weight("cross_entropy", weight, classes, input.dtype)
    out_shape = (input.shape[0],) + input.shape[2:] if input.ndim > 1 else ()
    if target_data.dtype.kind in "iu":
        target_data = _class_indices("cross_entropy", input, target_data, ignore_index)
        if weight is None and not (target_data == ignore_index).any():
            q = Tensor._make(np.eye(classes, dtype=input.dtype)[target_data.reshape(-1)])
            return _reduce(ops.CrossEntropy(label_smoothing)(scores, q).reshape(out_shape), reduction)
        log_probs = scores.log_softmax(1)
        loss = _weighted_nll("cross_entropy", log_probs, target_data, weight, ignore_index, reduction, out_shape)
        if label_smoothing == 0:
            return loss
        # PyTorch: (1 - s) nll + s / C * sum over classes of -weight[c] log p[c], ignored rows left out
        keep = (target_data.reshape(-1) != ignore_index).astype(input.dtype)
        class_weight = weight if weight is not None else np.ones(classes, dtype=input.dtype)
        smooth = -(log_probs * Tensor._make(class_weight)).sum(1) * Tensor._make(keep)
        if reduction == "mean":
            safe = np.where(keep > 0, target_data.reshape(-1), 0)
            denominator = (class_weight[safe] * keep).sum() if weight is not None else keep.sum()
            smooth = smooth.sum() / denominator
        else:
            smooth = _reduce(smooth.reshape(out_shape), reduction)
        return loss * (1 - label_smoothing) + smooth * (label_smoothing / classes)
    target = _matching_target("cross_entropy", input, target)
    q = _classes_last(target)
    if weight is None:
        return _reduce(ops.CrossEntropy(label_smoothing)(scores, q).reshape(out_shape), reduction)
    # probabilities with class weights: -sum over c of weight[c] q[c] log p[c]; 'mean' divides by N
    if label_smoothing:
        q = q * (1 - label_smoothing) + label_smoothing / classes
    loss = -(scores.log_softmax(1) * q * Tensor._make(weight)).sum(1)
    return _reduce(loss.reshape(out_shape), reduction)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood: -weight[y] input[n, y] for log-probabilities ``input`` (N, C)
    or (N, C, d1, ...) and class indices y; ignore_index and weight as in cross_entropy."""
    _check_reduction("nll_loss", reduction, size_average, reduce)
    target_data = np.asarray(target)
    if target_data.dtype.kind not in "iu" or input.ndim < 1:
        raise ValueError(f"nll_loss: needs log-probabilities (N, C) and integer targets (N,), "
                         f"got {tuple(input.shape)} and {tuple(target_data.shape)} of dtype {target_data.dtype}")
    target_data = _class_indices("nll_loss", input, target_data, ignore_index)
    log_probs = _classes_last(input)
    weight = _class_weight("nll_loss", weight, log_probs.shape[1], input.dtype)
    out_shape = (input.shape[0],) + input.shape[2:] if input.ndim > 1 else ()
    return _weighted_nll("nll_loss", log_probs, target_data, weight, ignore_index, reduction, out_shape)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence, sum of target (log target - input), for log-probabilities
    ``input`` and probabilities ``target`` (log-probabilities with ``log_target``).

    'batchmean' divides the sum by the batch size: the true KL divergence per sample. 'mean'
    divides by the number of elements, as PyTorch does.
    """
    _check_reduction("kl_div", reduction, size_average, reduce, REDUCTIONS + ("batchmean",))
    target = _matching_target("kl_div", input, target)
    loss = KLDivergence(log_target)(input, target)
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -y (x1 - x2) + margin): y = 1 wants x1 ranked above x2, y = -1 below."""
    _check_reduction("margin_ranking_loss", reduction, size_average, reduce)
    target = _lift(target, input1)
    if not (input1.shape == input2.shape == target.shape):
        raise ValueError(f"margin_ranking_loss: input1 {tuple(input1.shape)}, input2 {tuple(input2.shape)} and target "
                         f"{tuple(target.shape)} must have one shape")
    return _reduce(((input2 - input1) * target + margin).relu(), reduction)
