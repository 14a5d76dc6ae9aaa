"""A whole training run, as ``sinir train`` does it: data, model, optimizer, epochs, validation,
checkpoints after each epoch (``last.safetensors`` and ``best.safetensors``), resuming, the final test.

Nothing is lost: a new run into a folder that already holds checkpoints goes to the next free
name (``runs/lenet5-2``) unless ``overwrite``; the folder is checked for writability and cleaned
of temporary files a killed write left before the first epoch; a checkpoint never holds NaN or
inf weights; resuming refuses options that differ from the checkpoint's run unless they are
named in ``override``.

>>> from sinir.experiment import TrainConfig, run
>>> result = run(TrainConfig(model="lenet5", epochs=3, out="runs/lenet5"))
>>> result["test_accuracy"], result["out"]
"""
import dataclasses
import math
import time
from pathlib import Path

import numpy as np

from . import checkpoint, models, nn, optim
from .callbacks import Callback, Checkpoint, SamplerEpoch
from .data import DataLoader, Subset
from .datasets import MNIST, Compose, FashionMNIST, Normalize, ToTensor
from .distributed.ranks import Ranks, one_line, per_rank_batch_size  # noqa: F401  (one_line: its old address)
from .files import check_writable, remove_stale_temporaries
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
# options that define what a run computes: resuming with another value needs override=
RUN_OPTIONS = ("model", "dataset", "optimizer", "scheduler", "batch_size", "lr", "momentum", "weight_decay",
               "seed", "val_size", "limit_train")
NOT_OVERRIDABLE = ("model", "dataset")      # the weights belong to them
# what a checkpoint's model_config may hold, and the largest value (the model is built before
# its weights are read: these bounds keep a forged checkpoint from allocating gigabytes)
MODEL_OPTIONS = {"num_classes": 1000, "in_channels": 4, "image_size": 256, "small_input": 1}
CHECKPOINT_NAMES = ("last", "best", "interrupted")
# overriding one of these on resume starts a new schedule over the remaining epochs
FRESH_SCHEDULE = {"scheduler", "lr", "batch_size", "optimizer"}


class ConfigError(ValueError):
    """A training option has a wrong value (reported as a one-line error by the sinir command)."""


def _check_number(name, value, low=None, high=None, low_open=False, high_open=False, integer=False):
    flag = "--" + name.replace("_", "-")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or (
            integer and not float(value).is_integer()):
        raise ConfigError(f"{flag} must be {'an integer' if integer else 'a number'}, got {value!r}")
    if not math.isfinite(value):
        raise ConfigError(f"{flag} must be a finite number, got {value}")
    if low is not None and (value <= low if low_open else value < low):
        raise ConfigError(f"{flag} must be {'>' if low_open else '>='} {low:g}, got {value:g}")
    if high is not None and (value >= high if high_open else value > high):
        raise ConfigError(f"{flag} must be {'<' if high_open else '<='} {high:g}, got {value:g}")


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
    data: str = None              # a folder: the files must be there (no fall-back)
    out: str = None               # None: runs/<model>
    val_size: int = 5000          # held out of the training set for validation; 0: no validation
    limit_train: int = None       # train on the first N images only (quick experiments)

    def validate(self):
        """Check every option; raise ConfigError naming the first wrong one. Returns self."""
        for name, known in (("model", models.REGISTRY), ("dataset", DATASETS), ("optimizer", OPTIMIZERS),
                            ("scheduler", SCHEDULERS)):
            value = getattr(self, name)
            if not isinstance(value, str) or value not in known:
                listed = models.names() if name == "model" else list(known)
                raise ConfigError(f"unknown {name} {value!r}; the {name}s are: {', '.join(listed)}")
        _check_number("epochs", self.epochs, 1, 1_000_000, integer=True)
        _check_number("batch_size", self.batch_size, 1, 1_000_000, integer=True)
        if self.lr is not None:
            _check_number("lr", self.lr, 0, low_open=True)
        _check_number("momentum", self.momentum, 0, 1, high_open=True)
        _check_number("weight_decay", self.weight_decay, 0)
        _check_number("seed", self.seed, 0, 2 ** 63 - 1, integer=True)
        _check_number("val_size", self.val_size, 0, integer=True)
        if self.limit_train is not None:
            _check_number("limit_train", self.limit_train, 1, integer=True)
        return self

    @property
    def learning_rate(self):
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]

    @property
    def out_dir(self):
        return Path(self.out or Path("runs") / self.model)


