"""``sinir train --distributed`` under mpiexec: one rank speaks and writes, the ranks train as one
process with the same global batch, a killed run resumes at another world size, and a mistake
ends every rank with exit code 2 and one line."""
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sinir import checkpoint
from tests.conftest import mnist_dir

pytest.importorskip("mpi4py", reason="the distributed tests need pip install 'sinir[mpi]'")
DATA = mnist_dir()
pytestmark = pytest.mark.skipif(DATA is None, reason="the full MNIST is not at $SINIR_DATA or ../shared/data/mnist")

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "dist_cli_worker.py"
# 512 images, 8 steps of a global batch of 64 per epoch: SGD with momentum, no schedule, float32
RUN = ["--model", "mlp", "--limit-train", "512", "--val-size", "256", "--optimizer", "sgd", "--scheduler", "none",
       "--progress", "lines"]


def sinir_ranks(*segments, timeout=60):
    """Run ``mpiexec`` with MPMD segments, each (working folder, worker arguments) for one rank;
    returns (CompletedProcess, seconds). One BLAS thread per rank."""
    from sinir.distributed.launch import find_mpiexec
    command = [find_mpiexec()]
    for index, (folder, arguments) in enumerate(segments):
        command += ([":"] if index else []) + ["-n", "1", "-wdir", str(folder), sys.executable, str(WORKER),
                                               *map(str, arguments)]
    return _run(command, timeout)


def sinir_alone(folder, arguments, timeout=60):
    """One process, no launcher (MPI's world of 1)."""
    return _run([sys.executable, str(WORKER), *map(str, arguments)], timeout, cwd=folder)


def _run(command, timeout, cwd=None):
    from sinir.distributed.launch import rank_environment
    environment = rank_environment(1)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environment, cwd=cwd)
    return result, time.perf_counter() - start


def weights(path):
    from safetensors.numpy import load_file
    return load_file(str(path))


def assert_same_training(found, expected, what):
    """Equal up to float32 rounding: the ranks sum the same 64 images' gradients in another order."""
    assert sorted(found) == sorted(expected)
    for name in expected:
        np.testing.assert_allclose(found[name], expected[name], rtol=0, atol=2e-6, err_msg=f"{name}: {what}")


@pytest.fixture(scope="module")
def two_rank_run(tmp_path_factory):
    """2 epochs on 2 ranks (32 images each per step), rank 1 working in a folder of its own."""
    base = tmp_path_factory.mktemp("two_ranks")
    (base / "rank0").mkdir(), (base / "rank1").mkdir()
    arguments = ["train", "--distributed", *RUN, "--epochs", "2", "--data", DATA, "--out", "run"]
    result, seconds = sinir_ranks((base / "rank0", arguments), (base / "rank1", arguments))
    assert result.returncode == 0, result.stderr[-3000:]
    return base, result


def test_rank_0_alone_logs_shows_progress_and_writes_checkpoints(two_rank_run):
    base, result = two_rank_run
    # --out run is relative: had rank 1 written anything, it would be in its own working folder
    assert sorted(p.name for p in (base / "rank0" / "run").iterdir()) == ["best.safetensors", "last.safetensors"]
    assert list((base / "rank1").iterdir()) == []
    log = result.stderr.splitlines()
    for line in ("per-rank batch 32 (--batch-size / ranks) x 2 ranks = global batch 64",
                 "distributed: 2 rank(s); BLAS threads per rank as the environment sets them (OMP_NUM_THREADS=1, "
                 "OPENBLAS_NUM_THREADS=1, MKL_NUM_THREADS=1)"):
        assert log.count(line) == 1, result.stderr
    for epoch in (1, 2):
        assert sum(line.startswith(f"epoch {epoch}/2  100%") for line in log) == 1
        assert sum(line.startswith(f"epoch {epoch}/2: loss") for line in log) == 1
    assert result.stdout.count("test accuracy:") == 1
    _, _, meta = checkpoint.load(base / "rank0" / "run" / "last.safetensors")
    assert meta["distributed"] == {"world_size": 2, "per_rank_batch": 32} and meta["epoch"] == 2
    assert meta["config"]["batch_size"] == 64


