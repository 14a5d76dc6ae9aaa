"""Failures under MPI: a rank that raises ends the whole job quickly, with its message; a job
killed in the middle of an epoch resumes from its last checkpoint, at any world size."""
import numpy as np

from sinir import checkpoint
from dist_launch import run_worker


def test_a_failing_rank_ends_every_rank_with_its_message(tmp_path):
    result, seconds = run_worker(2, "fail", tmp_path, expect_success=False, timeout=60)
    assert result.returncode != 0
    assert seconds < 20            # rank 0 waits in an all-reduce that rank 1 never joins: no hang
    assert "rank 1 of 2 failed" in result.stderr
    assert "RuntimeError: deliberate failure on rank 1" in result.stderr


def test_abort_from_one_rank_ends_the_job_with_its_exit_code(tmp_path):
    result, seconds = run_worker(2, "abort", tmp_path, expect_success=False, timeout=60)
    assert result.returncode == 2 and seconds < 20
    assert "sinir.distributed: rank 1 of 2: --data: no such folder on this node" in result.stderr


def test_a_run_killed_mid_epoch_resumes_from_the_last_checkpoint_at_any_world_size(tmp_path):
    run_worker(2, "checkpoint", tmp_path / "whole", "--epochs", "3", "--batch", "32")
    killed, _ = run_worker(2, "checkpoint", tmp_path / "killed", "--epochs", "3", "--batch", "32", "--fail-at", "2",
                           expect_success=False)
    assert killed.returncode != 0 and "killed in epoch 2" in killed.stderr
    assert not (tmp_path / "killed" / "final.npz").exists()
    _, _, meta = checkpoint.load(tmp_path / "killed" / "last.safetensors")
    assert meta["epoch"] == 1 and meta["world_size"] == 2       # epochs 0 and 1 were complete
    whole = np.load(tmp_path / "whole" / "final.npz")
    for ranks, batch in ((2, 32), (1, 64)):
        out = tmp_path / f"resumed_on_{ranks}"
        run_worker(ranks, "checkpoint", out, "--epochs", "3", "--batch", str(batch),
                   "--resume", tmp_path / "killed" / "last.safetensors")
        resumed = np.load(out / "final.npz")
        for name in whole.files:
            np.testing.assert_allclose(resumed[name], whole[name], rtol=0, atol=1e-10, err_msg=f"{name}, {ranks} ranks")
