"""Classification metrics: accuracy, the confusion matrix, per-class precision and recall."""
import numpy as np


def confusion_matrix(labels, predictions, num_classes=None):
    """counts[i, j] = how many samples of true class i were predicted as class j."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"confusion_matrix: labels {labels.shape} and predictions {predictions.shape} differ")
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and (values.dtype.kind not in "iu" or values.min() < 0):
            raise ValueError(f"confusion_matrix: {name} must be non-negative integers, got dtype {values.dtype}"
                             + (f" with minimum {values.min()}" if values.dtype.kind in "iu" else ""))
    if num_classes is None:
        num_classes = int(max(labels.max(initial=0), predictions.max(initial=0))) + 1
    largest = int(max(labels.max(initial=0), predictions.max(initial=0)))
    if largest >= num_classes:
        raise ValueError(f"confusion_matrix: class {largest} is outside the {num_classes} classes")
    return np.bincount(labels * num_classes + predictions, minlength=num_classes ** 2).reshape(num_classes, num_classes)


def precision_recall(matrix):
    """Per class: precision = right among those predicted as it, recall = found among those truly it."""
    matrix = np.asarray(matrix, dtype=np.float64)
    correct = np.diag(matrix)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(matrix.sum(axis=0) > 0, correct / matrix.sum(axis=0), 0.0)
        recall = np.where(matrix.sum(axis=1) > 0, correct / matrix.sum(axis=1), 0.0)
    return precision, recall


def accuracy(matrix):
    matrix = np.asarray(matrix)
    return float(np.trace(matrix) / max(matrix.sum(), 1))
