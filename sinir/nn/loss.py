"""Loss layers: each compares a prediction with a target and returns one number
(``reduction='mean'`` or ``'sum'``) or one loss per element (``'none'``).

>>> MSELoss()(sinir.tensor([12., 18., 30.]), sinir.tensor([10., 20., 30.]))   # the course's 8/3
"""
import numpy as np

from . import functional as F
from .module import Module


class _Loss(Module):
    reductions = F.REDUCTIONS

    def __init__(self, reduction="mean"):
        super().__init__()
        F._check_reduction(type(self).__name__, reduction, allowed=self.reductions)
        self.reduction = reduction

    def extra_repr(self):
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error, (1/n) sum (y - y')^2."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class RMSELoss(_Loss):
    """Root mean squared error, sqrt((1/n) sum (y - y')^2 + eps). Not additive over batches:
    average per-batch RMSEs and you do not get the whole set's RMSE."""

    def __init__(self, reduction="mean", eps=1e-8):
        super().__init__(reduction)
        self.eps = eps

    def forward(self, input, target):
        return F.rmse_loss(input, target, self.reduction, self.eps)


class L1Loss(_Loss):
    """Mean absolute error (the course's MAE), (1/n) sum |y - y'|."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


MAELoss = L1Loss


class HuberLoss(_Loss):
    """Squared error for small errors (|d| <= delta), linear beyond: robust to outliers."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be positive, got {delta}")
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)

    def extra_repr(self):
        return f"delta={self.delta}"


class SmoothL1Loss(_Loss):
    """Huber loss divided by beta: 0.5 d^2 / beta for |d| < beta, |d| - 0.5 beta beyond."""

    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction)
        if not beta >= 0:
            raise ValueError(f"SmoothL1Loss: beta must be non-negative, got {beta}")
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)

    def extra_repr(self):
        return f"beta={self.beta}"


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities (after a sigmoid) against 0/1 labels;
    ``weight`` rescales each element's loss."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.weight = weight

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of raw scores: sigmoid and BCE in one stable step."""

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


def _class_weight(loss, weight):
    if weight is None:
        return None
    weight = np.asarray(weight)
    if weight.ndim != 1 or not np.all(np.isfinite(weight)):
        raise ValueError(f"{loss}: weight must be a 1-D array of finite numbers (one per class), got {weight!r}")
    return weight


class CrossEntropyLoss(_Loss):
    """Softmax + negative log-likelihood of raw scores (N, C) against class indices (N,)
    or probabilities (N, C). ``weight`` (C,) rescales classes; targets equal to
    ``ignore_index`` are left out; ``label_smoothing`` mixes the target with the uniform
    distribution.

    >>> CrossEntropyLoss(weight=[1.0, 2.0, 1.0], ignore_index=-1)(logits, labels)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        F._check_reduction("CrossEntropyLoss", reduction, size_average, reduce)
        super().__init__(reduction)
        if not 0 <= label_smoothing <= 1:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}")
        self.weight = _class_weight("CrossEntropyLoss", weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (after LogSoftmax) against class indices;
    ``weight`` and ``ignore_index`` as in CrossEntropyLoss."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        F._check_reduction("NLLLoss", reduction, size_average, reduce)
        super().__init__(reduction)
        self.weight, self.ignore_index = _class_weight("NLLLoss", weight), ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of log-probabilities ``input`` from the distribution ``target``
    (log-probabilities with ``log_target``). Use reduction='batchmean' for the divergence per sample.

    >>> KLDivLoss(reduction="batchmean")(model(x).log_softmax(1), teacher_probabilities)
    """

    reductions = F.REDUCTIONS + ("batchmean",)

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        F._check_reduction("KLDivLoss", reduction, size_average, reduce, self.reductions)
        super().__init__(reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin): learn to rank x1 above x2 (y = 1) or below (y = -1)."""

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        F._check_reduction("MarginRankingLoss", reduction, size_average, reduce)
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, self.margin, reduction=self.reduction)

    def extra_repr(self):
        return f"margin={self.margin}"
