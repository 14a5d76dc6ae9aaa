"""Peak memory of LeNet-5 training in a fresh process: python benchmarks/rss.py sinir|torch STEPS.
Prints the peak resident set size just after the imports and at the end, in MiB."""
import sys
from pathlib import Path

import numpy as np


def peak_mib():
    """VmHWM, this program's own peak (getrusage's maxrss would include the parent's, kept across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(library, steps):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    if library == "sinir":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        import sinir
        from sinir import models, nn, optim
        baseline = peak_mib()
        model = models.lenet5()
        optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        xs, ys, loss_fn = sinir.tensor(x), sinir.tensor(y), nn.CrossEntropyLoss()
    else:
        import torch
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import torch_models
        baseline = peak_mib()
        model = torch_models.lenet5()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        xs, ys, loss_fn = torch.tensor(x), torch.tensor(y), torch.nn.CrossEntropyLoss()
    for _ in range(steps):
        loss = loss_fn(model(xs), ys)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(baseline, peak_mib())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
