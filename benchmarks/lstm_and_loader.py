"""Two more rows for the benchmarks, sinir against PyTorch on the CPU, printed as a markdown table:

- the mnist_rnn model (LSTM 28 -> 64 over 28 rows, BatchNorm, two Linear layers) training step,
  batch 64, both libraries on the same threads and the same weights;
- a DataLoader whose per-sample transform is expensive (RandomAffine on a 28x28 image, then
  ToTensor and Normalize), one epoch of 2,048 samples in batches of 64: sinir with 2 workers
  against PyTorch's DataLoader with 2 workers on the same dataset, and sinir's speed-up over
  num_workers=0.

    python benchmarks/lstm_and_loader.py [--threads 1] [--repeats 15]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "programs"))

import sinir  # noqa: E402
from sinir.data import DataLoader  # noqa: E402
from sinir.datasets import transforms as T  # noqa: E402
from sinir.nn import functional as F  # noqa: E402
from timing import alternate  # noqa: E402

TARGETS = {"LSTM (mnist_rnn) training step, batch 64": 1.5, "DataLoader, 2 workers, expensive transform": 1.5}


def lstm_row(repeats):
    import mnist_rnn
    ours = mnist_rnn.Net()

    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = torch.nn.LSTM(input_size=28, hidden_size=64, batch_first=True)
            self.batchnorm = torch.nn.BatchNorm1d(64)
            self.dropout1 = torch.nn.Dropout(0.25)
            self.dropout2 = torch.nn.Dropout(0.5)
            self.fc1 = torch.nn.Linear(64, 32)
            self.fc2 = torch.nn.Linear(32, 10)

        def forward(self, x):
            output, _ = self.rnn(x.reshape(-1, 28, 28))
            output = self.dropout1(self.batchnorm(output[:, -1, :]))
            output = self.dropout2(torch.relu(self.fc1(output)))
            return torch.log_softmax(self.fc2(output), dim=1)

    theirs = TorchNet()
    theirs.load_state_dict({k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    xs, ys, xt, yt = sinir.tensor(x), sinir.tensor(y), torch.tensor(x), torch.tensor(y)
    ours_opt = sinir.optim.Adadelta(ours.parameters(), lr=1.0)
    theirs_opt = torch.optim.Adadelta(theirs.parameters(), lr=1.0)

    def ours_step():
        ours_opt.zero_grad()
        F.nll_loss(ours(xs), ys).backward()
        ours_opt.step()

    def theirs_step():
        theirs_opt.zero_grad()
        torch.nn.functional.nll_loss(theirs(xt), yt).backward()
        theirs_opt.step()

    return alternate(ours_step, theirs_step, repeats)


class Digits:
    """2,048 random 28x28 uint8 images with labels; the transform does the expensive work."""

    def __init__(self, transform):
        self.images = np.random.default_rng(0).integers(0, 256, (2048, 28, 28), dtype=np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = self.images[i]
        for _ in range(4):                       # several augmentations: an expensive transform
            image = self.transform(image)
        return T.Normalize((0.1307,), (0.3081,))(T.ToTensor()(image)), int(i % 10)


def loader_rows(repeats):
    transform = T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1))
    dataset = Digits(transform)

    def epoch(loader):
        return lambda: sum(1 for _ in loader)

    serial = DataLoader(dataset, batch_size=64, num_workers=0)
    ours = DataLoader(dataset, batch_size=64, num_workers=2, persistent_workers=True)
    theirs = torch.utils.data.DataLoader(dataset, batch_size=64, num_workers=2, persistent_workers=True,
                                         collate_fn=lambda b: (torch.tensor(np.stack([s[0] for s in b])),
                                                               torch.tensor([s[1] for s in b])))
    ours_time, theirs_time = alternate(epoch(ours), epoch(theirs), repeats, warmup=1)
    serial_time = statistics.median(_timed(epoch(serial)) for _ in range(max(repeats // 2, 1)))
    return ours_time, theirs_time, serial_time


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads (default 1)")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads)
    except ImportError:
        print("threadpoolctl is not installed: NumPy keeps its threads", file=sys.stderr)
    ours, theirs = lstm_row(args.repeats)
    loader_ours, loader_theirs, serial = loader_rows(max(args.repeats // 3, 3))
    rows = [("LSTM (mnist_rnn) training step, batch 64", ours, theirs, ""),
            ("DataLoader, 2 workers, expensive transform", loader_ours, loader_theirs,
             f"sinir 0 workers: {serial * 1000:.0f} ms ({serial / loader_ours:.2f}x slower than 2 workers)")]
    print(f"| benchmark ({args.threads} thread{'s' if args.threads > 1 else ''}) | sinir | PyTorch | "
          "sinir / PyTorch | target | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, a, b, note in rows:
        print(f"| {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {a / b:.2f} | <= {TARGETS[name]} | {note} |")


if __name__ == "__main__":
    main()
