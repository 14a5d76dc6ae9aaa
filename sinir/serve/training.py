"""The Train page's side: a short training run in a background thread, reported batch by batch.

A run is ``sinir train``'s own (``sinir.experiment.run``: the same data, model, optimizer,
schedule and checkpoint files, in a new folder under ``runs/``); a callback reports every batch
and epoch to the page. The run holds ``COMPUTE_LOCK`` and lets the Draw and Backprop pages in
between two batches.

>>> trainer = Trainer("runs")
>>> job = trainer.start(TrainingChoices(model="lenet5", epochs=1, lr=0.003, images=1000))
>>> job.events[-1]["type"]     # 'log', 'start', 'batch', ..., 'epoch', ..., 'done'
"""
import dataclasses
import threading
from pathlib import Path

from .. import experiment
from ..callbacks import Callback
from .digits import COMPUTE_LOCK, BadInput, checkpoints_in

# what the page offers; anything else is refused
CHOICES = {
    "model": ["lenet5", "mlp"],
    "optimizer": ["adam", "sgd"],
    "epochs": [1, 2, 3, 5],
    "lr": [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],    # the peak of sinir train's one-cycle schedule
    "images": [1000, 6000, 20000, 60000],            # training images (at most what the dataset has)
}
VALIDATION_IMAGES = 1000


@dataclasses.dataclass
class TrainingChoices:
    """One run's settings, each from ``CHOICES``."""
    model: str = "lenet5"
    optimizer: str = "adam"
    epochs: int = 1
    lr: float = 0.003
    images: int = 6000

    @classmethod
    def from_json(cls, body):
        if not isinstance(body, dict):
            raise BadInput("the body must be a JSON object such as "
                           '{"model": "lenet5", "optimizer": "adam", "epochs": 1, "lr": 0.003, "images": 6000}')
        unknown = sorted(set(body) - set(CHOICES))
        if unknown:
            raise BadInput(f"unknown field {unknown[0]!r}; the fields are: {', '.join(CHOICES)}")
        return cls(**body).validate()

    def validate(self):
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or value not in allowed:
                raise BadInput(f"{name} must be one of {', '.join(str(v) for v in allowed)}, got {value!r}")
        return self

    def config(self, out, data=None):
        """The sinir train configuration: these choices, the rest as ``sinir train``'s defaults."""
        return experiment.TrainConfig(model=self.model, optimizer=self.optimizer, epochs=self.epochs, lr=self.lr,
                                      data=data, out=str(out), val_size=VALIDATION_IMAGES, limit_train=self.images)


class Reporter(Callback):
    """Turns the training loop's hooks into the page's events, and shares the lock between batches."""

    def __init__(self, log, stop=None):
        self.log, self.stop = log, stop
        self.holding = False

    def on_train_begin(self, logs=None):
        COMPUTE_LOCK.acquire()          # released by ``train`` once the final test is done
        self.holding = True
        self.seen = self.correct = 0
        self.log({"type": "start", "epochs": self.trainer.epochs, "batches": len(self.trainer.loader),
                  "train_images": len(self.trainer.loader.dataset)})

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = self.correct = 0

    def on_batch_end(self, step, loss, logs=None):
        # the loop gives the batch's loss and the epoch's running accuracy; the batch's accuracy follows
        size = len(self.trainer.batch[0])
        correct = (logs["accuracy"] or 0.0) * (self.seen + size)
        batches = len(self.trainer.loader)
        self.log({"type": "batch", "epoch": self.trainer.epoch, "batch": step + 1, "batches": batches,
                  "step": (self.trainer.epoch - 1) * batches + step + 1, "loss": loss,
                  "accuracy": None if logs["accuracy"] is None else (correct - self.correct) / size,
                  "running_loss": logs["loss"], "running_accuracy": logs["accuracy"]})
        self.seen, self.correct = self.seen + size, correct
        if self.stop is not None and self.stop.is_set():
            self.trainer.stop = True
        COMPUTE_LOCK.let_others_in()

    def on_epoch_end(self, epoch, logs=None):
        self.log({"type": "epoch", **logs})
        COMPUTE_LOCK.let_others_in()


def train(choices, out, data=None, log=None, stop=None):
    """Train as ``choices`` say into the folder ``out`` (``last.safetensors``, ``best.safetensors``,
    like ``sinir train --out OUT``). ``log(event)`` receives dicts {"type": "log" | "start" | "batch"
    | "epoch" | "done", ...}; ``stop`` (a threading.Event) ends the run after the current batch.
    Returns the "done" event."""
    log = log or (lambda event: None)
    reporter = Reporter(log, stop)
    try:
        result = experiment.run(choices.config(out, data), progress=None, overwrite=True, callbacks=[reporter],
                                log=lambda message: log({"type": "log", "message": message.strip()}))
    finally:
        if reporter.holding:
            COMPUTE_LOCK.release()
    saved = checkpoints_in(out)         # none when stopped during the first epoch
    done = {"type": "done", "test_accuracy": result["test_accuracy"], "checkpoint": str(saved[0]) if saved else None,
            "seconds": result["seconds"], "epochs": len(result["history"]),
            "stopped": len(result["history"]) < choices.epochs}
    log(done)
    return done


class TrainingJob:
    """One run in a background thread; ``events`` grows as it goes (read it from any thread)."""

    def __init__(self, job_id, choices, out, data=None):
        self.id, self.choices, self.out, self.data = job_id, choices, Path(out), data
        self.events, self.finished, self.stop = [], False, threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"sinir-train-{job_id}", daemon=True)

    def _run(self):
        try:
            train(self.choices, self.out, self.data, self.events.append, self.stop)
        except Exception as error:          # reported to the page, which shows it in one line
            message = " ".join(str(error).split())
            self.events.append({"type": "failed", "error": f"{type(error).__name__}: {message}"})
        finally:
            self.finished = True

    def describe(self):
        return {"id": self.id, "out": str(self.out), "finished": self.finished,
                "choices": dataclasses.asdict(self.choices), "events": len(self.events)}


class Trainer:
    """Starts runs into ``runs_dir``, one at a time."""

    def __init__(self, runs_dir="runs", data=None):
        self.runs_dir, self.data = Path(runs_dir), data
        self.jobs, self._lock = {}, threading.Lock()

    def running(self):
        return next((job for job in self.jobs.values() if not job.finished), None)

    def start(self, choices):
        with self._lock:
            busy = self.running()
            if busy is not None:
                raise BadInput(f"a training is already running (id {busy.id}); one at a time", 409)
            # the folder sinir train would pick: runs/MODEL, else runs/MODEL-2, runs/MODEL-3, ...
            out = experiment.free_output_folder(self.runs_dir / choices.model)
            job = TrainingJob(out.name, choices, out, self.data)
            self.jobs[job.id] = job
            job.thread.start()
            return job

    def stop_all(self, timeout=10):
        for job in self.jobs.values():
            job.stop.set()
        for job in self.jobs.values():
            job.thread.join(timeout)
