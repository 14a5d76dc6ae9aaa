"""The rank side of the distributed tests: ``mpiexec -n 2 python dist_worker.py SCENARIO OUT [options]``.

Each scenario runs on every rank and writes what it found to OUT/rank<r>.npz (or prints), for
the test in this folder to compare with NumPy or with one process doing the same work. The
training helpers are shared with the tests, which use them for the single-process reference.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import sinir
from sinir import checkpoint, nn, optim


# ----- shared with the tests: the same training, on one rank or on many --------------------------

def synthetic_images(n, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 1, 28, 28)), rng.integers(0, 10, n)


def synthetic_vectors(n, seed=2):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 16))
    return x, (x[:, :4].sum(axis=1) > 0).astype(np.int64) + 2 * (x[:, 4] > 0)


def build_model(kind, seed=0):
    sinir.set_default_dtype(np.float64)
    sinir.manual_seed(seed)
    if kind == "lenet5":
        return sinir.models.lenet5()
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))


def batches(x, y, per_rank_batch, num_replicas, rank, epoch, seed=0):
    """This rank's batches of ``epoch``: a DistributedSampler's share, cut into per-rank batches."""
    from sinir.distributed import DistributedSampler
    sampler = DistributedSampler(x, num_replicas=num_replicas, rank=rank, shuffle=True, seed=seed, drop_last=True)
    sampler.set_epoch(epoch)
    indices = np.array(list(sampler))
    for start in range(0, len(indices) - per_rank_batch + 1, per_rank_batch):
        part = indices[start:start + per_rank_batch]
        yield sinir.Tensor(x[part], dtype=np.float64), sinir.Tensor(y[part])


def train(model, optimizer, x, y, per_rank_batch, num_replicas, rank, steps=None, epochs=None, start_epoch=0,
          ddp=None, on_epoch_end=None, on_step=None):
    """SGD over the rank's batches; ``ddp`` (the wrapped model) is finished after each backward."""
    loss_fn, step = nn.CrossEntropyLoss(), 0
    epoch = start_epoch
    while (steps is None or step < steps) and (epochs is None or epoch < epochs):
        for batch, (images, labels) in enumerate(batches(x, y, per_rank_batch, num_replicas, rank, epoch)):
            optimizer.zero_grad()
            loss = loss_fn((ddp or model)(images), labels)
            loss.backward()
            if ddp is not None:
                ddp.finish_gradient_synchronization()
            optimizer.step()
            step += 1
            if on_step is not None:
                on_step(epoch, batch)
            if steps is not None and step == steps:
                break
        if on_epoch_end is not None:
            on_epoch_end(epoch)
        epoch += 1
    return model


def parameters(model):
    return {name: np.array(p.detach().numpy()) for name, p in model.named_parameters()}


# ----- hooks for the sync modes ----------------------------------------------------------------------

def install_hooks(kind):
    """Choose which of sinir's gradient hooks DistributedDataParallel finds, to test each of its
    ways: 'native' (whatever this build has), 'gradient' (register_hook only: buckets start during
    backward, finish waits) or 'none' (no hooks: every bucket starts in finish)."""
    from sinir.nn import Parameter
    hidden = {"native": (), "gradient": ("register_post_accumulate_grad_hook",),
              "none": ("register_post_accumulate_grad_hook", "register_hook")}[kind]

    def missing(self):
        raise AttributeError("hidden by the test")

    for name in hidden:
        setattr(Parameter, name, property(missing))


# ----- scenarios ------------------------------------------------------------------------------------

def scenario_collectives(dist, rank, world, out, args):
    from sinir.distributed import ReduceOp
    found = {}
    for dtype in (np.float32, np.float64, np.int64):
        mine = (np.random.default_rng(rank).standard_normal((3, 4)) * 10).astype(dtype)
        for op in ("SUM", "MAX", "MIN", "PRODUCT") + (("AVG",) if dtype != np.int64 else ()):
            t = sinir.Tensor(mine.copy(), dtype=dtype)
            dist.all_reduce(t, op=getattr(ReduceOp, op))
            found[f"all_reduce_{op}_{np.dtype(dtype).name}"] = t.numpy()
        t = sinir.Tensor(mine.copy(), dtype=dtype)
        work = dist.all_reduce(t, async_op=True)
        work.wait()
        found[f"async_all_reduce_{np.dtype(dtype).name}"] = t.numpy()
        t = sinir.Tensor(mine.copy(), dtype=dtype)
        dist.reduce(t, dst=1)
        found[f"reduce_{np.dtype(dtype).name}"] = t.numpy()
        t = sinir.Tensor(mine.copy(), dtype=dtype)
        dist.broadcast(t, src=1)
        found[f"broadcast_{np.dtype(dtype).name}"] = t.numpy()
        gathered = [sinir.Tensor(np.zeros((3, 4), dtype=dtype), dtype=dtype) for _ in range(world)]
        dist.all_gather(gathered, sinir.Tensor(mine, dtype=dtype))
        found[f"all_gather_{np.dtype(dtype).name}"] = np.stack([g.numpy() for g in gathered])
    # a transposed (non-contiguous) tensor is reduced in place all the same
    base = np.random.default_rng(rank).standard_normal((4, 3))
    t = sinir.Tensor(base, dtype=np.float64).transpose(1, 0)
    dist.all_reduce(t)
    found["all_reduce_transposed"] = np.array(t.numpy())
    objects = [None] * world
    dist.all_gather_object(objects, {"rank": rank})
    found["all_gather_object"] = np.array([o["rank"] for o in objects])
    listed = [f"from {rank}", rank]
    dist.broadcast_object_list(listed, src=1)
    found["broadcast_object_list"] = np.array([listed[1]])
    np.savez(out / f"rank{rank}.npz", **found)


