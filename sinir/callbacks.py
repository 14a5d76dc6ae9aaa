"""Callbacks: code that ``sinir.training.fit`` runs at fixed points of the training loop.

The loop calls, on every callback in order (Keras / Lightning style)::

    on_train_begin(logs)                     once, before the first epoch
      on_epoch_begin(epoch, logs)            epochs count from 1
        on_batch_end(step, loss, logs)       after each optimizer step: step = batch index in the
                                             epoch (from 0), loss = this batch's loss (a float),
                                             logs = running means {'loss', 'accuracy', 'images_per_second'}
      on_epoch_end(epoch, logs)              logs = the epoch's metrics (+ 'val_loss', 'val_accuracy')
    on_train_end(logs)                       once, also after an error or a stop (logs['error'] says which)

Every callback sees the loop's state as ``self.trainer`` (a ``Trainer``: model, optimizer,
scheduler, epoch, epochs, global_step, history, the current batch, ``stop``). To stop training,
set ``self.trainer.stop = True`` (the loop ends after the current batch; a finished epoch is
recorded, a half one is not) or raise ``StopTraining`` from any method.

>>> class PrintLoss(Callback):
...     def on_epoch_end(self, epoch, logs):
...         print(epoch, logs["loss"])
>>> fit(model, loader, nn.CrossEntropyLoss(), optimizer, epochs=3, callbacks=[PrintLoss()])

In distributed training, callbacks with ``rank_zero_only = True`` (progress, checkpoints) run on
rank 0 only; ``fit(..., rank=r)`` says which rank this process is.
"""
import sys
from pathlib import Path

import numpy as np


class TrainingDivergedError(FloatingPointError):
    """The loss or the weights became NaN or infinite in training (also sinir.training.TrainingDivergedError)."""


class StopTraining(Exception):
    """Raised by a callback to end training now; ``fit`` returns the history so far."""


class Callback:
    """Base class: every method does nothing; override the ones you need."""

    rank_zero_only = False
    trainer = None

    def set_trainer(self, trainer):
        self.trainer = trainer

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_batch_end(self, step, loss, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **methods):
        unknown = set(methods) - {"on_train_begin", "on_epoch_begin", "on_batch_end", "on_epoch_end",
                                  "on_train_end"}
        if unknown:
            raise ValueError(f"LambdaCallback: unknown hook(s) {sorted(unknown)}")
        for name, function in methods.items():
            setattr(self, name, function)


class Trainer:
    """The state of one ``fit`` run, shared with the callbacks."""

    def __init__(self, model, optimizer, loader, scheduler=None, epochs=1, history=None):
        self.model, self.optimizer, self.loader, self.scheduler = model, optimizer, loader, scheduler
        self.epochs = epochs
        self.history = list(history or [])
        self.epoch, self.global_step, self.batch, self.stop = 0, 0, None, False


class CallbackList:
    """Calls each hook on every callback, in order."""

    def __init__(self, callbacks, trainer, rank=0):
        self.callbacks = [c for c in callbacks if rank == 0 or not c.rank_zero_only]
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise ValueError(f"fit: callbacks must be sinir.callbacks.Callback objects, "
                                 f"got {type(callback).__name__}")
            callback.set_trainer(trainer)

    def __getattr__(self, hook):
        if not hook.startswith("on_"):
            raise AttributeError(hook)

        def call(*args):
            for callback in self.callbacks:
                getattr(callback, hook)(*args)
        return call


class History(Callback):
    """Keeps each epoch's metrics in ``trainer.history`` (what ``fit`` returns)."""

    def on_epoch_end(self, epoch, logs=None):
        self.trainer.history.append(dict(logs))


# ----- progress ----------------------------------------------------------------------------------
class ProgressLines(Callback):
    """Progress as plain lines (for logs and pipes): one line at every tenth of an epoch."""

    rank_zero_only = True

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_begin(self, epoch, logs=None):
        self.total, self.next_mark = max(len(self.trainer.loader), 1), 1
        self.description = f"epoch {epoch}/{self.trainer.epochs}"

    def on_batch_end(self, step, loss, logs=None):
        done = step + 1
        if done * 10 >= self.next_mark * self.total or done == self.total:
            self.next_mark = done * 10 // self.total + 1
            accuracy = f"  acc {logs['accuracy']:.4f}" if logs["accuracy"] is not None else ""
            print(f"{self.description}  {100 * done // self.total:3d}%  loss {logs['loss']:.4f}{accuracy}  "
                  f"{logs['images_per_second']:.0f} img/s", file=self.stream or sys.stderr, flush=True)


class ProgressBar(Callback):
    """A tqdm progress bar (in a terminal or a notebook) showing loss, accuracy and images/s."""

    rank_zero_only = True
    bar = None

    def on_epoch_begin(self, epoch, logs=None):
        from tqdm.auto import tqdm
        self.bar = tqdm(total=len(self.trainer.loader), desc=f"epoch {epoch}/{self.trainer.epochs}", leave=True,
                        dynamic_ncols=True)

    def on_batch_end(self, step, loss, logs=None):
        shown = {"loss": f"{logs['loss']:.4f}"}
        if logs["accuracy"] is not None:
            shown["acc"] = f"{logs['accuracy']:.4f}"
        shown["img/s"] = f"{logs['images_per_second']:.0f}"
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(1)

    def _close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def on_epoch_end(self, epoch, logs=None):
        self._close()

    def on_train_end(self, logs=None):
        self._close()


