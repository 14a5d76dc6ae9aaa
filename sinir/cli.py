"""The ``sinir`` command: train, evaluate, predict, summary, plot, convert, lesson.

    sinir train --model lenet5 --epochs 3
    sinir evaluate runs/lenet5/best.safetensors
    sinir predict runs/lenet5/best.safetensors digit.png
    sinir summary --model vgg16 --input-size 3 224 224

A mistake in what the user gave (a name, a file, a number) ends with a one-line message that
names the option or file and what was expected, and exit code 2, never a traceback.
"""
import argparse
import importlib
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

from . import checkpoint, experiment, metrics, models, nn
from .grad_mode import no_grad
from .plots import PlottingUnavailable
from .tensor import Tensor
from .training import TrainingDivergedError, predict as predict_batches

USAGE_ERROR = 2
INTERNAL_ERROR = 1


class UsageError(ValueError):
    """A mistake in the command line's arguments or files: reported in one line, exit code 2."""


def _number(text, kind):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {'an integer' if kind is int else 'a number'}, got {text!r}")
    if kind is float and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def _positive_int(text):
    value = _number(text, int)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text):
    value = _number(text, int)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _positive_float(text):
    value = _number(text, float)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _non_negative_float(text):
    value = _number(text, float)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _fraction(text):
    value = _number(text, float)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def _json(value):
    """One line of valid JSON (NaN and inf, which JSON lacks, become null)."""
    return json.dumps(checkpoint.json_safe(value), allow_nan=False)