# ----- building blocks (also used by the web page and distributed training) ------------------------------
def dataset_transform(name):
    _, mean, std = DATASETS[name]
    return Compose([ToTensor(), Normalize(mean, std)])


def load_split(name, train, data=None):
    """The train or test split of a dataset, normalised. With ``data`` (a folder) the files must be there."""
    if name not in DATASETS:
        raise ConfigError(f"unknown dataset {name!r}; the datasets are: {', '.join(DATASETS)}")
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


def build_scheduler(config, optimizer, steps_per_epoch, epochs=None):
    """The learning-rate schedule over ``epochs`` (default: config.epochs), and how often it steps:
    (scheduler or None, 'epoch' or 'step'). 'onecycle' steps after every batch."""
    epochs = epochs or config.epochs
    if config.scheduler == "step":
        return lr_scheduler.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1), "epoch"
    if config.scheduler == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs), "epoch"
    if config.scheduler == "onecycle":
        return lr_scheduler.OneCycleLR(optimizer, max_lr=config.learning_rate, epochs=epochs,
                                       steps_per_epoch=steps_per_epoch, cycle_momentum=False), "step"
    return None, "epoch"


def split_train_validation(train_full, config):
    """(training subset, validation subset or None): a fixed random hold-out of ``val_size`` images."""
    if config.val_size >= len(train_full):
        raise ConfigError(f"--val-size {config.val_size} leaves no training images (the training set has "
                          f"{len(train_full):,})")
    order = np.random.default_rng(config.seed).permutation(len(train_full))
    validation = Subset(train_full, np.sort(order[:config.val_size])) if config.val_size else None
    train_indices = np.sort(order[config.val_size:])
    if config.limit_train:
        train_indices = train_indices[:config.limit_train]
    return Subset(train_full, train_indices), validation


# ----- the output folder ---------------------------------------------------------------------------
def holds_checkpoints(folder):
    folder = Path(folder)
    return folder.is_dir() and any((folder / f"{name}{suffix}").exists()
                                   for name in CHECKPOINT_NAMES for suffix in (".safetensors", ".npz"))


def free_output_folder(folder):
    """``folder`` if it holds no checkpoints, else the first of folder-2, folder-3, ... that holds none."""
    folder = Path(folder)
    if not holds_checkpoints(folder):
        return folder
    number = 2
    while holds_checkpoints(folder.with_name(f"{folder.name}-{number}")):
        number += 1
    return folder.with_name(f"{folder.name}-{number}")


# ----- resuming ----------------------------------------------------------------------------------
def _flag(name):
    return "--" + name.replace("_", "-")


def resumed_config(config, saved, explicit, override, path):
    """The config to continue with: the checkpoint's run, with the options the user gave.

    ``explicit``: the option names the user gave. Those that differ from the saved run are
    refused unless named in ``override``. Returns (config, the overridden names).
    """
    saved_config = TrainConfig(**{f.name: saved.get(f.name, getattr(TrainConfig(), f.name))
                                  for f in dataclasses.fields(TrainConfig)})
    merged = dataclasses.replace(saved_config, epochs=config.epochs if "epochs" in explicit else saved_config.epochs,
                                 data=config.data if "data" in explicit else saved_config.data, out=config.out)
    differing = [name for name in RUN_OPTIONS if name in explicit
                 and getattr(config, name) != getattr(saved_config, name)
                 and not (name == "lr" and config.lr == saved_config.learning_rate)]
    fixed = [name for name in differing if name in NOT_OVERRIDABLE]
    if fixed:
        name = fixed[0]
        raise checkpoint.CheckpointError(f"{path}: the checkpoint holds {name} {getattr(saved_config, name)!r}, "
                                         f"not {getattr(config, name)!r}; a run cannot change its {name}")
    refused = [name for name in differing if name not in override]
    if refused:
        listed = ", ".join(f"{_flag(n)} {getattr(config, n)} (the run used {getattr(saved_config, n)})"
                           for n in refused)
        names = ",".join(n.replace("_", "-") for n in refused)
        raise ConfigError(f"--resume: these options differ from the checkpoint's run: {listed}; drop them to "
                          f"continue the run as it was, or add --override {names} to change them")
    for name in differing:
        setattr(merged, name, getattr(config, name))
    if "optimizer" in differing and "lr" not in explicit:
        merged.lr = None          # the new optimizer's default learning rate, not the old one's
    return merged.validate(), differing


