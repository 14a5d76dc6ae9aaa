"""A whole training run, as ``sinir train`` does it: data, model, optimizer, epochs, validation,
checkpoints after each epoch (``last.npz`` and ``best.npz``), resuming, and the final test.

>>> from sinir.experiment import TrainConfig, run
>>> result = run(TrainConfig(model="lenet5", epochs=3, out="runs/lenet5"))
>>> result["test_accuracy"]
"""
import dataclasses
import time
from pathlib import Path

import numpy as np

from . import checkpoint, models, nn, optim
from .data import DataLoader, Subset
from .datasets import MNIST, Compose, FashionMNIST, Normalize, ToTensor
from .optim import lr_scheduler
from .random import get_rng_state, manual_seed, set_rng_state
from .training import evaluate, fit

DATASETS = {
    # name: (class, pixel mean, pixel std) after scaling to [0, 1]
    "mnist": (MNIST, 0.1307, 0.3081),
    "fashion-mnist": (FashionMNIST, 0.2860, 0.3530),
}
OPTIMIZERS = {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW, "rmsprop": optim.RMSprop,
              "adagrad": optim.Adagrad}
# peak learning rates that suit the default one-cycle schedule on MNIST
DEFAULT_LR = {"sgd": 0.05, "adam": 3e-3, "adamw": 3e-3, "rmsprop": 1e-3, "adagrad": 1e-2}
SCHEDULERS = ("none", "step", "cosine", "onecycle")


@dataclasses.dataclass
class TrainConfig:
    """Everything that defines a run (saved in every checkpoint)."""
    model: str = "lenet5"
    dataset: str = "mnist"
    epochs: int = 3
    batch_size: int = 64
    lr: float = None              # None: the optimizer's default in DEFAULT_LR
    optimizer: str = "adam"
    momentum: float = 0.9         # SGD and RMSprop only
    weight_decay: float = 0.0
    scheduler: str = "onecycle"
    seed: int = 0
    data: str = None
    out: str = None               # None: runs/<model>
    val_size: int = 5000          # held out of the training set for validation each epoch
    limit_train: int = None       # train on the first N images only (quick experiments)

    def validate(self):
        if self.model not in models.REGISTRY:
            raise ValueError(f"unknown model {self.model!r}; the models are: {', '.join(models.names())}")
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {self.dataset!r}; the datasets are: {', '.join(DATASETS)}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; the optimizers are: {', '.join(OPTIMIZERS)}")
        if self.scheduler not in SCHEDULERS:
            raise ValueError(f"unknown scheduler {self.scheduler!r}; the schedulers are: {', '.join(SCHEDULERS)}")
        for name in ("epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        if self.lr is not None and self.lr <= 0:
            raise ValueError(f"lr must be positive, got {self.lr}")
        if self.val_size < 0 or (self.limit_train is not None and self.limit_train < 1):
            raise ValueError("val-size must be >= 0 and limit-train >= 1")
        return self

    @property
    def learning_rate(self):
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]

    @property
    def out_dir(self):
        return Path(self.out or Path("runs") / self.model)


def dataset_transform(name):
    _, mean, std = DATASETS[name]
    return Compose([ToTensor(), Normalize(mean, std)])


def load_split(name, train, data=None):
    """The train or test split of a dataset, normalised."""
    cls = DATASETS[name][0]
    return cls(root=data, train=train, transform=dataset_transform(name))


def build_model(name, num_classes=10, in_channels=1, image_size=28):
    """A registered model sized for the images; returns (model, the keyword arguments used)."""
    kwargs = {"num_classes": num_classes, "in_channels": in_channels}
    if name == "mlp":
        kwargs["image_size"] = image_size
    if name in models.SMALL_INPUT_OPTION and image_size < 64:
        kwargs["small_input"] = True
    return models.get(name, **kwargs), kwargs


def build_optimizer(config, parameters):
    cls = OPTIMIZERS[config.optimizer]
    kwargs = {"lr": config.learning_rate, "weight_decay": config.weight_decay}
    if config.optimizer in ("sgd", "rmsprop"):
        kwargs["momentum"] = config.momentum
    return cls(parameters, **kwargs)


