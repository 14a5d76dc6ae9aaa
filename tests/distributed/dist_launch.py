"""Launching dist_worker.py on N ranks from a test (mpiexec beside the interpreter, 1 BLAS thread each)."""
import sys
import time
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parent / "dist_worker.py"
ROOT = Path(__file__).resolve().parents[2]


def run_worker(n, scenario, out, *options, timeout=120, expect_success=True):
    """Run a scenario of dist_worker.py on ``n`` ranks; returns (CompletedProcess, seconds)."""
    pytest.importorskip("mpi4py", reason="the distributed tests need pip install 'sinir[mpi]'")
    from sinir.distributed.launch import launch
    start = time.perf_counter()
    result = launch(n, [WORKER, scenario, out, *options], timeout=timeout, threads=1, cwd=ROOT)
    seconds = time.perf_counter() - start
    if expect_success and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise AssertionError(f"{scenario} on {n} ranks exited with {result.returncode}:\n{result.stderr[-3000:]}")
    return result, seconds