def _check_epochs(config, saved_config, done, changed, path):
    if config.epochs < done:
        raise ConfigError(f"--epochs {config.epochs}: the checkpoint {path} is already at epoch {done}")
    planned = saved_config.get("epochs", config.epochs)
    if config.epochs > planned and config.scheduler in ("onecycle", "cosine") and not FRESH_SCHEDULE & set(changed):
        raise ConfigError(
            f"--epochs {config.epochs}: the run's {config.scheduler} schedule ends at epoch {planned} and cannot "
            f"be stretched; to train on, give a schedule for the new epochs, e.g. --scheduler cosine --override "
            f"scheduler (or --scheduler none)")


def _load_scheduler_state(scheduler, state, path):
    """Restore a scheduler, refusing a saved state whose fields are not this scheduler's own."""
    expected = scheduler.state_dict()
    if set(state) != set(expected) or any(
            isinstance(state[k], (list, str)) != isinstance(expected[k], (list, str)) for k in expected):
        raise checkpoint.CheckpointError(f"{path}: the saved {type(scheduler).__name__} state does not fit "
                                         f"(fields {sorted(state)[:6]}, expected {sorted(expected)[:6]})")
    scheduler.load_state_dict(state)


def _restore(path, config, changed, fresh_schedule, model, optimizer, scheduler, loader, log):
    """Load a checkpoint's weights, optimizer, scheduler and random states into the run's objects
    (what ``changed`` names is not restored but taken from ``config``); returns (start epoch,
    history, overrides)."""
    model_state, optimizer_state, meta = checkpoint.load(path, model)
    model.load_state_dict(model_state)
    if optimizer_state is not None and "optimizer" not in changed:
        try:
            optimizer.load_state_dict(optimizer_state)
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise checkpoint.CheckpointError(f"{path}: the optimizer's state does not fit ({error})") from None
    for group in optimizer.param_groups:      # what the user overrode wins over the saved groups
        if fresh_schedule:
            group.update(lr=config.learning_rate, initial_lr=config.learning_rate)
        if "weight_decay" in changed:
            group["weight_decay"] = config.weight_decay
        if "momentum" in changed and "momentum" in group:
            group["momentum"] = config.momentum
    if scheduler is not None and meta.get("scheduler"):
        _load_scheduler_state(scheduler, meta["scheduler"], path)
    try:
        set_rng_state(meta["rng_state"])
        loader.set_state(meta.get("loader_state"))
    except (KeyError, TypeError, ValueError) as error:
        raise checkpoint.CheckpointError(f"{path}: the random state is malformed ({error})") from None
    start_epoch = meta["epoch"] + 1
    overrides = list(meta.get("overrides", []))
    if changed:
        overrides.append({"epoch": start_epoch, "changed": {name: getattr(config, name) for name in changed}})
    log(f"resuming {config.model} after epoch {meta['epoch']} from {path}"
        + (f", changing {', '.join(_flag(n) for n in changed)}" if changed else ""))
    return start_epoch, list(meta.get("history", [])), overrides


# ----- the run -----------------------------------------------------------------------------------
class EpochLog(Callback):
    """One line per epoch through ``log``: loss, accuracies, speed."""

    rank_zero_only = True

    def __init__(self, log):
        self.log = log

    def on_epoch_end(self, epoch, logs=None):
        validated = f", validation accuracy {logs['val_accuracy']:.4f}" if logs.get("val_accuracy") is not None else ""
        self.log(f"epoch {epoch}/{self.trainer.epochs}: loss {logs['loss']:.4f}, train accuracy "
                 f"{logs['accuracy']:.4f}{validated}, {logs['images_per_second']:.0f} images/s")