def scenario_train(dist, rank, world, out, args):
    """The model (different seeds on each rank: the wrap must copy rank 0's) trained with DDP."""
    from sinir.nn.parallel import DistributedDataParallel
    install_hooks(args.sync)
    model = build_model(args.model, seed=rank)
    ddp = DistributedDataParallel(model, bucket_cap_mb=args.bucket_cap_mb)
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = synthetic_images(640) if args.model == "lenet5" else synthetic_vectors(640)
    syncs = []
    train(model, optimizer, x, y, args.batch, world, rank, steps=args.steps, ddp=ddp,
          on_step=lambda epoch, batch: syncs.append(dict(ddp.last_sync)))
    np.savez(out / f"rank{rank}.npz", **parameters(model))
    if rank == 0:
        (out / "sync.json").write_text(json.dumps({"mode": ddp.sync_mode, "syncs": syncs}))


def scenario_accumulate(dist, rank, world, out, args):
    """no_sync: two half batches, the first one's backward inside no_sync(), then one step."""
    from sinir.nn.parallel import DistributedDataParallel
    install_hooks(args.sync)
    model = build_model("mlp")
    ddp = DistributedDataParallel(model)
    x, y = synthetic_vectors(640)
    images, labels = next(batches(x, y, 32, world, rank, epoch=0))
    loss_fn = nn.CrossEntropyLoss()
    with ddp.no_sync():
        loss_fn(ddp(images[:16]), labels[:16]).backward()
    local = {name: np.array(np.asarray(p.grad)) for name, p in model.named_parameters()}
    loss_fn(ddp(images[16:]), labels[16:]).backward()
    ddp.finish_gradient_synchronization()
    np.savez(out / f"rank{rank}.npz", **{f"local/{k}": v for k, v in local.items()},
             **{f"grad/{name}": np.asarray(p.grad) for name, p in model.named_parameters()})


def scenario_outputs(dist, rank, world, out, args):
    """A model whose forward returns a named tuple: its gradients are averaged all the same."""
    import collections
    from sinir.nn.parallel import DistributedDataParallel
    Output = collections.namedtuple("Output", ["logits", "hidden"])

    class TwoOutputs(nn.Module):
        def __init__(self):
            super().__init__()
            self.body, self.head = nn.Linear(16, 8), nn.Linear(8, 4)

        def forward(self, x):
            hidden = self.body(x).relu()
            return Output(self.head(hidden), hidden)

    sinir.set_default_dtype(np.float64)
    sinir.manual_seed(0)
    model = TwoOutputs()
    ddp = DistributedDataParallel(model)
    x, y = synthetic_vectors(64)
    images, labels = sinir.Tensor(x[rank::world]), sinir.Tensor(y[rank::world])

    def loss_of(output):
        assert isinstance(output, Output)
        return nn.CrossEntropyLoss()(output.logits, labels) + (output.hidden ** 2).mean()

    with ddp.no_sync():
        loss_of(ddp(images)).backward()
    local = {name: np.array(np.asarray(p.grad)) for name, p in model.named_parameters()}
    ddp.zero_grad()
    loss_of(ddp(images)).backward()
    ddp.finish_gradient_synchronization()
    np.savez(out / f"rank{rank}.npz", **{f"local/{k}": v for k, v in local.items()},
             **{f"grad/{name}": np.asarray(p.grad) for name, p in model.named_parameters()},
             finished_in_backward=np.array(ddp.last_sync["finished_during_backward"]))


def scenario_buffers(dist, rank, world, out, args):
    """broadcast_buffers: each training forward starts from rank 0's running statistics."""
    from sinir.nn.parallel import DistributedDataParallel
    sinir.set_default_dtype(np.float64)
    model = nn.Sequential(nn.Linear(16, 4), nn.BatchNorm1d(4))
    ddp = DistributedDataParallel(model)
    bn = model[1]
    np.asarray(bn.running_mean)[...] = 10.0 * (rank + 1)      # the ranks' statistics drift apart
    x, _ = synthetic_vectors(64)
    images = sinir.Tensor(x[rank::world])
    ddp(images).sum().backward()
    ddp.finish_gradient_synchronization()
    with sinir.no_grad():
        batch_mean = model[0](images).numpy().mean(axis=0)
    np.savez(out / f"rank{rank}.npz", running_mean=np.asarray(bn.running_mean), batch_mean=batch_mean)


