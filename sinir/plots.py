"""Pictures of a training run (needs matplotlib: pip install 'sinir[plot]').

training_curves, confusion_matrix, first_layer_filters, feature_maps (the lecture's feature
visualisation: what each layer makes of one image) and misclassified, each written as a PNG.
"""
from pathlib import Path

import numpy as np

from . import nn
from .grad_mode import no_grad
from .tensor import Tensor


class PlottingUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlottingUnavailable("pictures need matplotlib: pip install matplotlib "
                                  "(or pip install 'sinir[plot]')") from None
    return plt


def _save(figure, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    _pyplot().close(figure)
    return path


def training_curves(history, path):
    """Loss and accuracy per epoch, training and validation."""
    plt = _pyplot()
    epochs = [h["epoch"] for h in history]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(epochs, [h["loss"] for h in history], "o-", label="training")
    if history and history[0].get("val_loss") is not None:
        left.plot(epochs, [h["val_loss"] for h in history], "o-", label="validation")
    left.set(title="Loss", xlabel="epoch")
    right.plot(epochs, [h["accuracy"] for h in history], "o-", label="training")
    if history and history[0].get("val_accuracy") is not None:
        right.plot(epochs, [h["val_accuracy"] for h in history], "o-", label="validation")
    right.set(title="Accuracy", xlabel="epoch")
    for axes in (left, right):
        axes.legend()
        axes.grid(alpha=0.3)
    return _save(figure, path)


def confusion_matrix(matrix, path, classes=None):
    plt = _pyplot()
    matrix = np.asarray(matrix)
    classes = classes or [str(i) for i in range(len(matrix))]
    figure, axes = plt.subplots(figsize=(7, 6))
    image = axes.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        axes.text(j, i, str(count), ha="center", va="center", fontsize=7,
                  color="white" if count > matrix.max() / 2 else "black")
    axes.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
             xlabel="predicted", ylabel="true", title="Confusion matrix")
    figure.colorbar(image)
    return _save(figure, path)


def _first(model, kind):
    return next((m for _, m in model.named_modules() if isinstance(m, kind)), None)


def first_layer_filters(model, path):
    """The first convolution's kernels (or the first linear layer's weights as images)."""
    plt = _pyplot()
    conv = _first(model, nn.Conv2d)
    if conv is not None:
        kernels = np.asarray(conv.weight).mean(axis=1)
    else:
        linear = _first(model, nn.Linear)
        side = int(round(np.sqrt(linear.in_features)))
        kernels = np.asarray(linear.weight)[:, :side * side].reshape(-1, side, side)[:64]
    count = len(kernels)
    columns = min(count, 8)
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.2, rows * 1.2), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < count:
            axis.imshow(kernels[index], cmap="RdBu_r")
    figure.suptitle("First layer filters")
    return _save(figure, path)


def feature_maps(model, image, path, max_maps=8):
    """The output of every convolution and pooling layer for one image (C, H, W), layer by layer."""
    plt = _pyplot()
    captured, handles = [], []
    for name, module in model.named_modules():
        if isinstance(module, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            handles.append(module.register_forward_hook(
                lambda m, i, out, name=name: captured.append((f"{name} {type(m).__name__}", np.asarray(out)[0]))))
    model.eval()
    with no_grad():
        model(Tensor(np.asarray(image, dtype=np.float32)[None]))
    for handle in handles:
        handle.remove()
    rows = len(captured) + 1
    figure, axes = plt.subplots(rows, max_maps, figsize=(max_maps * 1.2, rows * 1.3), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    axes[0, 0].imshow(np.asarray(image)[0], cmap="gray")
    axes[0, 0].set_title("input", fontsize=7)
    for row, (name, maps) in enumerate(captured, start=1):
        for column in range(min(max_maps, len(maps))):
            axes[row, column].imshow(maps[column], cmap="viridis")
        axes[row, 0].set_title(name, fontsize=7, loc="left")
    figure.suptitle("Feature maps, layer by layer")
    return _save(figure, path)


def misclassified(images, labels, predictions, path, limit=36, classes=None):
    """A grid of test images the model got wrong, with the truth and the prediction."""
    plt = _pyplot()
    wrong = np.flatnonzero(np.asarray(labels) != np.asarray(predictions))[:limit]
    columns = 6
    rows = max(1, -(-len(wrong) // columns))
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.4, rows * 1.6), squeeze=False)
    name = (lambda k: classes[k]) if classes else str
    for axis in axes.flat:
        axis.axis("off")
    for axis, index in zip(axes.flat, wrong):
        axis.imshow(np.asarray(images[index]).reshape(28, 28), cmap="gray")
        axis.set_title(f"true {name(labels[index])}, said {name(predictions[index])}", fontsize=7)
    figure.suptitle(f"Misclassified ({len(wrong)} shown)")
    return _save(figure, path)