def _explicit_fields(config):
    defaults = TrainConfig()
    return {f.name for f in dataclasses.fields(TrainConfig) if getattr(config, f.name) != getattr(defaults, f.name)}


def run(config, resume=None, progress="auto", log=print, callbacks=(), overwrite=False, override=(),
        explicit=None, distributed=False, per_rank_batch=None):
    """Train as ``config`` says; returns {"history", "test_accuracy", "checkpoint", "out", "seconds",
    "model", "test", "config", "rank", "world_size"}.

    ``resume``: a checkpoint to continue from, bit for bit (its run's options are used; options in
    ``explicit`` (default: those differing from TrainConfig's defaults) that differ from it are
    refused unless named in ``override``). ``overwrite``: write into ``config.out`` even if it holds
    checkpoints (else the next free name). ``callbacks``: more sinir.callbacks for ``fit``.

    ``distributed``: train on the ranks of an MPI job (see docs/distributed.md; the ranks' side of
    a run is ``Ranks`` in sinir/distributed/ranks.py): each rank reads its share of every batch,
    ``config.batch_size`` (the global batch) divided among the ranks unless ``per_rank_batch`` is
    given (then the global batch is per_rank_batch x ranks); rank 0 alone logs, shows progress and
    writes checkpoints; evaluation is sharded and summed. The order of the images depends only on
    the seed and the epoch, so a run resumes at any world size with the same global batch.
    """
    ranks = Ranks(distributed)
    if ranks.rank != 0:
        progress, log = None, lambda message: None
    explicit = _explicit_fields(config) if explicit is None else set(explicit)

    def settle_config():
        settled = config.validate()
        if per_rank_batch is not None:
            if not ranks.distributed:
                raise ConfigError("--per-rank-batch needs --distributed")
            _check_number("per_rank_batch", per_rank_batch, 1, 1_000_000, integer=True)
            global_batch = per_rank_batch * ranks.size
            if "batch_size" in explicit and settled.batch_size != global_batch:
                raise ConfigError(f"--per-rank-batch {per_rank_batch} x {ranks.size} ranks = {global_batch}, not "
                                  f"--batch-size {settled.batch_size}: give one of the two")
            settled = dataclasses.replace(settled, batch_size=global_batch)
            explicit.add("batch_size")
        names = set(name.replace("-", "_") for name in override)
        unknown = sorted(names - set(RUN_OPTIONS))
        if unknown:
            raise ConfigError(f"--override: unknown option(s) {', '.join(unknown)}; these can be overridden: "
                              f"{', '.join(n.replace('_', '-') for n in RUN_OPTIONS if n not in NOT_OVERRIDABLE)}")
        saved, changed = None, []
        if resume is not None:
            saved = checkpoint.read_meta(resume)
            saved_config = saved.get("config") or {}
            settled, changed = resumed_config(settled, saved_config, explicit, names, resume)
            _check_epochs(settled, saved_config, saved["epoch"], changed, resume)
        plan = per_rank_batch_size(settled.batch_size, ranks.size, per_rank_batch) if ranks.distributed else None
        return settled, saved, changed, plan

    config, saved_meta, changed, batch_plan = ranks.agree(settle_config)
    per_rank, batch_line = batch_plan or (None, None)
    if ranks.distributed:
        log(f"distributed: {ranks.size} rank(s); {ranks.blas}")

    def choose_folder():        # rank 0 alone looks at the folder and cleans it; the others are told
        if resume is not None:
            chosen = Path(config.out) if config.out else Path(resume).parent
        else:
            requested = config.out_dir
            chosen = requested if overwrite else free_output_folder(requested)
            if chosen != requested:
                log(f"{requested} already holds checkpoints: this run goes to {chosen} (--overwrite to replace them)")
        check_writable(chosen)
        for stale in remove_stale_temporaries(chosen):
            log(f"removed {stale.name}, left by an interrupted write")
        return chosen

    out = Path(ranks.on_rank_zero(choose_folder))
    config = dataclasses.replace(config, out=str(out), lr=config.learning_rate)
    if batch_line:
        log(batch_line)
    setup = ranks.agree(lambda: _set_up(config, resume, saved_meta, changed, ranks, per_rank, log))
    plain, optimizer, loader, scheduler, interval = (setup[k] for k in ("model", "optimizer", "loader", "scheduler",
                                                                        "interval"))
    train, validation, test, train_full = (setup[k] for k in ("train", "validation", "test", "train_full"))
    start_epoch, history, overrides = setup["start_epoch"], setup["history"], setup["overrides"]
    model = ranks.wrap(plain)   # with ranks: DistributedDataParallel, rank 0's weights everywhere
    log(f"training {config.model} ({plain.num_parameters():,} parameters) on {config.dataset}: "
        f"{len(train):,} training, {len(validation) if validation else 0:,} validation images"
        + (" (the bundled sample)" if train_full.is_sample else "") + f"; checkpoints in {out}/")
    if validation is None:
        log("no validation set (--val-size 0): best.safetensors is not written, only last.safetensors; "
            "the test set is used once, at the end")

    def meta_now(trainer):
        return {"model": config.model, "model_config": setup["model_kwargs"], "dataset": config.dataset,
                "normalization": list(DATASETS[config.dataset][1:]), "dataset_size": len(train_full),
                "epoch": len(trainer.history),       # complete epochs (an interrupted one does not count)
                "history": trainer.history, "config": dataclasses.asdict(config), "overrides": overrides,
                "rng_state": get_rng_state(), "loader_state": loader.get_state(),
                "scheduler": scheduler.state_dict() if scheduler is not None else None,
                "distributed": {"world_size": ranks.size, "per_rank_batch": per_rank} if per_rank else None}

    def save(path, trainer):     # the unwrapped model: keys without DDP's "module." prefix
        checkpoint.save(path, plain, meta_now(trainer), optimizer)

    best = max((h.get("val_accuracy") for h in history if h.get("val_accuracy") is not None), default=None)
    saver = Checkpoint(out, save, monitor="val_accuracy" if validation is not None else None, best=best)
    more = [SamplerEpoch(loader.sampler)] if ranks.distributed else []

    start = time.perf_counter()
    try:
        history = fit(model, loader, nn.CrossEntropyLoss(), optimizer, config.epochs,
                      DataLoader(ranks.shard(validation), batch_size=1000) if validation is not None else None,
                      scheduler, [*more, saver, EpochLog(log), *callbacks], progress, start_epoch, history, interval,
                      rank=ranks.rank)
        seconds = time.perf_counter() - start
        test_metrics = evaluate(model, DataLoader(ranks.shard(test), batch_size=1000))
    except KeyboardInterrupt:
        trainer = saver.trainer
        if trainer is None:          # before the loop began, or not rank 0: nothing to keep
            raise
        done = len(trainer.history)
        try:
            written = checkpoint.save(out / "interrupted.safetensors", plain, meta_now(trainer), optimizer)
            log(f"\ninterrupted: the current weights are in {written}; the last complete epoch ({done}) is in "
                f"{out / 'last.safetensors'} (continue with --resume {out / 'last.safetensors'})")
        except FloatingPointError:
            log(f"\ninterrupted; the last complete epoch ({done}) is in {out / 'last.safetensors'}")
        raise
    except (ValueError, OSError) as error:
        if ranks.size > 1:           # met by this rank alone (a checkpoint rank 0 could not write): stop all
            ranks.abort(error)
        raise
    log(f"test accuracy {test_metrics['accuracy']:.4f} after {len(history)} epochs ({seconds:.1f} s); "
        f"checkpoints in {out}/")
    return {"history": history, "test_accuracy": test_metrics["accuracy"], "checkpoint": out / "last.safetensors",
            "out": out, "seconds": seconds, "model": plain, "test": test, "config": config, "rank": ranks.rank,
            "world_size": ranks.size}


