"""No lost work: runs never overwrite each other, the output folder is checked first, resuming is
honest about what changes, a checkpoint never holds NaN, and kill -9 mid-write loses nothing."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from sinir import checkpoint, cli, experiment
from sinir.callbacks import Callback
from sinir.training import TrainingDivergedError
from tests.safety.conftest import ROOT


def _train(data, out, *extra):
    return cli.main(["train", "--model", "mlp", "--data", str(data), "--out", str(out), "--limit-train", "200",
                     "--val-size", "50", "--batch-size", "50", "--progress", "none", *extra])


def test_a_new_run_never_overwrites_an_earlier_one(fake_mnist, tmp_path, capsys):
    out = tmp_path / "runs" / "mlp"
    assert _train(fake_mnist, out, "--epochs", "1") == 0
    first = (out / "last.safetensors").read_bytes()
    capsys.readouterr()
    assert _train(fake_mnist, out, "--epochs", "1", "--seed", "1") == 0
    assert f"{out} already holds checkpoints: this run goes to {out}-2" in capsys.readouterr().err
    assert (out / "last.safetensors").read_bytes() == first
    assert (tmp_path / "runs" / "mlp-2" / "last.safetensors").exists()
    assert _train(fake_mnist, out, "--epochs", "1", "--seed", "2") == 0
    assert (tmp_path / "runs" / "mlp-3").is_dir()
    assert _train(fake_mnist, out, "--epochs", "1", "--seed", "3", "--overwrite") == 0
    assert (out / "last.safetensors").read_bytes() != first
    assert checkpoint.load(out / "last.safetensors")[2]["config"]["seed"] == 3


def test_the_output_folder_is_checked_before_the_first_epoch(fake_mnist, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    assert _train(fake_mnist, tmp_path / "a-file" / "run", "--epochs", "1") == 2
    error = capsys.readouterr().err
    assert "a-file/run: cannot write in the output folder" in error and "epoch 1" not in error


def test_leftover_temporary_files_of_a_killed_writer_are_removed_at_the_next_start(fake_mnist, tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not os.path.exists(f"/proc/{pid}"))
    stale = out / f".last.safetensors.{dead}.x1y2z3.tmp"
    live = out / f".last.safetensors.{os.getpid()}.a1b2c3.tmp"        # a write in progress: kept
    stale.write_bytes(b"half a checkpoint")
    live.write_bytes(b"being written")
    assert _train(fake_mnist, out, "--epochs", "1") == 0
    assert not stale.exists() and live.exists()
    assert f"removed {stale.name}, left by an interrupted write" in capsys.readouterr().err


def test_resume_refuses_options_that_differ_unless_overridden_and_records_what_ran(fake_mnist, tmp_path, capsys):
    out = tmp_path / "run"
    assert _train(fake_mnist, out, "--epochs", "1", "--scheduler", "step") == 0
    last = str(out / "last.safetensors")
    capsys.readouterr()
    assert cli.main(["train", "--resume", last, "--data", str(fake_mnist), "--epochs", "2", "--batch-size", "25",
                     "--optimizer", "sgd", "--progress", "none"]) == 2
    error = capsys.readouterr().err
    assert ("these options differ from the checkpoint's run: --optimizer sgd (the run used adam), --batch-size 25 "
            "(the run used 50); drop them to continue the run as it was, or add --override optimizer,batch-size"
            ) in error and error.count("\n") == 1
    assert cli.main(["train", "--resume", last, "--data", str(fake_mnist), "--epochs", "2", "--batch-size", "25",
                     "--optimizer", "sgd", "--override", "batch-size,optimizer", "--progress", "none"]) == 0
    meta = checkpoint.load(out / "last.safetensors")[2]
    assert meta["epoch"] == 2 and meta["config"]["batch_size"] == 25 and meta["config"]["optimizer"] == "sgd"
    assert meta["config"]["lr"] == experiment.DEFAULT_LR["sgd"] and meta["config"]["limit_train"] == 200
    assert meta["overrides"] == [{"epoch": 2, "changed": {"batch_size": 25, "optimizer": "sgd"}}]
    assert cli.main(["train", "--resume", last, "--data", str(fake_mnist), "--model", "lenet5"]) == 2
    assert "the checkpoint holds model 'mlp', not 'lenet5'; a run cannot change its model" in capsys.readouterr().err


def test_extending_a_finished_one_cycle_schedule_is_refused_with_how_to_continue(fake_mnist, tmp_path, capsys):
    out = tmp_path / "run"
    assert _train(fake_mnist, out, "--epochs", "1") == 0
    last = str(out / "last.safetensors")
    capsys.readouterr()
    assert cli.main(["train", "--resume", last, "--data", str(fake_mnist), "--epochs", "2"]) == 2
    assert ("--epochs 2: the run's onecycle schedule ends at epoch 1 and cannot be stretched; to train on, give "
            "a schedule for the new epochs, e.g. --scheduler cosine --override scheduler") in capsys.readouterr().err
    assert cli.main(["train", "--resume", last, "--data", str(fake_mnist), "--epochs", "2", "--scheduler", "cosine",
                     "--override", "scheduler", "--progress", "none"]) == 0
    meta = checkpoint.load(out / "last.safetensors")[2]
    assert meta["epoch"] == 2 and meta["config"]["scheduler"] == "cosine" and meta["scheduler"]["T_max"] == 1


def test_val_size_zero_writes_no_best_checkpoint_and_says_so(fake_mnist, tmp_path, capsys):
    assert cli.main(["train", "--model", "mlp", "--data", str(fake_mnist), "--out", str(tmp_path / "run"),
                     "--val-size", "0", "--epochs", "1", "--progress", "none"]) == 0
    assert "no validation set (--val-size 0): best.safetensors is not written" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["last.safetensors"]
    assert checkpoint.load(tmp_path / "run" / "last.safetensors")[2]["history"][0].get("val_accuracy") is None


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_weights_that_turn_nan_stop_the_run_and_never_reach_a_checkpoint(fake_mnist, tmp_path):
    class Poison(Callback):
        def on_batch_end(self, step, loss, logs=None):
            if self.trainer.epoch == 2 and step == 1:
                next(self.trainer.model.parameters()).numpy()[0, 0] = np.nan

    config = experiment.TrainConfig(model="mlp", data=str(fake_mnist), out=str(tmp_path / "run"), epochs=3,
                                    limit_train=200, val_size=50, batch_size=50)
    with pytest.raises(TrainingDivergedError, match="at batch 2 of epoch 2: training diverged"):
        experiment.run(config, progress=None, log=lambda message: None, callbacks=[Poison()])
    state, _, meta = checkpoint.load(tmp_path / "run" / "last.safetensors")
    assert meta["epoch"] == 1 and all(np.isfinite(v).all() for v in state.values())


def test_kill_9_during_training_then_resume_loses_nothing(fake_mnist, tmp_path):
    out = tmp_path / "run"
    epochs = 100        # an epoch of 100 images takes milliseconds: enough of them that no run ends before its kill
    command = [sys.executable, "-m", "sinir", "train", "--model", "mlp", "--data", str(fake_mnist), "--out", str(out),
               "--limit-train", "100", "--val-size", "20", "--batch-size", "50", "--epochs", str(epochs),
               "--scheduler", "none", "--progress", "none"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    rng = np.random.default_rng(0)
    epochs_seen = []
    for attempt in range(3):
        resume = ["--resume", str(out / "last.safetensors")] if attempt else []
        process = subprocess.Popen(command + resume, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not (out / "last.safetensors").exists() or (
                attempt and checkpoint.read_meta(out / "last.safetensors")["epoch"] <= epochs_seen[-1]):
            assert process.poll() is None and time.monotonic() < deadline, "the run ended or stalled"
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        epochs_seen.append(checkpoint.load(out / "last.safetensors")[2]["epoch"])   # always a whole checkpoint
    assert epochs_seen == sorted(epochs_seen) and epochs_seen[-1] < epochs
    finished = subprocess.run(command + ["--resume", str(out / "last.safetensors")], env=env, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr[-2000:]
    meta = checkpoint.load(out / "last.safetensors")[2]
    assert meta["epoch"] == epochs and [h["epoch"] for h in meta["history"]] == list(range(1, epochs + 1))
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_resume_keeps_the_runs_data_folder_and_refuses_another_training_set(fake_mnist, tmp_path, capsys):
    from tests.safety.conftest import write_fake_mnist
    out = tmp_path / "run"
    assert _train(fake_mnist, out, "--epochs", "1", "--scheduler", "none") == 0
    last = str(out / "last.safetensors")
    assert cli.main(["train", "--resume", last, "--epochs", "2", "--progress", "none"]) == 0     # no --data: the run's
    assert checkpoint.read_meta(last)["config"]["data"] == str(fake_mnist)
    other = write_fake_mnist(tmp_path / "other", train=250)
    capsys.readouterr()
    assert cli.main(["train", "--resume", last, "--data", str(other), "--epochs", "3"]) == 2
    assert ("the run trained on a mnist training set of 300 images, this one has 250" in capsys.readouterr().err)


def test_a_forged_scheduler_or_optimizer_state_is_refused_on_resume(fake_mnist, tmp_path, capsys):
    import json
    import safetensors.numpy
    from safetensors import safe_open
    out = tmp_path / "run"
    assert _train(fake_mnist, out, "--epochs", "1") == 0
    path = out / "last.safetensors"
    tensors = safetensors.numpy.load_file(path)
    with safe_open(str(path), framework="numpy") as file:
        meta = json.loads(file.metadata()[checkpoint.META_KEY])
    for change, message in [
        (lambda m: m.update(scheduler={"optimizer": 1, "last_epoch": 0}), "the saved OneCycleLR state does not fit"),
        (lambda m: m["optimizer"]["param_groups"][0].update(lr={"x": 1}), "the optimizer's state is malformed"),
    ]:
        forged = json.loads(json.dumps(meta))
        change(forged)
        safetensors.numpy.save_file(tensors, tmp_path / "forged.safetensors",
                                    metadata={checkpoint.META_KEY: json.dumps(forged)})
        capsys.readouterr()
        assert cli.main(["train", "--resume", str(tmp_path / "forged.safetensors"), "--out", str(tmp_path / "o")]) == 2
        assert message in capsys.readouterr().err