# the train options that are TrainConfig fields (given ones are told apart from defaults for --resume)
TRAIN_FIELDS = ("model", "dataset", "epochs", "batch_size", "lr", "optimizer", "momentum", "weight_decay",
                "scheduler", "seed", "data", "out", "val_size", "limit_train")


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors in one line (no usage block): 'sinir train: error: argument --lr: ...'."""

    quiet = False       # in ranks other than 0 of a distributed run: rank 0 says it

    def error(self, message):
        self.exit(USAGE_ERROR, None if _Parser.quiet else f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser():
    parser = _Parser(prog="sinir", description="Train and use neural networks in pure NumPy.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    train = commands.add_parser("train", help="train a model on MNIST or Fashion-MNIST",
                                description="Train a model; checkpoints go to OUT/last.safetensors and "
                                            "OUT/best.safetensors. A folder that already holds checkpoints is "
                                            "never overwritten: the run goes to OUT-2, OUT-3, ... unless "
                                            "--overwrite or --resume is given.",
                                argument_default=argparse.SUPPRESS)
    defaults = experiment.TrainConfig()
    train.add_argument("--model", help=f"one of: {', '.join(models.names())} (default {defaults.model})")
    train.add_argument("--dataset", help=f"one of: {', '.join(experiment.DATASETS)} (default {defaults.dataset})")
    train.add_argument("--epochs", type=_positive_int, help=f"default {defaults.epochs}")
    train.add_argument("--batch-size", type=_positive_int, help=f"default {defaults.batch_size}")
    train.add_argument("--lr", type=_positive_float,
                       help="learning rate (peak of the schedule); default by optimizer: "
                            + ", ".join(f"{k} {v:g}" for k, v in experiment.DEFAULT_LR.items()))
    train.add_argument("--optimizer", help=f"one of: {', '.join(experiment.OPTIMIZERS)} (default {defaults.optimizer})")
    train.add_argument("--momentum", type=_fraction,
                       help=f"for sgd and rmsprop, in [0, 1) (default {defaults.momentum})")
    train.add_argument("--weight-decay", type=_non_negative_float, help=f"default {defaults.weight_decay}")
    train.add_argument("--scheduler", help=f"one of: {', '.join(experiment.SCHEDULERS)} (default {defaults.scheduler})")
    train.add_argument("--seed", type=_non_negative_int, help=f"default {defaults.seed}")
    train.add_argument("--data", help="folder with the IDX files (it must hold them); without it: $SINIR_DATA, "
                                      "the cache, a download, else the bundled sample")
    train.add_argument("--out", help="folder for checkpoints (default runs/MODEL; with --resume, the checkpoint's)")
    train.add_argument("--val-size", type=_non_negative_int,
                       help=f"training images held out for validation each epoch (default {defaults.val_size}); "
                            "0: no validation and no best checkpoint, the test set is used only at the end")
    train.add_argument("--limit-train", type=_positive_int, help="train on this many images only")
    train.add_argument("--resume", metavar="CKPT", help="continue a run from its checkpoint (bit-for-bit); its "
                                                        "options are used, and differing ones refused")
    train.add_argument("--override", metavar="OPTIONS", default="",
                       help="with --resume: comma-separated options that may differ from the checkpoint's run, "
                            "e.g. --override lr,scheduler")
    train.add_argument("--overwrite", action="store_true", default=False,
                       help="write into OUT even if it holds checkpoints")
    train.add_argument("--plot", action="store_true", default=False, help="write PNG pictures of the run at the end")
    train.add_argument("--progress", choices=["auto", "bar", "lines", "none"], default="auto")
    train.add_argument("--distributed", action="store_true", default=False,
                       help="train on the ranks of an MPI job: mpiexec -n N sinir train --distributed ... (or "
                            "srun); each rank takes its share of every batch, rank 0 alone logs and writes "
                            "checkpoints (see docs/distributed.md)")
    train.add_argument("--per-rank-batch", type=_positive_int, metavar="B",
                       help="with --distributed: images per rank in each step (default: --batch-size / ranks; "
                            "the global batch is then B x ranks)")

    evaluate = commands.add_parser("evaluate", help="test accuracy, per-class precision and recall, confusion matrix")
    evaluate.add_argument("checkpoint", metavar="CKPT")
    evaluate.add_argument("--data", help="folder with the IDX files")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    predict = commands.add_parser("predict", help="recognise the digit in pictures (PNG, JPEG, BMP, WebP, GIF, ...)")
    predict.add_argument("checkpoint", metavar="CKPT")
    predict.add_argument("images", metavar="IMAGE", nargs="+")
    predict.add_argument("--json", action="store_true", help="one JSON object per image")

    summary = commands.add_parser("summary", help="the layers of a model, their shapes and parameters")
    summary.add_argument("--model", required=True, help=f"one of: {', '.join(models.names())}")
    summary.add_argument("--input-size", type=_positive_int, nargs=3, metavar=("C", "H", "W"), default=(1, 28, 28))
    summary.add_argument("--num-classes", type=_positive_int, default=10)

    plot = commands.add_parser("plot", help="PNG pictures of a checkpoint: curves, confusion matrix, filters, "
                                            "feature maps, mistakes")
    plot.add_argument("checkpoint", metavar="CKPT")
    plot.add_argument("--data", help="folder with the IDX files")
    plot.add_argument("--out", help="folder for the pictures (default: beside the checkpoint, in plots/)")

    convert = commands.add_parser("convert", help="convert an old .npz checkpoint (sinir 0.1) to .safetensors")
    convert.add_argument("checkpoint", metavar="OLD.npz")
    convert.add_argument("--out", metavar="NEW.safetensors", help="default: beside it, with .safetensors")

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(commands)
    return parser


# ----- train -------------------------------------------------------------------------------------
def command_train(args):
    given = {name: getattr(args, name) for name in TRAIN_FIELDS if hasattr(args, name)}
    config = experiment.TrainConfig(**given)
    override = [name.strip() for name in args.override.split(",") if name.strip()]
    resume = getattr(args, "resume", None)
    if override and resume is None:
        raise UsageError("--override only applies with --resume")
    if args.overwrite and resume is not None:
        raise UsageError("--overwrite and --resume exclude each other: a resumed run continues in its folder")
    per_rank_batch = getattr(args, "per_rank_batch", None)
    if per_rank_batch is not None and not args.distributed:
        raise UsageError("--per-rank-batch only applies with --distributed")
    progress = None if args.progress == "none" else args.progress
    result = experiment.run(config, resume=resume, progress=progress, overwrite=args.overwrite,
                            override=override, explicit=set(given),
                            log=lambda message: print(message, file=sys.stderr, flush=True),
                            distributed=args.distributed, per_rank_batch=per_rank_batch)
    if result["rank"] != 0:      # rank 0 speaks for the job
        return 0
    print(f"test accuracy: {result['test_accuracy']:.4f}")
    if args.plot:
        written = _plot(result["checkpoint"], result["config"].data, Path(result["out"]) / "plots")
        print(f"pictures: {', '.join(str(p) for p in written)}")
    return 0


# ----- evaluate ----------------------------------------------------------------------------------
def _test_predictions(model, meta, data):
    test = experiment.load_split(meta["dataset"], False, data)
    outputs = predict_batches(model, Tensor(test.get_batch(np.arange(len(test)))[0]))
    return test, outputs.argmax(axis=1)


def command_evaluate(args):
    model, meta = experiment.load_model(args.checkpoint)
    test, predictions = _test_predictions(model, meta, args.data)
    matrix = metrics.confusion_matrix(test.targets, predictions, 10)
    precision, recall = metrics.precision_recall(matrix)
    report = {"checkpoint": str(args.checkpoint), "model": meta["model"], "dataset": meta["dataset"],
              "epoch": meta.get("epoch"), "samples": int(len(test)), "accuracy": metrics.accuracy(matrix),
              "precision": precision.round(6).tolist(), "recall": recall.round(6).tolist(),
              "confusion_matrix": matrix.tolist()}
    if args.json:
        print(_json(report))
        return 0
    print(f"{meta['model']} after epoch {meta.get('epoch')} on the {meta['dataset']} test set "
          f"({len(test):,} images{', the bundled sample' if test.is_sample else ''})")
    print(f"accuracy: {report['accuracy']:.4f}\n")
    print("class  precision  recall")
    for digit in range(10):
        print(f"{digit:>5}  {precision[digit]:9.4f}  {recall[digit]:6.4f}")
    print("\nconfusion matrix (rows: true class, columns: predicted)")
    print("     " + "".join(f"{j:>6}" for j in range(10)))
    for i, row in enumerate(matrix):
        print(f"{i:>5}" + "".join(f"{count:>6}" for count in row))
    return 0


# ----- predict -----------------------------------------------------------------------------------
def command_predict(args):
    from .images import digit_from_file
    model, meta = experiment.load_model(args.checkpoint)
    channels = meta.get("model_config", {}).get("in_channels", 1)
    if channels != 1:
        raise UsageError(f"{args.checkpoint}: the model takes {channels}-channel images; sinir predict reads grey "
                         "28x28 digits (MNIST-style models only)")
    normalization = meta.get("normalization", (0.0, 1.0))
    for path in args.images:
        x = Tensor(digit_from_file(path, normalization)[None, None])
        with no_grad():
            probabilities = np.asarray(model(x).softmax(axis=1))[0].astype(np.float64)
        digit = int(probabilities.argmax())
        if args.json:
            print(_json({"image": str(path), "prediction": digit, "probabilities": probabilities.round(6).tolist()}))
        else:
            ranked = ", ".join(f"{k}: {probabilities[k]:.3f}" for k in np.argsort(-probabilities)[:3])
            print(f"{path}: {digit}  (probabilities {ranked})")
    return 0


# ----- summary and plot --------------------------------------------------------------------------
def command_summary(args):
    if args.model not in models.REGISTRY:
        raise UsageError(f"unknown model {args.model!r}; the models are: {', '.join(models.names())}")
    channels, height, width = args.input_size
    model, _ = experiment.build_model(args.model, args.num_classes, channels, min(height, width))
    print(f"{args.model}, input {channels}x{height}x{width}")
    print(models.summary(model, (channels, height, width)))
    return 0


def _plot(checkpoint_path, data, out):
    from . import plots
    plots._pyplot()   # fail early, with the install hint, if matplotlib is missing
    model, meta = experiment.load_model(checkpoint_path)
    test, predictions = _test_predictions(model, meta, data)
    images = test.get_batch(np.arange(len(test)))[0]
    out = Path(out)
    written = [plots.training_curves(meta["history"], out / "curves.png"),
               plots.confusion_matrix(metrics.confusion_matrix(test.targets, predictions, 10), out / "confusion.png"),
               plots.first_layer_filters(model, out / "filters.png")]
    if any(isinstance(module, nn.Conv2d) for module in model.modules()):
        written.append(plots.feature_maps(model, images[0], out / "feature_maps.png"))
    written.append(plots.misclassified(test.data, test.targets, predictions, out / "misclassified.png"))
    return written


def command_plot(args):
    out = Path(args.out) if args.out else Path(args.checkpoint).parent / "plots"
    for path in _plot(args.checkpoint, args.data, out):
        print(path)
    return 0


def command_convert(args):
    written = checkpoint.convert(args.checkpoint, args.out)
    print(written)
    return 0


COMMANDS = {"train": command_train, "evaluate": command_evaluate, "predict": command_predict,
            "summary": command_summary, "plot": command_plot, "convert": command_convert}
# Subcommands that live beside what they serve: each module has add_parser(commands), which
# registers the subcommand with set_defaults(handler=run), and run(args) -> exit code.
COMMAND_MODULES = ["sinir.lessons.command", "sinir.onnx.command", "sinir.serve.command"]


def _other_rank(argv):
    """True in every rank but rank 0 of ``sinir train --distributed``: they keep quiet, so that a
    mistake that all ranks meet is said once. Before MPI starts, the launcher's variables tell."""
    if "--distributed" not in argv:
        return False
    from . import distributed
    if distributed.is_initialized():
        return distributed.get_rank() != 0
    for name in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_PROCID"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name]) != 0
    return False