def _set_up(config, resume, saved_meta, changed, ranks, per_rank, log):
    """Data, model, optimizer, loader and schedule of a run (restored from ``resume`` if given), as a dict."""
    manual_seed(config.seed)
    train_full = load_split(config.dataset, True, config.data)
    test = load_split(config.dataset, False, config.data)
    train, validation = split_train_validation(train_full, config)
    if saved_meta is not None and saved_meta.get("dataset_size") not in (None, len(train_full)):
        raise ConfigError(f"--resume: the run trained on a {config.dataset} training set of "
                          f"{saved_meta['dataset_size']:,} images, this one has {len(train_full):,} "
                          f"({train_full.source}); pass --data with the run's files")
    if saved_meta is not None and bool(saved_meta.get("distributed")) != ranks.distributed:
        log(f"note: {resume} was written by a run {'with' if saved_meta.get('distributed') else 'without'} "
            f"--distributed; the images come in another order from here on than they would have in that run")
    image_shape = train_full.get_batch(np.arange(1))[0].shape[1:]
    model, model_kwargs = build_model(config.model, 10, image_shape[0], image_shape[-1])
    optimizer = build_optimizer(config, model.parameters())
    loader = ranks.training_loader(train, config.batch_size, per_rank, config.seed)
    start_epoch, history, overrides = 1, [], []
    fresh_schedule = resume is not None and bool(FRESH_SCHEDULE & set(changed))
    # built before the optimizer's state is loaded: a scheduler sets the groups' lr when it is made
    scheduler, interval = build_scheduler(config, optimizer, len(loader)) if not fresh_schedule else (None, "epoch")
    if resume is not None:
        start_epoch, history, overrides = _restore(resume, config, changed, fresh_schedule, model, optimizer,
                                                   scheduler, loader, log)
    if fresh_schedule:      # a new schedule over the remaining epochs, from the (new) learning rate
        scheduler, interval = build_scheduler(config, optimizer, len(loader), max(config.epochs - start_epoch + 1, 1))
    return {"model": model, "model_kwargs": model_kwargs, "optimizer": optimizer, "loader": loader,
            "scheduler": scheduler, "interval": interval, "train": train, "validation": validation, "test": test,
            "train_full": train_full, "start_epoch": start_epoch, "history": history, "overrides": overrides}


