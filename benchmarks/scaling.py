"""How the cost grows: time per image of a training step against batch size and image size,
sinir and PyTorch side by side (LeNet-5 and ResNet-18), as a table and a plot.

    python benchmarks/scaling.py              # writes benchmarks/scaling.png and scaling.md, the table (4 minutes)
    python benchmarks/scaling.py --quick      # fewer sizes and repeats
    python benchmarks/scaling.py --threads 1  # both libraries on one thread

Batch sizes 1 ... 256 at the models' own image size (LeNet-5 28x28, ResNet-18 32x32; ResNet-18
from batch 2, as BatchNorm's training mode needs two values per channel); image sizes 28 ... 224 at batch 8 (LeNet-5 max-pools its last maps to 5x5 for other sizes than 28). Each
point is the median of alternating runs (sinir, PyTorch, sinir, ...) on the same weights and data.
"""
import argparse
import os
import platform
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (the benchmark's helpers: alternate, pair_of_steps, limit_threads)
import torch_models  # noqa: E402
from sinir import models  # noqa: E402

MODELS = {
    "LeNet-5": (lambda: models.lenet5(), torch_models.lenet5, 1, 28),
    "ResNet-18": (lambda: models.resnet18(num_classes=10), lambda: torch_models.ResNet18(10), 3, 32),
}


def time_per_image(name, batch, size, repeats):
    """Median seconds per image of one SGD step, (sinir, PyTorch)."""
    make_ours, make_theirs, channels, _ = MODELS[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, channels, size, size)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    ours, theirs = run.pair_of_steps(make_ours(), make_theirs(), x, y, steps=1)
    o, t = run.alternate(ours, theirs, repeats)
    return o / batch, t / batch


def measure(batches, sizes, repeats):
    """Rows of (model, 'batch' or 'image size', value, sinir s/image, PyTorch s/image)."""
    rows = []
    for name, (_, _, _, own_size) in MODELS.items():
        for batch in [b for b in batches if b > 1 or name != "ResNet-18"]:
            rows.append((name, "batch", batch) + time_per_image(name, batch, own_size, repeats))
            print(*rows[-1][:3], f"sinir {rows[-1][3] * 1e3:.3f} ms/image, PyTorch {rows[-1][4] * 1e3:.3f}", flush=True)
        for size in sizes:
            rows.append((name, "image size", size) + time_per_image(name, 8, size, repeats))
            print(*rows[-1][:3], f"sinir {rows[-1][3] * 1e3:.3f} ms/image, PyTorch {rows[-1][4] * 1e3:.3f}", flush=True)
    return rows


def table(rows):
    lines = ["| model | varied | value | sinir ms/image | PyTorch ms/image | ratio |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for name, axis, value, ours, theirs in rows:
        lines.append(f"| {name} | {axis} | {value} | {ours * 1e3:.3f} | {theirs * 1e3:.3f} | {ours / theirs:.2f} |")
    return "\n".join(lines)


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = {"LeNet-5": "tab:blue", "ResNet-18": "tab:red"}
    for ax, axis, label in ((axes[0], "batch", "batch size (LeNet-5 28x28, ResNet-18 32x32)"),
                            (axes[1], "image size", "image side in pixels (batch 8)")):
        for name in MODELS:
            points = [(v, o, t) for n, a, v, o, t in rows if n == name and a == axis]
            if not points:
                continue
            values, ours, theirs = zip(*points)
            ax.plot(values, np.array(ours) * 1e3, "o-", color=colors[name], label=f"{name}, sinir")
            ax.plot(values, np.array(theirs) * 1e3, "s--", color=colors[name], alpha=0.6, label=f"{name}, PyTorch")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ticks = sorted({v for n, a, v, o, t in rows if a == axis})
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.minorticks_off()
        ax.set_xlabel(label)
        ax.set_ylabel("ms per image (one training step)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_title("Time per image against batch size")
    axes[1].set_title("Time per image against image size")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, help="threads for both libraries (default: as they start)")
    parser.add_argument("--out", default=str(HERE / "scaling.png"))
    args = parser.parse_args()
    run.limit_threads(args.threads)
    batches = [1, 2, 8, 64, 256] if args.quick else [1, 2, 4, 16, 64, 256]
    sizes = [28, 56, 112, 224]
    rows = measure(batches, sizes, 3 if args.quick else 5)
    print(table(rows))
    plot(rows, args.out)
    notes = Path(args.out).with_suffix(".md")
    notes.write_text(report(rows, args))
    print(f"wrote {args.out} and {notes}")


def report(rows, args):
    """The table as a page beside the plot: what ran, where, and how."""
    command = "python benchmarks/scaling.py" + (" --quick" if args.quick else "") + \
        (f" --threads {args.threads}" if args.threads else "")
    return (f"# How the cost grows: sinir and PyTorch\n\nMachine: {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores; NumPy {np.__version__}, PyTorch {run.torch.__version__}. Command: "
            f"`{command}`. Time per image of one SGD training step, medians of alternating runs; "
            f"ratio = sinir / PyTorch.\n\n![time per image]({Path(args.out).name})\n\n{table(rows)}\n")


if __name__ == "__main__":
    main()
