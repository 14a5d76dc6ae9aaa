"""Training: ``fit`` (the loop, with callbacks), ``evaluate`` and ``predict``.

``fit`` runs epochs of forward, loss, backward and optimizer step; everything else (progress,
history, the divergence check, checkpoints, live curves) is a callback (``sinir.callbacks``).
Training stops, saying why, when the loss or a weight stops being a finite number.

>>> history = sinir.training.fit(model, train_loader, nn.CrossEntropyLoss(), optimizer, epochs=3,
...                              val_loader=test_loader)
>>> history[-1]
{'epoch': 3, 'loss': 0.05..., 'accuracy': 0.98..., 'images_per_second': ..., 'seconds': ...,
 'val_loss': 0.04..., 'val_accuracy': 0.98...}
"""
import math
import time

import numpy as np

from .callbacks import (CallbackList, DivergenceCheck, History, LambdaCallback, StopTraining, Trainer,
                        TrainingDivergedError, likely_cause, progress_callback)
from .grad_mode import no_grad


def check_finite(loss, optimizer=None, batch=None, epoch=None):
    """Raise TrainingDivergedError if ``loss`` (a number) is NaN or infinite, naming the likely cause."""
    if math.isfinite(loss):
        return
    where = (f" at batch {batch}" if batch is not None else "") + (f" of epoch {epoch}" if epoch is not None else "")
    raise TrainingDivergedError(f"the loss became {loss}{where}: training diverged; the likely cause: "
                                f"{likely_cause(optimizer)}")


def main_output(output):
    """The prediction in a model's output: the output itself, or the first item of a tuple
    (GoogLeNet in training returns (logits, aux2, aux1), as torchvision's does)."""
    return output[0] if isinstance(output, tuple) else output


def _count_correct(output, target):
    """How many rows of ``output`` have their largest score at the target class (None if not a classifier)."""
    output, target = np.asarray(main_output(output)), np.asarray(target)
    if output.ndim != 2 or target.ndim != 1 or target.dtype.kind not in "iu":
        return None
    return int((output.argmax(axis=1) == target).sum())


def ranks_of(model):
    """How many ranks train ``model`` together: a DistributedDataParallel's world size, else 1."""
    if hasattr(model, "finish_gradient_synchronization"):
        return getattr(model, "world_size", 1)
    return 1


def sum_over_ranks(values, model):
    """``values`` (a list of numbers) as a float64 array, summed over the ranks that train ``model``
    (a collective when there are several: every rank must call it). One process: the values."""
    totals = np.asarray(values, dtype=np.float64)
    if ranks_of(model) > 1:
        from . import distributed as dist
        from .tensor import Tensor
        summed = Tensor(totals, dtype=np.float64)
        dist.all_reduce(summed)
        totals = np.asarray(summed.numpy(), dtype=np.float64)
    return totals


def _run_epoch(trainer, loss_fn, hooks, step_scheduler=None):
    """One pass over the loader; returns the epoch's metrics, or None when stopped halfway.

    With a DistributedDataParallel model each rank has its own part of every batch; the loss,
    hits and size of the whole batch are summed over the ranks at each step (one small
    all-reduce), so every rank reports the same metrics and agrees on skipping a step."""
    model, optimizer = trainer.model, trainer.optimizer
    finish_synchronization = getattr(model, "finish_gradient_synchronization", None)
    model.train()
    total_loss, correct, seen, start = 0.0, 0, 0, time.perf_counter()
    classifier = True
    for step, (x, y) in enumerate(trainer.loader):
        trainer.batch = (x, y)
        output = model(x)
        loss = loss_fn(output, y)
        value, n, hits = loss.item(), len(x), _count_correct(output, y)
        if ranks_of(model) > 1:
            # A NaN or inf on any rank makes the sum NaN or inf on every rank: all ranks skip the step
            # together (a rank skipping alone would leave the others waiting in the gradient all-reduce).
            loss_sum, hits, n = sum_over_ranks([value * n, hits or 0, n], model)
            value, n, hits = loss_sum / n, int(n), None if hits is None else int(hits)
        if math.isfinite(value):      # a NaN or inf loss updates nothing; the DivergenceCheck reports it
            optimizer.zero_grad()
            loss.backward()
            if finish_synchronization is not None:
                finish_synchronization()  # DDP: the averaged gradients are in .grad (free if backward did it)
            optimizer.step()
            if step_scheduler is not None:
                step_scheduler.step()
        trainer.global_step += 1
        total_loss += value * n
        seen += n
        classifier = classifier and hits is not None
        correct += hits or 0
        hooks.on_batch_end(step, value, {
            "loss": total_loss / seen, "accuracy": correct / seen if classifier else None,
            "images_per_second": seen / max(time.perf_counter() - start, 1e-9)})
        if trainer.stop:
            return None
    trainer.batch = None
    elapsed = time.perf_counter() - start
    return {"loss": total_loss / max(seen, 1), "accuracy": correct / seen if classifier and seen else None,
            "images_per_second": seen / max(elapsed, 1e-9), "seconds": elapsed}


