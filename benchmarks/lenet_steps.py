"""LeNet-5 training steps on real MNIST, sinir alone (no PyTorch in the loop), for A/B runs across commits.

    python benchmarks/lenet_steps.py                  # this checkout
    git worktree add /tmp/old REV && (cd /tmp/old && python benchmarks/lenet_steps.py)   # another commit

Run the two alternately a few times on an idle machine and compare medians: this separates sinir's own
per-step time from the alternating harness of run.py (whose LeNet-5 epoch row differed from these
numbers in the 0.2.0 session; see its closing note).
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's sinir, not an installed one
import sinir  # noqa: E402
from sinir import models, nn, optim  # noqa: E402

STEPS = 150


def main():
    folder = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    data = sinir.datasets.MNIST(folder if folder.exists() else None, train=True, download=False)
    images, labels = data.get_batch(np.arange(64 * STEPS))
    images = np.asarray(images, dtype=np.float32)
    if images.max() > 1:                                   # uint8 pixels: into [0, 1] first
        images /= 255
    images = ((images - 0.1307) / 0.3081).reshape(-1, 1, 28, 28)
    loader = sinir.data.DataLoader(sinir.data.TensorDataset(images, np.asarray(labels).astype(np.int64)),
                                   batch_size=64, shuffle=True, seed=0)
    sinir.manual_seed(0)
    model, loss_fn = models.lenet5(), nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def epoch():
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()

    epoch()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    print(f"{sinir.__file__}: {STEPS} LeNet-5 steps (batch 64), median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
