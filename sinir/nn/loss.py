"""Loss layers: each compares a prediction with a target and returns one number
(``reduction='mean'`` or ``'sum'``) or one loss per element (``'none'``).

>>> MSELoss()(sinir.tensor([12., 18., 30.]), sinir.tensor([10., 20., 30.]))   # the course's 8/3
"""
from . import functional as F
from .module import Module


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        F._check_reduction(type(self).__name__, reduction)
        self.reduction = reduction

    def extra_repr(self):
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """Mean squared error, (1/n) sum (y - y')^2."""

    def forward(self, input, target):
        return F.mse_loss(input, target, self.reduction)


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
        return F.l1_loss(input, target, self.reduction)


MAELoss = L1Loss


class HuberLoss(_Loss):
    """Squared error for small errors (|d| <= delta), linear beyond: robust to outliers."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        if delta <= 0:
            raise ValueError(f"HuberLoss: delta must be positive, got {delta}")
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, self.reduction, self.delta)

    def extra_repr(self):
        return f"delta={self.delta}"


class SmoothL1Loss(_Loss):
    """Huber loss divided by beta: 0.5 d^2 / beta for |d| < beta, |d| - 0.5 beta beyond."""

    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction)
        if beta < 0:
            raise ValueError(f"SmoothL1Loss: beta must be non-negative, got {beta}")
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, self.reduction, self.beta)

    def extra_repr(self):
        return f"beta={self.beta}"


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities (after a sigmoid) against 0/1 labels."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of raw scores: sigmoid and BCE in one stable step."""

    def __init__(self, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.pos_weight = pos_weight

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.reduction, self.pos_weight)


class CrossEntropyLoss(_Loss):
    """Softmax + negative log-likelihood of raw scores (N, C) against class indices (N,)
    or probabilities (N, C); ``label_smoothing`` mixes the target with the uniform distribution."""

    def __init__(self, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction)
        if not 0 <= label_smoothing <= 1:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}")
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.reduction, self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (after LogSoftmax) against class indices."""

    def forward(self, input, target):
        return F.nll_loss(input, target, self.reduction)
