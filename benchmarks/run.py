"""sinir against PyTorch on the CPU, side by side in one run: medians and the ratio sinir / PyTorch.

    python benchmarks/run.py            # everything, writes benchmarks/RESULTS.md (about 15 minutes)
    python benchmarks/run.py --quick    # fewer repeats and a tenth of an MNIST epoch (about 6 minutes)
    python benchmarks/run.py --only lenet5 --profile   # one group, with cProfile's top functions
    python benchmarks/run.py --only latency --only overhead --threads 1   # several groups, one thread

Groups: mlp, lenet5, resnet18, resnet50, vgg16, vgg16-train, latency (batch 1), overhead (a chain
of 1,000 tiny operations), layers (each convolution and pooling alone, GFLOP/s), memory (peak RSS
of each training benchmark, each library in a fresh process).

The two libraries run alternately (sinir, PyTorch, sinir, ...) on the same model, batch size, data
and thread count, so a slow moment of this noisy machine hits both; each timed call comes after a
pause and, when short, an untimed call, so that each library is timed as if it ran alone with its
threads warm (timing.py says why: OpenBLAS's threads spin for 0.1 s after sinir's products, and
PyTorch timed right after them ran up to 2x slower). PyTorch is a benchmark-only dependency.
MNIST comes from $SINIR_DATA (else ../shared/data/mnist, else random images).
"""
import argparse
import cProfile
import itertools
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import sinir  # noqa: E402
from timing import SETTLE, alternate, calls_per_timing, repeated, timed  # noqa: E402,F401  (scaling.py uses them too)

# the memory benchmark measures sinir alone in a child process: it must not load PyTorch
SINIR_ALONE = sys.argv[1:3] == ["--rss-child", "sinir"]
if not SINIR_ALONE:
    import torch
    import torch_models  # noqa: E402
from sinir import models, nn, optim  # noqa: E402
from sinir.experiment import dataset_transform  # noqa: E402
from sinir.nn import functional as F  # noqa: E402

TARGETS = {"MLP 784-256-128-10 training step (batch 64)": 1.1, "LeNet-5 training epoch (batch 64)": 1.3,
           "ResNet-18 training step (3x32x32, batch 32)": 2.0,
           "VGG-16 forward (224x224, batch 2)": 1.0, "VGG-16 training step (224x224, batch 4)": 1.0,
           "ResNet-50 training step (3x64x64, batch 16)": 1.0, "LeNet-5 inference, one image": 1.0,
           "MLP inference, one image": 1.0, "ResNet-18 inference, one 224x224 image": 1.0,
           "1,000 tiny operations, forward + backward": 1.0, "LSTM (mnist_rnn) training step, batch 64": 1.5}
GROUPS = ["mlp", "lenet5", "resnet18", "resnet50", "vgg16", "vgg16-train", "lstm", "loader", "latency", "overhead",
          "layers", "memory"]


def copy_weights(ours, theirs):
    theirs.load_state_dict({k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()})


def training_step(model, optimizer, x, y, loss_fn):
    def step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return step


def pair_of_steps(ours_model, theirs_model, x, y, steps):
    """`steps` SGD steps of each library on the same batch, as two callables."""
    copy_weights(ours_model, theirs_model)
    ours = training_step(ours_model, optim.SGD(ours_model.parameters(), lr=0.01, momentum=0.9),
                         sinir.tensor(x), sinir.tensor(y), nn.CrossEntropyLoss())
    theirs = training_step(theirs_model, torch.optim.SGD(theirs_model.parameters(), lr=0.01, momentum=0.9),
                           torch.tensor(x), torch.tensor(y), torch.nn.CrossEntropyLoss())
    return (lambda: [ours() for _ in range(steps)]), (lambda: [theirs() for _ in range(steps)])


def inference_pair(ours_model, theirs_model, x):
    copy_weights(ours_model, theirs_model)
    ours_model.eval()
    theirs_model.eval()
    xs, xt = sinir.tensor(x), torch.tensor(x)

    def ours():
        with sinir.no_grad():
            ours_model(xs)

    def theirs():
        with torch.no_grad():
            theirs_model(xt)
    return ours, theirs


