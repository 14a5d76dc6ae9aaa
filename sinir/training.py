"""Training helpers: one epoch, evaluation, and ``fit`` for several epochs.

They stop, saying so, when the loss stops being a finite number: that almost always means the
learning rate is too large (the course's "learning rate selection" lesson).

>>> history = sinir.training.fit(model, train_loader, nn.CrossEntropyLoss(), optimizer, epochs=3,
...                              val_loader=test_loader)
"""
import math
import sys
import time

import numpy as np

from .grad_mode import no_grad


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during training."""


def check_finite(loss, optimizer=None, batch=None, epoch=None):
    """Raise TrainingDivergedError if ``loss`` (a number) is NaN or infinite."""
    if math.isfinite(loss):
        return
    where = (f" at batch {batch}" if batch is not None else "") + (f" of epoch {epoch}" if epoch is not None else "")
    lrs = sorted({group["lr"] for group in optimizer.param_groups}) if optimizer is not None else []
    lr_text = f" with learning rate {', '.join(f'{lr:g}' for lr in lrs)}" if lrs else ""
    suggestion = f"; try a smaller one, e.g. {lrs[0] / 10:g}" if lrs else "; try a smaller learning rate"
    raise TrainingDivergedError(f"the loss became {loss}{where}{lr_text}: training diverged{suggestion}")


def _count_correct(output, target):
    """How many rows of ``output`` have their largest score at the target class (None if not a classifier)."""
    if output.ndim != 2 or target.ndim != 1 or target.dtype.kind not in "iu":
        return None
    return int((output.data.argmax(axis=1) == target.data).sum())


def _output_and_loss(model, x, y, loss_fn):
    """The model's output and the loss; GoogLeNet's auxiliary classifiers add 0.3 times their
    losses in training, the paper's weighting."""
    if getattr(model, "aux_logits", False):
        output, *auxiliary = model.forward_with_aux(x)
        loss = loss_fn(output, y)
        for aux_output in auxiliary:
            if aux_output is not None:
                loss = loss + 0.3 * loss_fn(aux_output, y)
        return output, loss
    output = model(x)
    return output, loss_fn(output, y)


def train_epoch(model, loader, loss_fn, optimizer, progress=None, epoch=None):
    """One pass over ``loader``: forward, loss, backward, optimizer step for every batch.

    Returns {'loss': mean loss, 'accuracy': fraction correct or None, 'images_per_second': ...}.
    ``progress`` is a callable given (batch index, running metrics) after every batch.
    """
    model.train()
    total_loss, correct, seen, start = 0.0, 0, 0, time.perf_counter()
    classifier = True
    for batch, (x, y) in enumerate(loader):
        output, loss = _output_and_loss(model, x, y, loss_fn)
        value = loss.item()
        check_finite(value, optimizer, batch, epoch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        n = len(x)
        total_loss += value * n
        seen += n
        hits = _count_correct(output, y)
        classifier = classifier and hits is not None
        correct += hits or 0
        if progress is not None:
            progress(batch, {"loss": total_loss / seen, "accuracy": correct / seen if classifier else None,
                             "images_per_second": seen / max(time.perf_counter() - start, 1e-9)})
    elapsed = time.perf_counter() - start
    return {"loss": total_loss / max(seen, 1), "accuracy": correct / seen if classifier and seen else None,
            "images_per_second": seen / max(elapsed, 1e-9), "seconds": elapsed}


@no_grad()
def evaluate(model, loader, loss_fn=None):
    """Mean loss (if ``loss_fn`` given) and accuracy over ``loader``, in evaluation mode, no graph."""
    was_training = model.training
    model.eval()
    total_loss, correct, seen, classifier = 0.0, 0, 0, True
    for x, y in loader:
        output = model(x)
        if loss_fn is not None:
            total_loss += loss_fn(output, y).item() * len(x)
        hits = _count_correct(output, y)
        classifier = classifier and hits is not None
        correct += hits or 0
        seen += len(x)
    model.train(was_training)
    return {"loss": total_loss / max(seen, 1) if loss_fn is not None else None,
            "accuracy": correct / seen if classifier and seen else None}


@no_grad()
def predict(model, x, batch_size=1024):
    """The model's outputs for ``x`` (a Tensor), in evaluation mode and in batches, as an ndarray."""
    was_training = model.training
    model.eval()
    outputs = [model(x[i:i + batch_size]).data for i in range(0, len(x), batch_size)]
    model.train(was_training)
    return np.concatenate(outputs) if outputs else np.empty((0,))


class ProgressLines:
    """Progress as plain lines (for logs and pipes): one line at every tenth of the epoch."""

    def __init__(self, total, description, stream=None):
        self.total, self.description = total, description
        self.stream = stream or sys.stderr
        self.next_mark = 1

    def __call__(self, batch, metrics):
        done = batch + 1
        if done * 10 >= self.next_mark * self.total or done == self.total:
            self.next_mark = done * 10 // self.total + 1
            accuracy = f"  acc {metrics['accuracy']:.4f}" if metrics["accuracy"] is not None else ""
            print(f"{self.description}  {100 * done // self.total:3d}%  loss {metrics['loss']:.4f}{accuracy}  "
                  f"{metrics['images_per_second']:.0f} img/s", file=self.stream, flush=True)

    def close(self):
        pass


class ProgressBar:
    """A tqdm progress bar (in a terminal or a notebook) showing loss, accuracy and images/s."""

    def __init__(self, total, description):
        from tqdm.auto import tqdm
        self.bar = tqdm(total=total, desc=description, leave=True, dynamic_ncols=True)

    def __call__(self, batch, metrics):
        shown = {"loss": f"{metrics['loss']:.4f}"}
        if metrics["accuracy"] is not None:
            shown["acc"] = f"{metrics['accuracy']:.4f}"
        shown["img/s"] = f"{metrics['images_per_second']:.0f}"
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(1)

    def close(self):
        self.bar.close()


def progress_display(mode, total, description):
    """'bar' (tqdm), 'lines' (plain text), None/False (silent), or 'auto': a bar when stderr is
    a terminal or inside Jupyter, else lines."""
    if mode in (None, False):
        return None
    if mode == "auto" or mode is True:
        interactive = sys.stderr.isatty() or "ipykernel" in sys.modules
        mode = "bar" if interactive else "lines"
    return ProgressBar(total, description) if mode == "bar" else ProgressLines(total, description)


def fit(model, train_loader, loss_fn, optimizer, epochs=1, val_loader=None, scheduler=None,
        progress="auto", on_epoch_end=None, start_epoch=1):
    """Train from ``start_epoch`` to ``epochs``; returns the history, one dict of metrics per epoch.

    ``progress`` is 'auto', 'bar', 'lines' or None. ``on_epoch_end(epoch, metrics)`` is called after
    each epoch (to save a checkpoint, say). ``scheduler.step()`` is called once per epoch.
    """
    history = []
    for epoch in range(start_epoch, epochs + 1):
        display = progress_display(progress, len(train_loader), f"epoch {epoch}/{epochs}")
        try:
            metrics = {"epoch": epoch, **train_epoch(model, train_loader, loss_fn, optimizer, display, epoch)}
        finally:
            if display is not None:
                display.close()
        if val_loader is not None:
            validation = evaluate(model, val_loader, loss_fn)
            metrics.update({"val_loss": validation["loss"], "val_accuracy": validation["accuracy"]})
        if scheduler is not None:
            scheduler.step()
        history.append(metrics)
        if on_epoch_end is not None:
            on_epoch_end(epoch, metrics)
    return history
