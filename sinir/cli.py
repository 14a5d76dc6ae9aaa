"""The ``sinir`` command: train, evaluate, predict, summary, plot, lesson.

    sinir train --model lenet5 --epochs 3
    sinir evaluate runs/lenet5/best.npz
    sinir predict runs/lenet5/best.npz digit.png
    sinir summary --model vgg16 --input-size 3 224 224

A mistake in what the user gave (a name, a file, a number) ends with a one-line message and
exit code 2, never a traceback.
"""
import argparse
import importlib
import json
import sys
from pathlib import Path

import numpy as np

from . import experiment, metrics, models, nn
from .grad_mode import no_grad
from .plots import PlottingUnavailable
from .tensor import Tensor
from .training import TrainingDivergedError, predict as predict_batches

USAGE_ERROR = 2


class UsageError(ValueError):
    """A mistake in the command line's arguments or files: reported in one line, exit code 2."""


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(prog="sinir", description="Train and use neural networks in pure NumPy.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    train = commands.add_parser("train", help="train a model on MNIST or Fashion-MNIST",
                                description="Train a model; checkpoints go to OUT/last.npz and OUT/best.npz.")
    defaults = experiment.TrainConfig()
    train.add_argument("--model", default=defaults.model, help=f"one of: {', '.join(models.names())}")
    train.add_argument("--dataset", default=defaults.dataset, help=f"one of: {', '.join(experiment.DATASETS)}")
    train.add_argument("--epochs", type=_positive_int, default=defaults.epochs)
    train.add_argument("--batch-size", type=_positive_int, default=defaults.batch_size)
    train.add_argument("--lr", type=_positive_float, default=None,
                       help="learning rate (peak of the schedule); default by optimizer: "
                            + ", ".join(f"{k} {v:g}" for k, v in experiment.DEFAULT_LR.items()))
    train.add_argument("--optimizer", default=defaults.optimizer, help=f"one of: {', '.join(experiment.OPTIMIZERS)}")
    train.add_argument("--momentum", type=float, default=defaults.momentum, help="for sgd and rmsprop")
    train.add_argument("--weight-decay", type=float, default=defaults.weight_decay)
    train.add_argument("--scheduler", default=defaults.scheduler, help=f"one of: {', '.join(experiment.SCHEDULERS)}")
    train.add_argument("--seed", type=int, default=defaults.seed)
    train.add_argument("--data", help="folder with the IDX files (else $SINIR_DATA, the cache, a download)")
    train.add_argument("--out", help="folder for checkpoints (default runs/MODEL)")
    train.add_argument("--val-size", type=int, default=defaults.val_size,
                       help="training images held out for validation each epoch")
    train.add_argument("--limit-train", type=_positive_int, help="train on this many images only")
    train.add_argument("--resume", metavar="CKPT", help="continue from a checkpoint (bit-for-bit)")
    train.add_argument("--plot", action="store_true", help="write PNG pictures of the run at the end")
    train.add_argument("--progress", choices=["auto", "bar", "lines", "none"], default="auto")

    evaluate = commands.add_parser("evaluate", help="test accuracy, per-class precision and recall, confusion matrix")
    evaluate.add_argument("checkpoint", metavar="CKPT")
    evaluate.add_argument("--data", help="folder with the IDX files")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    predict = commands.add_parser("predict", help="recognise the digit in PNG or JPEG pictures")
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

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(commands)
    return parser


# ----- train -------------------------------------------------------------------------------------
def command_train(args):
    config = experiment.TrainConfig(
        model=args.model, dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
        optimizer=args.optimizer, momentum=args.momentum, weight_decay=args.weight_decay,
        scheduler=args.scheduler, seed=args.seed, data=args.data, out=args.out, val_size=args.val_size,
        limit_train=args.limit_train)
    progress = None if args.progress == "none" else args.progress
    result = experiment.run(config, resume=args.resume, progress=progress,
                            log=lambda message: print(message, file=sys.stderr, flush=True))
    print(f"test accuracy: {result['test_accuracy']:.4f}")
    if args.plot:
        written = _plot(result["checkpoint"], args.data, config.out_dir / "plots")
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
        print(json.dumps(report))
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
    from .images import read_image, to_mnist
    model, meta = experiment.load_model(args.checkpoint)
    mean, std = meta.get("normalization", (0.0, 1.0))
    for path in args.images:
        image = to_mnist(read_image(path), path)
        x = Tensor(((image - mean) / std)[None, None].astype(np.float32))
        with no_grad():
            probabilities = model(x).softmax(axis=1).data[0].astype(np.float64)
        digit = int(probabilities.argmax())
        if args.json:
            print(json.dumps({"image": str(path), "prediction": digit,
                              "probabilities": probabilities.round(6).tolist()}))
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


COMMANDS = {"train": command_train, "evaluate": command_evaluate, "predict": command_predict,
            "summary": command_summary, "plot": command_plot}
# Subcommands that live beside what they serve: each module has add_parser(commands), which
# registers the subcommand with set_defaults(handler=run), and run(args) -> exit code.
COMMAND_MODULES = ["sinir.lessons.command"]


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return handler(args)
    except (ValueError, PlottingUnavailable, TrainingDivergedError) as error:
        # a bad name, number or file (DatasetError, CheckpointError and ImageError are ValueErrors)
        print(f"sinir {args.command}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("sinir: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
