"""Build sinir/datasets/mnist_sample.npz: a small, class-balanced, real sample of MNIST.

600 training images of each digit (6,000) and 100 test images of each (1,000), drawn with a fixed
seed from the full set, so that `sinir train` works on a machine with no network and no data.

    python scripts/make_mnist_sample.py ../shared/data/mnist
"""
import sys
from pathlib import Path

import numpy as np

from sinir.datasets import MNIST

PER_CLASS = {"train": 600, "test": 100}


def balanced_indices(labels, per_class, rng):
    chosen = [rng.choice(np.flatnonzero(labels == digit), per_class, replace=False) for digit in range(10)]
    return np.sort(np.concatenate(chosen))


def main(folder):
    rng = np.random.default_rng(2026)
    arrays = {}
    for split in ("train", "test"):
        dataset = MNIST(folder, train=split == "train", download=False)
        if dataset.is_sample:
            raise SystemExit(f"{folder}: the full MNIST is needed to draw the sample")
        indices = balanced_indices(dataset.targets, PER_CLASS[split], rng)
        arrays[f"{split}_images"] = dataset.data[indices]
        arrays[f"{split}_labels"] = dataset.targets[indices].astype(np.uint8)
    output = Path(__file__).resolve().parents[1] / "sinir" / "datasets" / "mnist_sample.npz"
    np.savez_compressed(output, **arrays)
    print(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mnist")