def test_two_ranks_train_as_one_process_with_the_same_global_batch(two_rank_run, tmp_path):
    base, two = two_rank_run
    result, _ = sinir_alone(tmp_path, ["train", "--distributed", *RUN, "--epochs", "2", "--data", DATA,
                                       "--out", tmp_path / "one"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "per-rank batch 64 (--batch-size / ranks) x 1 ranks = global batch 64" in result.stderr
    two_ranks, one = weights(base / "rank0" / "run" / "last.safetensors"), weights(tmp_path / "one" / "last.safetensors")
    assert_same_training(two_ranks, one, "2 ranks x 32 against 1 process x 64")
    # the weights moved far more than the tolerance: the comparison can fail
    _, _, meta = checkpoint.load(tmp_path / "one" / "last.safetensors")
    assert meta["history"][-1]["loss"] < meta["history"][0]["loss"] - 0.5
    _, _, meta2 = checkpoint.load(base / "rank0" / "run" / "last.safetensors")
    for mine, theirs in zip(meta2["history"], meta["history"]):   # sharded, summed metrics: the whole set's
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert mine[key] == pytest.approx(theirs[key], abs=1e-5), key


def test_a_run_killed_mid_epoch_resumes_on_another_world_size(two_rank_run, tmp_path):
    base, _ = two_rank_run
    (tmp_path / "rank0").mkdir(), (tmp_path / "rank1").mkdir()
    arguments = ["--kill-at", "2", "3", "train", "--distributed", *RUN, "--epochs", "2", "--data", DATA,
                 "--out", tmp_path / "killed"]
    killed, _ = sinir_ranks((tmp_path / "rank0", arguments), (tmp_path / "rank1", arguments))
    assert killed.returncode != 0 and "killing rank 0 in epoch 2" in killed.stderr
    _, _, meta = checkpoint.load(tmp_path / "killed" / "last.safetensors")
    assert meta["epoch"] == 1                       # epoch 1 was complete, epoch 2 was not
    # one process continues the 2-rank run (the global batch is the checkpoint's 64): as if never killed
    resumed, _ = sinir_alone(tmp_path, ["train", "--distributed", "--resume", tmp_path / "killed" / "last.safetensors",
                                        "--progress", "none"])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming mlp after epoch 1" in resumed.stderr
    assert_same_training(weights(tmp_path / "killed" / "last.safetensors"),
                         weights(base / "rank0" / "run" / "last.safetensors"), "killed on 2 ranks, resumed on 1")


@pytest.mark.parametrize("rank1_extra, message", [
    ([], "sinir train: error: --batch-size 63 does not divide among 2 ranks: give a multiple of 2, "
         "or --per-rank-batch"),
    (["--data", "/nonexistent/mnist"], "sinir train: error: rank 1 of 2: "),
    (["--lr", "-1"], "sinir train: error: argument --lr: must be positive, got -1"),
])
def test_a_mistake_ends_every_rank_with_exit_code_2_and_one_line(tmp_path, rank1_extra, message):
    """The same mistake on both ranks, one only rank 1 meets (its data folder), and one argparse
    refuses before MPI starts: every rank exits 2, rank 0 alone says it, nobody waits."""
    arguments = ["train", "--distributed", *RUN, "--epochs", "1", "--out", tmp_path / "run", "--data", DATA]
    if not rank1_extra:
        arguments += ["--batch-size", "63"]
    if rank1_extra[:1] == ["--lr"]:
        arguments += rank1_extra
    result, seconds = sinir_ranks((tmp_path, arguments), (tmp_path, arguments + rank1_extra), timeout=60)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [line for line in lines if "error" in line]
    assert len(errors) == 1 and errors[0].startswith(message) and errors[0] == lines[-1], lines
    if rank1_extra[:1] != ["--data"]:      # refused before anything was logged: that line alone
        assert len(lines) == 1, lines
    else:                                  # rank 1's own mistake, named as such, and what rank 0 did first
        assert "no such folder" in errors[0] and "Traceback" not in result.stderr
    assert seconds < 30
    assert not (tmp_path / "run").exists() or not any((tmp_path / "run").iterdir())


def test_a_nan_loss_on_one_rank_stops_every_rank_together(tmp_path):
    """Rank 1 alone gets a NaN loss at step 3: the ranks sum their losses before backward, so both
    skip the step and stop with the same message; had rank 0 stepped alone, it would wait for ever
    in the gradient all-reduce that rank 1 never joins."""
    arguments = ["--nan-at", "3", "train", "--distributed", *RUN, "--epochs", "1", "--out", tmp_path / "run",
                 "--data", DATA]
    result, seconds = sinir_ranks((tmp_path, arguments), (tmp_path, arguments), timeout=60)
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert result.returncode == 2, result.stderr
    assert len(errors) == 1 and errors[0].startswith("sinir train: error: the loss became nan at batch 2 of epoch 1")
    assert seconds < 30
