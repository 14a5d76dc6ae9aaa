"""One model's training step in sinir alone, split into forward, backward and the optimizer step.

    python benchmarks/phases.py vgg16            # 4 steps; the first ones warm up
    python benchmarks/phases.py resnet50 --steps 6

No PyTorch in the process: this separates sinir's own time (and where it goes) from run.py's
alternating harness, and counts the page faults of each phase (memory the kernel had to hand out
fresh: see sinir/allocator.py). Models and batches are run.py's TRAINING table.
"""
import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's sinir
import sinir  # noqa: E402
from sinir import models, nn, optim  # noqa: E402

MODELS = {
    # name: (model, input shape without batch, batch), as benchmarks/run.py's TRAINING
    "mlp": (lambda: models.mlp(), (1, 28, 28), 64),
    "lenet5": (lambda: models.lenet5(), (1, 28, 28), 64),
    "resnet18": (lambda: models.resnet18(num_classes=10), (3, 32, 32), 32),
    "resnet50": (lambda: models.resnet50(num_classes=10), (3, 64, 64), 16),
    "vgg16": (lambda: models.vgg16(), (3, 224, 224), 4),
}


def page_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=MODELS)
    parser.add_argument("--steps", type=int, default=4)
    args = parser.parse_args()
    make, shape, batch = MODELS[args.model]
    rng = np.random.default_rng(0)
    sinir.manual_seed(0)
    model = make()
    x = sinir.tensor(rng.standard_normal((batch,) + shape).astype(np.float32))
    y = sinir.tensor(rng.integers(0, 10, batch))
    optimizer, loss_fn = optim.SGD(model.parameters(), lr=0.01, momentum=0.9), nn.CrossEntropyLoss()
    for step in range(1, args.steps + 1):
        times, faults = [time.perf_counter()], [page_faults()]
        loss = loss_fn(model(x), y)
        times.append(time.perf_counter()), faults.append(page_faults())
        optimizer.zero_grad()
        loss.backward()
        times.append(time.perf_counter()), faults.append(page_faults())
        optimizer.step()
        times.append(time.perf_counter()), faults.append(page_faults())
        seconds, counts = np.diff(times) * 1e3, np.diff(faults)
        print(f"{args.model} step {step}: forward {seconds[0]:.1f} ms, backward {seconds[1]:.1f} ms, "
              f"optimizer {seconds[2]:.1f} ms, total {seconds.sum():.1f} ms; page faults {counts[0]} / "
              f"{counts[1]} / {counts[2]}", flush=True)


if __name__ == "__main__":
    main()