def scenario_mismatch(dist, rank, world, out, args):
    from sinir.nn.parallel import DistributedDataParallel
    DistributedDataParallel(nn.Sequential(nn.Linear(4, 3 if rank == 0 else 5)))


def scenario_syncbn(dist, rank, world, out, args):
    """Each rank normalises its half of one batch; the statistics must be the whole batch's."""
    from sinir.distributed import SyncBatchNorm
    sinir.set_default_dtype(np.float64)
    rng = np.random.default_rng(5)
    x_all, weights_all = rng.standard_normal((8, 3, 4, 4)) * 3 + 2, rng.standard_normal((8, 3, 4, 4))
    part = slice(4 * rank, 4 * rank + 4)
    model = SyncBatchNorm.convert_sync_batchnorm(nn.Sequential(nn.BatchNorm2d(3)))
    bn = model[0]
    with sinir.no_grad():
        bn.weight[...] = np.array([1.5, 0.5, -1.0])
        bn.bias[...] = np.array([0.1, 0.2, 0.3])
    x = sinir.Tensor(x_all[part], requires_grad=True, dtype=np.float64)
    y = model(x)
    (y * sinir.Tensor(weights_all[part], dtype=np.float64)).sum().backward()
    model.eval()
    y_eval = model(sinir.Tensor(x_all[part], dtype=np.float64))
    np.savez(out / f"rank{rank}.npz", type=np.array(type(bn).__name__), y=y.numpy(), grad_x=np.asarray(x.grad),
             grad_weight=np.asarray(bn.weight.grad), grad_bias=np.asarray(bn.bias.grad),
             running_mean=np.asarray(bn.running_mean), running_var=np.asarray(bn.running_var), y_eval=y_eval.numpy())


def scenario_fail(dist, rank, world, out, args):
    """Rank 1 raises while rank 0 waits in an all-reduce that rank 1 never joins."""
    dist.barrier()
    if rank == 1:
        time.sleep(0.2)
        raise RuntimeError("deliberate failure on rank 1")
    dist.all_reduce(sinir.ones(3))
    time.sleep(120)


def scenario_abort(dist, rank, world, out, args):
    """Rank 1 stops the job on its own, with exit status 2 (a user's mistake seen by one rank)."""
    if rank == 1:
        dist.abort("--data: no such folder on this node", code=2)
    dist.all_reduce(sinir.ones(3))
    time.sleep(120)


def scenario_checkpoint(dist, rank, world, out, args):
    """Train the MLP for ``--epochs`` with a checkpoint after each epoch on rank 0 (atomic, as
    ``sinir train`` writes them); ``--fail-at E`` makes rank 1 raise in the middle of epoch E;
    ``--resume`` starts from a checkpoint written at any world size."""
    from sinir.nn.parallel import DistributedDataParallel
    model = build_model("mlp", seed=rank)
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    start_epoch = 0
    if args.resume:
        model_state, optimizer_state, meta = checkpoint.load(args.resume, model)
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optimizer_state)
        start_epoch = meta["epoch"] + 1
    ddp = DistributedDataParallel(model)
    x, y = synthetic_vectors(640)

    def save(epoch):
        if rank == 0:
            checkpoint.save(out / "last.safetensors", model, {"model": "mlp", "epoch": epoch, "world_size": world},
                            optimizer)

    def maybe_fail(epoch, batch):
        if epoch == args.fail_at and batch == 2 and rank == world - 1:
            raise RuntimeError(f"killed in epoch {epoch}")

    train(model, optimizer, x, y, args.batch, world, rank, epochs=args.epochs, start_epoch=start_epoch,
          ddp=ddp, on_epoch_end=save, on_step=maybe_fail)
    if rank == 0:
        np.savez(out / "final.npz", **parameters(model))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("out", type=Path)
    parser.add_argument("--sync", default="native", choices=("native", "gradient", "none"))
    parser.add_argument("--model", default="lenet5")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--bucket-cap-mb", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--fail-at", type=int, default=None)
    parser.add_argument("--resume", default=None)
    args = parser.parse_args()
    import sinir.distributed as dist
    dist.init_process_group(backend="mpi")
    args.out.mkdir(parents=True, exist_ok=True)
    globals()[f"scenario_{args.scenario}"](dist, dist.get_rank(), dist.get_world_size(), args.out, args)
    dist.barrier()


if __name__ == "__main__":
    sys.exit(main())
