"""DistributedDataParallel on 2 MPI ranks: the same training as one process with the whole batch."""
import json

import numpy as np
import pytest

import sinir
from sinir import nn, optim
from dist_launch import run_worker
from dist_worker import batches, build_model, parameters, synthetic_images, synthetic_vectors, train


@pytest.fixture(autouse=True)
def _float32_after():
    yield
    sinir.set_default_dtype(np.float32)


@pytest.fixture(scope="module")
def one_process_lenet():
    """LeNet-5 in float64 after 20 SGD steps of batch 64 in one process (and after 3 of them, and
    after 3 steps of batch 32: what one rank would reach alone)."""
    x, y = synthetic_images(640)
    results, steps_done = {}, []
    model = build_model("lenet5", seed=0)

    def after_step(epoch, batch):
        steps_done.append((epoch, batch))
        if len(steps_done) == 3:
            results[3] = parameters(model)

    train(model, optim.SGD(model.parameters(), lr=0.05, momentum=0.9), x, y, 64, 1, 0, steps=20,
          on_step=after_step)
    results[64] = parameters(model)
    model = build_model("lenet5", seed=0)
    train(model, optim.SGD(model.parameters(), lr=0.05, momentum=0.9), x, y, 32, 1, 0, steps=3)
    results[32] = parameters(model)
    sinir.set_default_dtype(np.float32)
    return results


@pytest.mark.parametrize("sync, mode", [("native", "post-accumulate hooks"), ("gradient", "gradient hooks"),
                                        ("none", "after backward")])
def test_two_ranks_of_32_train_as_one_process_of_64(tmp_path, one_process_lenet, sync, mode):
    """Ranks start from different weights (seeded by rank): the wrap copies rank 0's. The buckets
    (0.1 MB: several for LeNet-5's 494 kB of float64 gradients) start during backward from the
    gradient hooks, and with post-accumulate hooks (sinir's own) backward also finishes them.
    The worker hides hooks to test the other ways. Each gives the one-process result to 1e-10."""
    run_worker(2, "train", tmp_path, "--sync", sync, "--model", "lenet5", "--steps", "20", "--batch", "32",
               "--bucket-cap-mb", "0.1")
    reference = one_process_lenet[64]
    for rank in range(2):
        found = np.load(tmp_path / f"rank{rank}.npz")
        assert sorted(found.files) == sorted(reference)
        for name, value in reference.items():
            np.testing.assert_allclose(found[name], value, rtol=0, atol=1e-10, err_msg=f"{name} on rank {rank}")
    # the test can fail: one rank's 32 images alone train somewhere else (3 steps suffice to show it)
    assert max(np.abs(one_process_lenet[32][k] - one_process_lenet[3][k]).max() for k in reference) > 1e-4
    report = json.loads((tmp_path / "sync.json").read_text())
    assert report["mode"] == mode
    syncs = report["syncs"]
    assert len(syncs) == 20 and all(s["buckets"] == syncs[0]["buckets"] > 2 for s in syncs)
    started = {"post-accumulate hooks": syncs[0]["buckets"], "gradient hooks": syncs[0]["buckets"],
               "after backward": 0}[mode]
    assert all(s["started_during_backward"] == started for s in syncs)
    assert all(s["finished_during_backward"] == (mode == "post-accumulate hooks") for s in syncs)


def test_no_sync_accumulates_locally_and_the_next_backward_averages_the_sum(tmp_path):
    run_worker(2, "accumulate", tmp_path)
    found = [np.load(tmp_path / f"rank{r}.npz") for r in range(2)]
    x, y = synthetic_vectors(640)
    model = build_model("mlp")
    loss_fn = nn.CrossEntropyLoss()
    for rank in range(2):
        images, labels = next(batches(x, y, 32, 2, rank, epoch=0))
        loss_fn(model(images[:16]), labels[:16]).backward()
        if rank == 0:
            first_half = {name: np.array(np.asarray(p.grad)) for name, p in model.named_parameters()}
        loss_fn(model(images[16:]), labels[16:]).backward()
    for name, p in model.named_parameters():
        # inside no_sync nothing travelled: rank 0 has its own first half's gradient only
        np.testing.assert_allclose(found[0][f"local/{name}"], first_half[name], rtol=1e-12, atol=1e-14)
        assert not np.allclose(found[0][f"local/{name}"], found[1][f"local/{name}"])
        for rank in range(2):   # then the average over ranks of each rank's two half-batch gradients
            np.testing.assert_allclose(found[rank][f"grad/{name}"], np.asarray(p.grad) / 2, rtol=1e-10, atol=1e-13)


def test_outputs_in_a_named_tuple_are_averaged_too(tmp_path):
    run_worker(2, "outputs", tmp_path)
    found = [np.load(tmp_path / f"rank{r}.npz") for r in range(2)]
    names = [k[len("grad/"):] for k in found[0].files if k.startswith("grad/")]
    assert len(names) == 4
    for name in names:
        mean = (found[0][f"local/{name}"] + found[1][f"local/{name}"]) / 2
        assert not np.allclose(found[0][f"local/{name}"], mean)
        for rank in range(2):
            np.testing.assert_allclose(found[rank][f"grad/{name}"], mean, rtol=1e-12, atol=1e-15)


def test_each_training_forward_starts_from_rank_0s_buffers(tmp_path):
    run_worker(2, "buffers", tmp_path)
    for rank in range(2):
        found = np.load(tmp_path / f"rank{rank}.npz")
        # rank 0's 10.0, not this rank's own 10 (rank + 1), updated by this rank's batch (momentum 0.1)
        np.testing.assert_allclose(found["running_mean"], 0.9 * 10.0 + 0.1 * found["batch_mean"], rtol=1e-12)


def test_models_that_differ_between_ranks_are_refused_at_wrap_time(tmp_path):
    result, seconds = run_worker(2, "mismatch", tmp_path, expect_success=False, timeout=60)
    assert result.returncode != 0
    assert ("rank 1's model differs from rank 0's: parameter '0.weight' with shape (5, 4) and dtype float32 "
            "on rank 1, parameter '0.weight' with shape (3, 4)") in result.stderr


def test_buckets_follow_bucket_cap_mb_in_reverse_parameter_order():
    from sinir.nn.parallel.distributed import _make_buckets
    model = nn.Sequential(nn.Linear(100, 100), nn.Linear(100, 100), nn.Linear(100, 10)).double()
    parameters_ = list(model.parameters())      # w0 b0 w1 b1 w2 b2; the weights 80 kB, w2 8 kB
    assert [b.indices for b in _make_buckets(parameters_, int(0.1 * 2 ** 20))] == [[5, 4, 3, 2, 1], [0]]
    assert [b.indices for b in _make_buckets(parameters_, int(0.01 * 2 ** 20))] == [[5, 4, 3], [2], [1], [0]]
    assert [b.indices for b in _make_buckets(parameters_, 25 * 2 ** 20)] == [[5, 4, 3, 2, 1, 0]]
    buckets = _make_buckets(parameters_, int(0.01 * 2 ** 20))
    assert buckets[0].buffer.dtype == np.float64 and buckets[0].buffer.size == 10 + 1000 + 100
    mixed = [nn.Parameter(sinir.Tensor(np.zeros(3), dtype=dtype)) for dtype in (np.float32, np.float64)]
    assert [b.indices for b in _make_buckets(mixed, 2 ** 20)] == [[1], [0]]     # one dtype per bucket
