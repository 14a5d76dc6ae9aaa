"""Data-parallel LeNet-5 on this machine: 1 rank with 2 BLAS threads (and with 1) against 2 ranks with 1 each.

    python benchmarks/distributed.py                 # the table (a minute or two)
    python benchmarks/distributed.py --steps 50      # shorter
    python benchmarks/distributed.py --cost-model    # the planning table of docs/distributed.md

Every row trains LeNet-5 (float32, SGD with momentum) on batches of 64 images in all: one rank
takes all 64, each of two ranks 32 of its own (DistributedDataParallel averages the gradients).
Images are random, in MNIST's shape (the speed does not depend on the pixels).
Each row runs as its own ``mpiexec -n N`` job with OMP/OPENBLAS_NUM_THREADS set per rank.

The allreduce columns: "waited" is the time per step that DistributedDataParallel spent waiting for
its all-reduces once the last bucket had started (the communication that backward did not hide;
``model.last_sync["seconds"]``), "blocking" the median time of one blocking all-reduce of all
61,706 gradients (247 kB) between the ranks.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def worker(args):
    import numpy as np

    import sinir
    import sinir.distributed as dist
    from sinir import nn, optim
    from sinir.nn.parallel import DistributedDataParallel
    from mpi4py import MPI

    dist.init_process_group(backend="mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    per_rank = args.batch // world
    sinir.manual_seed(0)
    model = sinir.models.lenet5()
    ddp = DistributedDataParallel(model) if world > 1 else None
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(rank)
    images = rng.standard_normal((per_rank * 16, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, per_rank * 16)
    waited = []

    def step(i):
        part = slice((i % 16) * per_rank, (i % 16 + 1) * per_rank)
        optimizer.zero_grad()
        loss = loss_fn((ddp or model)(sinir.tensor(images[part])), sinir.tensor(labels[part]))
        loss.backward()
        if ddp is not None:
            ddp.finish_gradient_synchronization()
            waited.append(ddp.last_sync["seconds"])
        optimizer.step()

    for i in range(args.warmup):
        step(i)
    dist.barrier()
    waited.clear()
    start = time.perf_counter()
    for i in range(args.steps):
        step(i)
    dist.barrier()
    seconds = time.perf_counter() - start
    blocking = []
    if world > 1:
        gradients = np.ones(model.num_parameters(), dtype=np.float32)
        for _ in range(50):
            dist.barrier()
            begin = time.perf_counter()
            MPI.COMM_WORLD.Allreduce(MPI.IN_PLACE, gradients)
            blocking.append(time.perf_counter() - begin)
    if rank == 0:
        print(json.dumps({"world": world, "images_per_second": args.steps * args.batch / seconds,
                          "step_ms": 1000 * seconds / args.steps,
                          "waited_ms": 1000 * statistics.mean(waited) if waited else None,
                          "blocking_ms": 1000 * statistics.median(blocking) if blocking else None,
                          "sync_mode": ddp.sync_mode if ddp else None,
                          "buckets": len(ddp.buckets) if ddp else None}))


# ----- the cost model of docs/distributed.md ---------------------------------------------------------
MODELS = {"ResNet-18": 11_689_512, "VGG-16": 138_357_544}     # parameters (torchvision's counts)


def ring_allreduce_seconds(nbytes, ranks, bits_per_second, latency=25e-6, bucket_bytes=25 * 2 ** 20):
    """Ring all-reduce of ``nbytes`` over ``ranks`` nodes: a reduce-scatter then an all-gather, each
    ``ranks - 1`` rounds in which every node sends and receives one ``1/ranks`` share of a bucket;
    every round pays ``latency`` once per bucket:
        T = 2 (p - 1) / p * S / B  +  2 (p - 1) * alpha * buckets."""
    if ranks == 1:
        return 0.0
    buckets = max(1, -(-nbytes // bucket_bytes))
    return 2 * (ranks - 1) / ranks * nbytes * 8 / bits_per_second + 2 * (ranks - 1) * latency * buckets


def cost_table():
    lines = ["| model (float32 gradients) | nodes | 10 Gbit/s | 100 Gbit/s |", "| --- | ---: | ---: | ---: |"]
    for name, parameters in MODELS.items():
        nbytes = 4 * parameters
        for nodes in (1, 8, 64, 512):
            times = [ring_allreduce_seconds(nbytes, nodes, gbit * 1e9) for gbit in (10, 100)]
            lines.append(f"| {name} ({nbytes / 1e6:.1f} MB) | {nodes} | "
                         + " | ".join(f"{1000 * t:.0f} ms" if t >= 0.01 or t == 0 else f"{1000 * t:.1f} ms"
                                      for t in times) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64, help="images per step, all ranks together")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each set-up (the median is shown)")
    parser.add_argument("--cost-model", action="store_true",
                        help="print the planning table of docs/distributed.md (ring all-reduce) and stop")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cost_model:
        return print(cost_table())
    if args.worker:
        return worker(args)
    from sinir.distributed.launch import launch
    runs = {(1, 2): [], (1, 1): [], (2, 1): []}
    load_before = os.getloadavg()[0]
    for _ in range(args.rounds):      # alternate the two set-ups, so a busy moment hits both
        for ranks, threads in runs:
            result = launch(ranks, [__file__, "--worker", "--steps", args.steps, "--warmup", args.warmup,
                                    "--batch", args.batch], threads=threads, timeout=900)
            if result.returncode != 0:
                sys.exit(f"{ranks} rank(s) failed:\n{result.stderr}")
            runs[ranks, threads].append(json.loads(result.stdout.strip().splitlines()[-1]))
    rows = []
    for (ranks, threads), results in runs.items():   # the median run by images/s
        results.sort(key=lambda r: r["images_per_second"])
        rows.append((ranks, threads, results[len(results) // 2]))
    base = rows[0][2]["images_per_second"]
    print(f"LeNet-5 training, float32, {args.batch} images per step in all, {args.steps} steps "
          f"(after {args.warmup} warm-up), median of {args.rounds} runs; {os.cpu_count()} cores, "
          f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after\n")
    print("| ranks x BLAS threads | images/s | speed-up | ms per step | allreduce waited per step (ms) "
          "| blocking allreduce of 247 kB (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for ranks, threads, r in rows:
        waited = "-" if r["waited_ms"] is None else f"{r['waited_ms']:.2f}"
        blocking = "-" if r["blocking_ms"] is None else f"{r['blocking_ms']:.3f}"
        print(f"| {ranks} x {threads} | {r['images_per_second']:.0f} | {r['images_per_second'] / base:.2f} "
              f"| {r['step_ms']:.1f} | {waited} | {blocking} |")
    mode = rows[-1][2]
    print(f"\n2 ranks: {mode['buckets']} gradient bucket(s) of at most 25 MB, synchronised by {mode['sync_mode']}.")


if __name__ == "__main__":
    main()