def build_scheduler(config, optimizer, steps_per_epoch):
    """The learning-rate schedule. 'onecycle' steps every batch (so ``fit`` must not step it)."""
    if config.scheduler == "step":
        return lr_scheduler.StepLR(optimizer, step_size=max(1, config.epochs // 3), gamma=0.1)
    if config.scheduler == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    if config.scheduler == "onecycle":
        return lr_scheduler.OneCycleLR(optimizer, max_lr=config.learning_rate, epochs=config.epochs,
                                       steps_per_epoch=steps_per_epoch, cycle_momentum=False)
    return None


class _SteppingOptimizer:
    """An optimizer whose every step also steps a per-batch schedule (OneCycleLR)."""

    def __init__(self, optimizer, scheduler):
        self.optimizer, self.scheduler = optimizer, scheduler
        self.param_groups = optimizer.param_groups

    def zero_grad(self):
        self.optimizer.zero_grad()

    def step(self):
        self.optimizer.step()
        if self.scheduler.last_epoch < self.scheduler.total_steps:
            self.scheduler.step()


def run(config, resume=None, progress="auto", log=print):
    """Train as ``config`` says (resuming from the checkpoint ``resume`` if given). Writes
    ``last.npz`` after every epoch and ``best.npz`` when validation accuracy improves.
    Returns {"history", "test_accuracy", "checkpoint", "seconds", "model", "test"}."""
    config.validate()
    manual_seed(config.seed)
    train_full = load_split(config.dataset, True, config.data)
    test = load_split(config.dataset, False, config.data)
    order = np.random.default_rng(config.seed).permutation(len(train_full))
    val_size = min(config.val_size, len(train_full) // 5)
    validation = Subset(train_full, np.sort(order[:val_size])) if val_size else test
    train_indices = np.sort(order[val_size:])
    if config.limit_train:
        train_indices = train_indices[:config.limit_train]
    train = Subset(train_full, train_indices)
    image_shape = train_full.get_batch(np.arange(1))[0].shape[1:]
    model, model_kwargs = build_model(config.model, 10, image_shape[0], image_shape[-1])
    optimizer = build_optimizer(config, model.parameters())
    loader = DataLoader(train, batch_size=config.batch_size, shuffle=True, seed=config.seed)
    scheduler = build_scheduler(config, optimizer, len(loader))
    start_epoch, history, best = 1, [], -1.0
    if resume is not None:
        model_state, optimizer_state, meta = checkpoint.load(resume)
        if meta.get("model") != config.model:
            raise checkpoint.CheckpointError(f"{resume}: the checkpoint holds model {meta.get('model')!r}, "
                                             f"not {config.model!r}")
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)
        if scheduler is not None and meta.get("scheduler"):
            scheduler.load_state_dict(meta["scheduler"])
        set_rng_state(meta["rng_state"])
        loader.set_state(meta["loader_state"])
        start_epoch, history = meta["epoch"] + 1, meta["history"]
        best = max([h.get("val_accuracy") or -1.0 for h in history], default=-1.0)
        log(f"resuming {config.model} after epoch {meta['epoch']} from {resume}")
    out = config.out_dir
    log(f"training {config.model} ({model.num_parameters():,} parameters) on {config.dataset}: "
        f"{len(train):,} training, {len(validation):,} validation images"
        + (" (the bundled sample)" if train_full.is_sample else ""))

    def meta(epoch, history):
        return {"model": config.model, "model_config": model_kwargs, "dataset": config.dataset,
                "normalization": list(DATASETS[config.dataset][1:]), "epoch": epoch, "history": history,
                "config": dataclasses.asdict(config), "rng_state": get_rng_state(),
                "loader_state": loader.get_state(),
                "scheduler": scheduler.state_dict() if scheduler is not None else None}

    def save_epoch(epoch, metrics):
        nonlocal best
        history.append(metrics)
        checkpoint.save(out / "last.npz", model, meta(epoch, history), optimizer)
        if (metrics.get("val_accuracy") or 0) > best:
            best = metrics["val_accuracy"]
            checkpoint.save(out / "best.npz", model, meta(epoch, history), optimizer)
        log(f"epoch {epoch}/{config.epochs}: loss {metrics['loss']:.4f}, train accuracy {metrics['accuracy']:.4f}, "
            f"validation accuracy {metrics['val_accuracy']:.4f}, {metrics['images_per_second']:.0f} images/s")

    stepping = _SteppingOptimizer(optimizer, scheduler) if config.scheduler == "onecycle" else optimizer
    epoch_scheduler = scheduler if config.scheduler in ("step", "cosine") else None
    start = time.perf_counter()
    try:
        fit(model, loader, nn.CrossEntropyLoss(), stepping,
            config.epochs, DataLoader(validation, batch_size=1000), epoch_scheduler, progress, save_epoch,
            start_epoch)
    except KeyboardInterrupt:
        saved = checkpoint.save(out / "interrupted.npz", model, meta(len(history), history), optimizer)
        log(f"\ninterrupted: the current weights are in {saved}; the last complete epoch "
            f"({len(history)}) is in {out / 'last.npz'} (continue with --resume {out / 'last.npz'})")
        raise
    seconds = time.perf_counter() - start
    test_metrics = evaluate(model, DataLoader(test, batch_size=1000))
    log(f"test accuracy {test_metrics['accuracy']:.4f} after {len(history)} epochs ({seconds:.1f} s); "
        f"checkpoints in {out}/")
    return {"history": history, "test_accuracy": test_metrics["accuracy"], "checkpoint": out / "last.npz",
            "seconds": seconds, "model": model, "test": test}


def load_model(path):
    """Rebuild the model stored in a checkpoint; returns (model in eval mode, meta)."""
    model_state, _, meta = checkpoint.load(path)
    name = meta.get("model")
    if name not in models.REGISTRY:
        raise checkpoint.CheckpointError(f"{path}: unknown model {name!r} in the checkpoint")
    model = models.get(name, **meta.get("model_config", {}))
    try:
        model.load_state_dict(model_state)
    except ValueError as error:
        raise checkpoint.CheckpointError(f"{path}: the weights do not fit model {name!r} ({error})") from None
    return model.eval(), meta