def fit(model, train_loader, loss_fn, optimizer, epochs=1, val_loader=None, scheduler=None, callbacks=(),
        progress="auto", start_epoch=1, history=None, scheduler_interval="epoch", check_every=1, rank=0):
    """Train from ``start_epoch`` to ``epochs``; returns the history, one dict of metrics per epoch.

    ``callbacks``: sinir.callbacks.Callback objects, called in order after the built-in ones
    (the divergence check, the history, the progress display). ``progress`` is 'auto', 'bar',
    'lines' or None. ``scheduler.step()`` is called once per epoch, or after every optimizer step
    with ``scheduler_interval='step'`` (OneCycleLR). ``history`` continues an earlier run's list.
    ``check_every``: check the weights for NaN/inf every N steps (0: only at the end of an epoch).
    ``rank``: this process's rank; callbacks marked ``rank_zero_only`` run on rank 0 only. With a
    DistributedDataParallel ``model`` the metrics (training and validation) are the whole batch's and
    the whole set's, summed over the ranks; each rank passes its own share of the data.
    A callback stops training by setting ``trainer.stop = True`` or raising ``StopTraining``.
    """
    if scheduler_interval not in ("epoch", "step"):
        raise ValueError(f"fit: scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}")
    trainer = Trainer(model, optimizer, train_loader, scheduler, epochs, history)
    display = progress_callback(progress)
    built_in = [DivergenceCheck(check_every), History()] + ([display] if display is not None else [])
    hooks = CallbackList(built_in + list(callbacks), trainer, rank)
    per_step = scheduler if scheduler_interval == "step" else None
    error = None
    hooks.on_train_begin({})
    try:
        for epoch in range(start_epoch, epochs + 1):
            trainer.epoch = epoch
            hooks.on_epoch_begin(epoch, {})
            metrics = _run_epoch(trainer, loss_fn, hooks, per_step)
            if metrics is None:
                break
            metrics = {"epoch": epoch, **metrics}
            if val_loader is not None:
                validation = evaluate(model, val_loader, loss_fn)
                metrics.update({"val_loss": validation["loss"], "val_accuracy": validation["accuracy"]})
            if scheduler is not None and per_step is None:
                scheduler.step()
            hooks.on_epoch_end(epoch, metrics)
            if trainer.stop:
                break
    except StopTraining:
        pass
    except BaseException as caught:
        error = caught
        raise
    finally:
        hooks.on_train_end({"history": trainer.history, "error": error})
    return trainer.history


def train_epoch(model, loader, loss_fn, optimizer, progress=None, epoch=None, callbacks=()):
    """One pass over ``loader`` (forward, loss, backward, step for every batch); returns its metrics
    {'loss', 'accuracy', 'images_per_second', 'seconds'}. ``progress``: a display mode for ``fit``
    ('auto', 'bar', 'lines', None) or a callable given (batch index, running metrics) after each batch.
    """
    callbacks = list(callbacks)
    if callable(progress):
        report = progress
        callbacks.append(LambdaCallback(on_batch_end=lambda step, loss, logs: report(step, logs)))
        progress = None
    history = fit(model, loader, loss_fn, optimizer, epochs=1, callbacks=callbacks, progress=progress)
    if not history:
        return None
    metrics = dict(history[-1])
    metrics.pop("epoch")
    return metrics


@no_grad()
def evaluate(model, loader, loss_fn=None):
    """Mean loss (if ``loss_fn`` given) and accuracy over ``loader``, in evaluation mode, no graph.

    With a DistributedDataParallel ``model`` the loss sum, hits and count are summed over the
    ranks (an all-reduce: every rank must call it), so each rank can pass its own shard of the
    data, ``Subset(dataset, np.arange(rank, len(dataset), world))``, and all get the whole set's
    metrics."""
    was_training = model.training
    model.eval()
    total_loss, correct, seen, classifier = 0.0, 0, 0, True
    for x, y in loader:
        output = main_output(model(x))
        if loss_fn is not None:
            total_loss += loss_fn(output, y).item() * len(x)
        hits = _count_correct(output, y)
        classifier = classifier and hits is not None
        correct += hits or 0
        seen += len(x)
    model.train(was_training)
    if ranks_of(model) > 1:
        total_loss, correct, seen = sum_over_ranks([total_loss, correct, seen], model)
        correct, seen = int(correct), int(seen)
    return {"loss": total_loss / max(seen, 1) if loss_fn is not None else None,
            "accuracy": correct / seen if classifier and seen else None}


@no_grad()
def predict(model, x, batch_size=1024):
    """The model's outputs for ``x`` (a Tensor), in evaluation mode and in batches, as an ndarray."""
    was_training = model.training
    model.eval()
    outputs = [np.asarray(main_output(model(x[i:i + batch_size]))) for i in range(0, len(x), batch_size)]
    model.train(was_training)
    return np.concatenate(outputs) if outputs else np.empty((0,))