def op_chain_pair(length=1000):
    """``length`` tiny operations on a one-number tensor (multiply, add, ...), then backward: what
    each operation costs beyond its arithmetic (the Python around it, the graph, the walk back)."""
    xs, xt = sinir.tensor([0.5], requires_grad=True), torch.tensor([0.5], requires_grad=True)

    def chain(x):
        for _ in range(length // 2):
            x = x * 0.999
            x = x + 0.001
        return x.sum()
    return (lambda: chain(xs).backward()), (lambda: chain(xt).backward())


def training_flops(model, input_shape, batch):
    """Floating-point operations of one training step: forward 2 x multiply-adds, backward twice that."""
    _, totals = sinir.models.summarize(model, input_shape)
    return 3 * 2 * totals["multiply_adds"] * batch


TRAINING = {
    # name: (sinir model, PyTorch model, input shape without batch, batch, steps per timing)
    "mlp": (lambda: models.mlp(), lambda: torch_models.mlp(), (1, 28, 28), 64, 50),
    "lenet5": (lambda: models.lenet5(), lambda: torch_models.lenet5(), (1, 28, 28), 64, 10),
    "resnet18": (lambda: models.resnet18(num_classes=10), lambda: torch_models.ResNet18(10), (3, 32, 32), 32, 1),
    "resnet50": (lambda: models.resnet50(num_classes=10), lambda: torch_models.resnet50(10), (3, 64, 64), 16, 1),
    "vgg16": (lambda: models.vgg16(), lambda: torch_models.vgg16(), (3, 224, 224), 4, 1),
}


def mnist(limit):
    """Normalised MNIST training images (N, 1, 28, 28) float32 and labels, or random ones."""
    folder = os.environ.get("SINIR_DATA") or HERE.parent.parent / "shared" / "data" / "mnist"
    try:
        data = sinir.datasets.MNIST(folder, train=True, download=False,
                                    transform=dataset_transform("mnist"))
        images, labels = data.get_batch(np.arange(len(data)))
    except ValueError:
        rng = np.random.default_rng(0)
        images, labels = rng.standard_normal((60000, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, 60000)
    return images[:limit], labels[:limit].astype(np.int64)


def lenet_epoch_pair(images, labels, chunk=50):
    """One epoch of LeNet-5 (batch 64, shuffled) in each library, from the same normalised arrays.

    Returns ``epochs(repeats)``: the median seconds of an epoch of each library. The two epochs run
    interleaved, ``chunk`` batches of one library, then of the other: this host has slow spells of
    tens of seconds, and a whole epoch of one library could fall in one while the other's did not.
    """
    sinir.manual_seed(0)
    ours_model, theirs_model = models.lenet5(), torch_models.lenet5()
    copy_weights(ours_model, theirs_model)
    ours_opt = optim.SGD(ours_model.parameters(), lr=0.01, momentum=0.9)
    theirs_opt = torch.optim.SGD(theirs_model.parameters(), lr=0.01, momentum=0.9)
    loader = sinir.data.DataLoader(sinir.data.TensorDataset(images, labels), batch_size=64, shuffle=True, seed=0)
    ours_loss, theirs_loss = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    ours_step_of = lambda x, y: training_step(ours_model, ours_opt, x, y, ours_loss)  # noqa: E731
    theirs_step_of = lambda x, y: training_step(theirs_model, theirs_opt, x, y, theirs_loss)  # noqa: E731
    x_all, y_all = torch.tensor(images), torch.tensor(labels)

    def theirs_batches():
        order = torch.randperm(len(x_all))
        for start in range(0, len(x_all), 64):
            index = order[start:start + 64]
            yield x_all[index], y_all[index]

    def timed_chunk(batches, step_of):
        time.sleep(SETTLE)                 # the other library's threads go to sleep first (timing.py)
        start = time.perf_counter()
        for x, y in itertools.islice(batches, chunk):
            step_of(x, y)()
        return time.perf_counter() - start

    def epoch_pair():
        ours_batches, theirs_iter = iter(loader), theirs_batches()
        seconds = [0.0, 0.0]
        for _ in range(0, len(loader), chunk):
            seconds[0] += timed_chunk(ours_batches, ours_step_of)
            seconds[1] += timed_chunk(theirs_iter, theirs_step_of)
        return seconds

    def epochs(repeats):
        pairs = [epoch_pair() for _ in range(repeats)]
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

    def ours():             # for --profile: one epoch of sinir alone
        for x, y in loader:
            ours_step_of(x, y)()
    return epochs, ours


def matmul_peak():
    """NumPy's float32 matrix-product speed on this machine, GFLOP/s (the ceiling for convolutions)."""
    a = np.random.default_rng(0).standard_normal((1024, 1024)).astype(np.float32)
    seconds = min(timed(lambda: a @ a) for _ in range(5))
    return 2 * 1024 ** 3 / seconds / 1e9


LAYERS = [
    # (model, label, layer kind, input shape, options)
    ("LeNet-5", "conv1 1->6 5x5 pad 2", "conv", (64, 1, 28, 28), dict(out=6, k=5, stride=1, pad=2)),
    ("LeNet-5", "conv2 6->16 5x5", "conv", (64, 6, 14, 14), dict(out=16, k=5, stride=1, pad=0)),
    ("LeNet-5", "maxpool 2x2", "maxpool", (64, 6, 28, 28), dict(k=2, stride=2, pad=0)),
    ("ResNet-18", "conv1 3->64 7x7 /2", "conv", (32, 3, 32, 32), dict(out=64, k=7, stride=2, pad=3)),
    ("ResNet-18", "maxpool 3x3 /2 pad 1", "maxpool", (32, 64, 16, 16), dict(k=3, stride=2, pad=1)),
    ("ResNet-18", "layer1 conv 64->64 3x3", "conv", (32, 64, 8, 8), dict(out=64, k=3, stride=1, pad=1)),
    ("ResNet-18", "layer2 conv 64->128 3x3 /2", "conv", (32, 64, 8, 8), dict(out=128, k=3, stride=2, pad=1)),
    ("ResNet-18", "layer2 conv 128->128 3x3", "conv", (32, 128, 4, 4), dict(out=128, k=3, stride=1, pad=1)),
    ("ResNet-18", "layer3 conv 256->256 3x3", "conv", (32, 256, 2, 2), dict(out=256, k=3, stride=1, pad=1)),
    ("ResNet-18", "layer4 conv 512->512 3x3", "conv", (32, 512, 1, 1), dict(out=512, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 3->64 3x3 (224)", "conv", (2, 3, 224, 224), dict(out=64, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 64->64 3x3 (224)", "conv", (2, 64, 224, 224), dict(out=64, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 128->128 3x3 (112)", "conv", (2, 128, 112, 112), dict(out=128, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 256->256 3x3 (56)", "conv", (2, 256, 56, 56), dict(out=256, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 512->512 3x3 (28)", "conv", (2, 512, 28, 28), dict(out=512, k=3, stride=1, pad=1)),
    ("VGG-16", "conv 512->512 3x3 (14)", "conv", (2, 512, 14, 14), dict(out=512, k=3, stride=1, pad=1)),
    ("VGG-16", "maxpool 2x2 (224)", "maxpool", (2, 64, 224, 224), dict(k=2, stride=2, pad=0)),
]


def layer_pair(kind, shape, options, backward):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    xs, xt = sinir.Tensor(x, requires_grad=backward), torch.tensor(x, requires_grad=backward)
    if kind == "conv":
        w = (rng.standard_normal((options["out"], shape[1], options["k"], options["k"])) * 0.05).astype(np.float32)
        ws, wt = sinir.Tensor(w, requires_grad=backward), torch.tensor(w, requires_grad=backward)
        forward_ours = lambda: F.conv2d(xs, ws, None, options["stride"], options["pad"])  # noqa: E731
        forward_theirs = lambda: torch.nn.functional.conv2d(xt, wt, None, options["stride"], options["pad"])  # noqa: E731
    else:
        forward_ours = lambda: F.max_pool2d(xs, options["k"], options["stride"], options["pad"])  # noqa: E731
        forward_theirs = lambda: torch.nn.functional.max_pool2d(xt, options["k"], options["stride"], options["pad"])  # noqa: E731
    if not backward:
        def ours():
            with sinir.no_grad():
                return forward_ours()

        def theirs():
            with torch.no_grad():
                return forward_theirs()
        return ours, theirs, forward_ours
    out_shape = forward_ours().shape
    g = rng.standard_normal(out_shape).astype(np.float32)
    gt = torch.tensor(g)
    return (lambda: forward_ours().backward(g)), (lambda: forward_theirs().backward(gt)), forward_ours


def layer_flops(kind, shape, out_shape, options):
    if kind != "conv":
        return None
    n, c = shape[:2]
    return 2 * np.prod(out_shape) * c * options["k"] ** 2


def peak_rss(library, model, steps):
    """Peak resident memory of a fresh process that trains ``model`` (a key of TRAINING) for
    ``steps`` steps, and of the same process just after its imports (MiB)."""
    out = subprocess.run([sys.executable, __file__, "--rss-child", library, model, str(steps)],
                         capture_output=True, text=True, check=True)
    baseline, peak = map(float, out.stdout.split()[-2:])
    return baseline, peak


def vm_hwm_mib():
    """VmHWM, this process's own peak (getrusage's maxrss would include the parent's, kept across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def rss_child(library, name, steps):
    """The process that ``peak_rss`` starts: imports were done at the top; train, print the peaks."""
    baseline = vm_hwm_mib()
    make_ours, make_theirs, shape, batch, _ = TRAINING[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch,) + shape).astype(np.float32)
    y = rng.integers(0, 10, batch)
    if library == "sinir":
        model = make_ours()
        step = training_step(model, optim.SGD(model.parameters(), lr=0.01, momentum=0.9), sinir.tensor(x),
                             sinir.tensor(y), nn.CrossEntropyLoss())
    else:
        model = make_theirs()
        step = training_step(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), torch.tensor(x),
                             torch.tensor(y), torch.nn.CrossEntropyLoss())
    for _ in range(steps):
        step()
    print(baseline, vm_hwm_mib())


def limit_threads(threads):
    """Run NumPy's BLAS and PyTorch on ``threads`` threads (None: leave both as they are)."""
    if threads is None:
        return
    torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        os.environ["OPENBLAS_NUM_THREADS"] = str(threads)   # only read at NumPy's import: re-run
        print("threadpoolctl is not installed: NumPy keeps its threads", file=sys.stderr)
        return
    threadpool_limits(threads)


def profile(fn, top=15):
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=GROUPS, action="append", help="run this group (repeatable)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions for sinir")
    parser.add_argument("--threads", type=int, help="threads for both libraries (default: as they start)")
    parser.add_argument("--out", help="write the tables here (default: benchmarks/RESULTS.md after a full run; "
                                      "a --quick or --only run writes nothing unless given --out)")
    parser.add_argument("--rss-child", nargs=3, metavar=("LIBRARY", "MODEL", "STEPS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        library, name, steps = args.rss_child
        return rss_child(library, name, int(steps))
    limit_threads(args.threads)
    repeats = 3 if args.quick else 7
    rows, layer_rows = [], []
    run = (lambda group: args.only is None or group in args.only)
    rng = np.random.default_rng(0)
    sinir.manual_seed(0)

    def record(name, ours_s, theirs_s, unit="ms", scale=1e3, flops=None):
        ratio = ours_s / theirs_s
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"<= {target}: {'met' if ratio <= target else 'NOT met'}")
        gflops = "" if flops is None else f"{flops / ours_s / 1e9:.1f}"
        rows.append((name, ours_s * scale, theirs_s * scale, ratio, unit, gflops, verdict))
        print(f"{name:<48} sinir {ours_s * scale:9.2f} {unit}  PyTorch {theirs_s * scale:9.2f} {unit}  "
              f"ratio {ratio:5.2f}  {gflops and gflops + ' GFLOP/s'}  {verdict}", flush=True)

    def training_pair(name):
        make_ours, make_theirs, shape, batch, steps = TRAINING[name]
        x = rng.standard_normal((batch,) + shape).astype(np.float32)
        y = rng.integers(0, 10, batch)
        ours_model = make_ours()
        flops = training_flops(ours_model, shape, batch)
        ours, theirs = pair_of_steps(ours_model, make_theirs(), x, y, steps=steps)
        return ours, theirs, steps, flops

    if run("mlp"):
        ours, theirs, steps, flops = training_pair("mlp")
        o, t = alternate(ours, theirs, repeats)
        record("MLP 784-256-128-10 training step (batch 64)", o / steps, t / steps, flops=flops)
        if args.profile:
            profile(ours)
        ours, theirs = inference_pair(models.mlp(), torch_models.mlp(), rng.standard_normal((1000, 1, 28, 28)).astype(np.float32))
        o, t = alternate(ours, theirs, repeats * 3)
        record("MLP inference (batch 1000)", o, t)

    if run("lenet5"):
        images, labels = mnist(6000 if args.quick else 60000)
        epochs, ours = lenet_epoch_pair(images, labels)
        o, t = epochs(1 if args.quick else 3)
        record("LeNet-5 training epoch (batch 64)" + (" [6,000 images]" if args.quick else ""), o, t, "s", 1,
               flops=training_flops(models.lenet5(), (1, 28, 28), len(images)))
        if args.profile:
            profile(ours)
        batch = images[:1000]
        ours, theirs = inference_pair(models.lenet5(), torch_models.lenet5(), batch)
        o, t = alternate(ours, theirs, repeats * 3)
        rows.append(("LeNet-5 inference throughput (batch 1,000; ratio of times)", len(batch) / o, len(batch) / t,
                     o / t, "images/s", "", ""))
        print(f"{'LeNet-5 inference throughput (batch 1,000)':<48} sinir {len(batch) / o:9.0f} img/s  "
              f"PyTorch {len(batch) / t:9.0f} img/s  ratio {o / t:5.2f} (time)", flush=True)

    if run("resnet18"):
        ours, theirs, _, flops = training_pair("resnet18")
        o, t = alternate(ours, theirs, repeats * 2)
        record("ResNet-18 training step (3x32x32, batch 32)", o, t, flops=flops)
        if args.profile:
            profile(ours)

    if run("resnet50"):
        ours, theirs, _, flops = training_pair("resnet50")
        o, t = alternate(ours, theirs, repeats)
        record("ResNet-50 training step (3x64x64, batch 16)", o, t, flops=flops)
        if args.profile:
            profile(ours)

    if run("vgg16"):
        ours, theirs = inference_pair(models.vgg16(), torch_models.vgg16(),
                                      rng.standard_normal((2, 3, 224, 224)).astype(np.float32))
        o, t = alternate(ours, theirs, max(2, repeats // 2))
        record("VGG-16 forward (224x224, batch 2)", o, t,
               flops=2 * sinir.models.summarize(models.vgg16(), (3, 224, 224))[1]["multiply_adds"] * 2)
        if args.profile:
            profile(ours)

    if run("vgg16-train"):
        ours, theirs, _, flops = training_pair("vgg16")
        o, t = alternate(ours, theirs, max(2, repeats // 2))
        record("VGG-16 training step (224x224, batch 4)", o, t, flops=flops)
        if args.profile:
            profile(ours)
        del ours, theirs

    if run("lstm") or run("loader"):
        import lstm_and_loader                       # benchmarks/lstm_and_loader.py: the recurrent and data rows
    if run("lstm"):
        o, t = lstm_and_loader.lstm_row(repeats * 2)
        record("LSTM (mnist_rnn) training step, batch 64", o, t)
    if run("loader"):
        o, t, serial = lstm_and_loader.loader_rows(max(repeats // 2, 2))
        record("DataLoader, 2 workers, expensive transform (epoch of 2,048)", o, t)
        print(f"  sinir's DataLoader: 2 workers take {o / serial:.2f}x the time of 0 workers ({o:.2f} s vs {serial:.2f} s)")

    if run("latency"):
        one = rng.standard_normal((1, 1, 28, 28)).astype(np.float32)
        for name, ours_model, theirs_model, x, times in (
                ("LeNet-5 inference, one image", models.lenet5(), torch_models.lenet5(), one, 50),
                ("MLP inference, one image", models.mlp(), torch_models.mlp(), one, 50),
                ("ResNet-18 inference, one 224x224 image", models.resnet18(num_classes=10),
                 torch_models.ResNet18(10), rng.standard_normal((1, 3, 224, 224)).astype(np.float32), 1)):
            ours, theirs = inference_pair(ours_model, theirs_model, x)
            o, t = alternate(repeated(ours, times), repeated(theirs, times), repeats * 3)
            record(name, o / times, t / times)
            if args.profile:
                profile(repeated(ours, times))

    if run("overhead"):
        ours, theirs = op_chain_pair(1000)
        o, t = alternate(ours, theirs, repeats * 3)
        record("1,000 tiny operations, forward + backward", o, t)
        record("the same, per operation", o / 1000, t / 1000, "us", 1e6)
        if args.profile:
            profile(ours, top=25)

    if run("layers"):
        peak = matmul_peak()
        print(f"NumPy float32 matrix product peak: {peak:.1f} GFLOP/s", flush=True)
        for model_name, label, kind, shape, options in LAYERS:
            for backward in (False, True):
                ours, theirs, forward = layer_pair(kind, shape, options, backward)
                with sinir.no_grad():
                    out_shape = forward().shape
                times = calls_per_timing(ours)
                o, t = alternate(repeated(ours, times), repeated(theirs, times), repeats)
                o, t = o / times, t / times
                flops = layer_flops(kind, shape, out_shape, options)
                flops = None if flops is None else flops * (3 if backward else 1)
                gflops = (lambda s: "" if flops is None else f"{flops / s / 1e9:.1f}")
                layer_rows.append((model_name, label, "fwd+bwd" if backward else "fwd", o * 1e3, t * 1e3, o / t,
                                   gflops(o), gflops(t)))
                print(f"  {model_name:<9} {label:<28} {'fwd+bwd' if backward else 'fwd':<7} sinir {o * 1e3:8.2f} ms "
                      f"({gflops(o) or '-':>5} GFLOP/s)  PyTorch {t * 1e3:8.2f} ms  ratio {o / t:5.2f}", flush=True)
        layer_peak = peak
    else:
        layer_peak = None

    if run("memory"):
        for name, label, steps in (("lenet5", "LeNet-5", 30 if args.quick else 100), ("mlp", "MLP", 30),
                                   ("resnet18", "ResNet-18", 3), ("resnet50", "ResNet-50", 2),
                                   ("vgg16", "VGG-16 (224, batch 4)", 2)):
            ours_base, ours_peak = peak_rss("sinir", name, steps)
            theirs_base, theirs_peak = peak_rss("torch", name, steps)
            ratio = ours_peak / theirs_peak
            rows.append((f"{label} training peak RSS", ours_peak, theirs_peak, ratio, "MiB", "",
                         f"<= 1.0: {'met' if ratio <= 1.0 else 'NOT met'}"))
            rows.append((f"{label} training memory above imports", ours_peak - ours_base, theirs_peak - theirs_base,
                         (ours_peak - ours_base) / max(theirs_peak - theirs_base, 1e-9), "MiB", "", ""))
            print(f"{label} peak RSS: sinir {ours_peak:.0f} MiB (imports {ours_base:.0f}), PyTorch {theirs_peak:.0f} "
                  f"MiB (imports {theirs_base:.0f})", flush=True)

    out = args.out or (None if args.quick or args.only else HERE / "RESULTS.md")
    if out is not None:
        write_results(Path(out), rows, layer_rows, layer_peak, args)


def write_results(path, rows, layer_rows, peak, args):
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = ["# sinir vs PyTorch (CPU)", "",
             f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, NumPy {np.__version__}, "
             f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads), sinir {sinir.__version__}. "
             f"Command: `python benchmarks/run.py{' --quick' if args.quick else ''}"
             f"{''.join(' --only ' + group for group in args.only or [])}"
             f"{f' --threads {args.threads}' if args.threads else ''}`. Medians of alternating runs; "
             "ratio = sinir / PyTorch (time or memory; lower is better). GFLOP/s: sinir's arithmetic rate "
             "(a training step counted as 3 forward passes).", "",
             "| benchmark | sinir | PyTorch | unit | ratio | sinir GFLOP/s | target |",
             "| --- | ---: | ---: | --- | ---: | ---: | --- |"]
    for name, ours, theirs, ratio, unit, gflops, verdict in rows:
        lines.append(f"| {name} | {ours:.2f} | {theirs:.2f} | {unit} | {ratio:.2f} | {gflops} | {verdict} |")
    if layer_rows:
        lines += ["", f"Layers alone (NumPy float32 matrix-product peak on this machine: {peak:.1f} GFLOP/s):", "",
                  "| model | layer | pass | sinir ms | PyTorch ms | ratio | sinir GFLOP/s | PyTorch GFLOP/s |",
                  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in layer_rows:
            lines.append("| {} | {} | {} | {:.2f} | {:.2f} | {:.2f} | {} | {} |".format(*row))
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