def load_model(path):
    """Rebuild the model stored in a checkpoint; returns (model in eval mode, meta).

    ``meta`` holds "model", "model_config", "dataset", "normalization" ([mean, std] the run
    used), "epoch", "history", "config". Every weight's shape and dtype is checked against the
    model before it is read; anything wrong raises checkpoint.CheckpointError naming the file.
    """
    meta = checkpoint.read_meta(path)
    name, options = meta.get("model"), meta.get("model_config", {})
    if name not in models.REGISTRY:
        raise checkpoint.CheckpointError(f"{path}: unknown model {name!r} in the checkpoint; the models are: "
                                         f"{', '.join(models.names())}")
    if meta.get("dataset") is not None and meta["dataset"] not in DATASETS:
        raise checkpoint.CheckpointError(f"{path}: unknown dataset {meta['dataset']!r} in the checkpoint; the "
                                         f"datasets are: {', '.join(DATASETS)}")
    for key, value in options.items():
        if key not in MODEL_OPTIONS or not 0 <= value <= MODEL_OPTIONS[key] or isinstance(value, str):
            raise checkpoint.CheckpointError(f"{path}: model option {key}={value!r} is not one sinir writes "
                                             f"(allowed: {', '.join(f'{k} <= {v}' for k, v in MODEL_OPTIONS.items())})")
    try:
        model = models.get(name, **options)
    except (TypeError, ValueError) as error:
        raise checkpoint.CheckpointError(f"{path}: cannot build model {name!r} from the checkpoint ({error})") from None
    model_state, _, meta = checkpoint.load(path, model)
    try:
        model.load_state_dict(model_state)
    except ValueError as error:
        raise checkpoint.CheckpointError(f"{path}: the weights do not fit model {name!r} ({error})") from None
    return model.eval(), meta