def progress_callback(mode):
    """'bar' (tqdm), 'lines' (plain text), None/False (none), or 'auto': a bar when stderr is a
    terminal or inside Jupyter, else lines."""
    if mode in (None, False, "none"):
        return None
    if mode == "auto" or mode is True:
        interactive = sys.stderr.isatty() or "ipykernel" in sys.modules
        mode = "bar" if interactive else "lines"
    if mode not in ("bar", "lines"):
        raise ValueError(f"progress must be 'auto', 'bar', 'lines' or None, got {mode!r}")
    return ProgressBar() if mode == "bar" else ProgressLines()


# ----- divergence --------------------------------------------------------------------------------
def non_finite_parameters(model):
    """Names of the parameters and buffers holding NaN or inf (an empty list when all are finite)."""
    bad = [name for name, p in model.named_parameters() if not np.isfinite(np.asarray(p)).all()]
    return bad + [name for name, b in model.named_buffers()
                  if np.asarray(b).dtype.kind == "f" and not np.isfinite(np.asarray(b)).all()]


def _finite_array(value):
    array = np.asarray(value)
    return array.dtype.kind not in "fc" or bool(np.isfinite(array).all())


def likely_cause(optimizer, batch=None):
    """Why training most likely diverged, in words: the input data, momentum, eps or the learning rate."""
    if batch is not None:
        for what, value in zip(("inputs", "targets"), batch):
            if not _finite_array(value):
                return f"the {what} of this batch hold NaN or inf values: check the input data"
        inputs = np.asarray(batch[0])
        if inputs.dtype.kind == "f" and inputs.size and np.abs(inputs).max() > 1e4:
            return (f"the inputs of this batch reach {np.abs(inputs).max():.3g}: the input data is not "
                    "normalised (scale images to [0, 1] and standardise them)")
    groups = getattr(optimizer, "param_groups", [])
    momenta = [g["momentum"] for g in groups if "momentum" in g and g["momentum"] >= 1]
    if momenta:
        return f"momentum {momenta[0]:g} is at least 1, so updates grow without bound: use a value below 1, e.g. 0.9"
    betas = [b for g in groups for b in g.get("betas", ()) if b >= 1]
    if betas:
        return f"beta {betas[0]:g} is at least 1: betas must lie in [0, 1)"
    epsilons = [g["eps"] for g in groups if "eps" in g and g["eps"] < 1e-12]
    if epsilons:
        return (f"eps {epsilons[0]:g} is so small that the update divides by almost zero: use the default "
                "(1e-8, or 1e-10 for Adagrad)")
    lrs = sorted({g["lr"] for g in groups})
    if lrs:
        return (f"learning rate {', '.join(f'{lr:g}' for lr in lrs)} is too large; "
                f"try a smaller one, e.g. {lrs[0] / 10:g}")
    return "the learning rate is too large; try a smaller one"


class DivergenceCheck(Callback):
    """Stops training with ``TrainingDivergedError`` when the loss or a weight stops being finite.

    The loss is checked after every batch; the weights every ``every`` optimizer steps (one pass
    over the parameters, cheap beside a forward and backward pass) and at the end of every epoch,
    so a checkpoint written at the end of an epoch never holds NaN or inf.
    """

    def __init__(self, every=1):
        self.every = every

    def _stop(self, what, step):
        trainer = self.trainer
        raise TrainingDivergedError(f"{what} at batch {step} of epoch {trainer.epoch}: training diverged; "
                                    f"the likely cause: {likely_cause(trainer.optimizer, trainer.batch)}")

    def on_batch_end(self, step, loss, logs=None):
        if not np.isfinite(loss):
            self._stop(f"the loss became {loss}", step)
        if self.every and self.trainer.global_step % self.every == 0:
            bad = non_finite_parameters(self.trainer.model)
            if bad:
                self._stop(f"the weights {', '.join(bad[:3])} became NaN or inf", step)

    def on_epoch_end(self, epoch, logs=None):
        bad = non_finite_parameters(self.trainer.model)
        if bad:
            raise TrainingDivergedError(f"the weights {', '.join(bad[:3])} became NaN or inf in epoch {epoch}: "
                                        f"training diverged; the likely cause: "
                                        f"{likely_cause(self.trainer.optimizer)}")


class Checkpoint(Callback):
    """Writes ``last.safetensors`` after every epoch and ``best.safetensors`` when ``monitor``
    improves, through ``save(path, trainer)`` (sinir.experiment gives one that writes a checkpoint).

    A checkpoint is never written from weights that are NaN or inf.
    """

    rank_zero_only = True

    def __init__(self, directory, save, monitor="val_accuracy", mode="max", best=None):
        if mode not in ("max", "min"):
            raise ValueError(f"Checkpoint: mode must be 'max' or 'min', got {mode!r}")
        self.directory, self.save, self.monitor, self.mode = Path(directory), save, monitor, mode
        self.best = best

    def _improved(self, value):
        if value is None or not np.isfinite(value):
            return False
        return self.best is None or (value > self.best if self.mode == "max" else value < self.best)

    def on_epoch_end(self, epoch, logs=None):
        bad = non_finite_parameters(self.trainer.model)
        if bad:
            raise TrainingDivergedError(f"not writing a checkpoint: the weights {', '.join(bad[:3])} are NaN or inf")
        self.save(self.directory / "last.safetensors", self.trainer)
        value = (logs or {}).get(self.monitor) if self.monitor else None
        if self._improved(value):
            self.best = value
            self.save(self.directory / "best.safetensors", self.trainer)


class SamplerEpoch(Callback):
    """Calls ``sampler.set_epoch(epoch)`` as each epoch begins, on every rank: a DistributedSampler
    then draws that epoch's order (the same on every rank, a new one each epoch, from seed + epoch)."""

    def __init__(self, sampler):
        self.sampler = sampler

    def on_epoch_begin(self, epoch, logs=None):
        self.sampler.set_epoch(epoch)