def main(argv=None):
    """Run the command line ``argv``; returns the exit code (0, 2 for a user mistake, 130 for Ctrl-C).

    Under ``mpiexec`` with ``train --distributed`` every rank exits with the same code, and only
    rank 0 prints the message."""
    argv = sys.argv[1:] if argv is None else list(argv)
    _Parser.quiet = _other_rank(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit:      # --help, or a malformed option (its one-line message is printed)
        return exit.code if isinstance(exit.code, int) else 0

    def say(message):
        if not _other_rank(argv):
            print(message, file=sys.stderr)

    try:
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return handler(args)
    except (ValueError, PlottingUnavailable, TrainingDivergedError) as error:
        # a bad name, number or file: ConfigError, DatasetError, ImageError, CheckpointError, FileError
        # (all ValueErrors) say which option or file and what was expected. A ValueError raised inside
        # NumPy or another library is no such message: an input slipped past sinir's checks (a bug).
        if isinstance(error, ValueError) and _raised_outside_sinir(error):
            if os.environ.get("SINIR_DEBUG"):
                raise
            say(f"sinir {args.command}: internal error, please report it (SINIR_DEBUG=1 shows the traceback): "
                f"{type(error).__name__}: {_one_line(error)}")
            return INTERNAL_ERROR
        say(f"sinir {args.command}: error: {_one_line(error)}")
        return USAGE_ERROR
    except OSError as error:
        # writing failed (a full disk, a folder that vanished): name the file, not a traceback
        where = f"{error.filename}: " if error.filename else ""
        say(f"sinir {args.command}: error: {where}{error.strerror or error}")
        return USAGE_ERROR
    except KeyboardInterrupt:
        say("sinir: interrupted")
        return 130


def _raised_outside_sinir(error):
    """True when the innermost frame of the error's traceback is not in sinir (NumPy, Pillow, ...)."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    module = frame.tb_frame.f_globals.get("__name__", "") if frame is not None else "sinir"
    return not (module == "sinir" or module.startswith("sinir.") or module == "__main__")


def _one_line(error):
    return " ".join(str(error).split()) or type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
