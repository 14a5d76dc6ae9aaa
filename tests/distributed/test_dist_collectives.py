"""Collectives on 2 MPI ranks equal the same reductions done with NumPy; errors before any MPI call."""
import numpy as np
import pytest

import sinir
import sinir.distributed as dist
from dist_launch import run_worker


def rank_values(rank, dtype):
    return (np.random.default_rng(rank).standard_normal((3, 4)) * 10).astype(dtype)


def test_collectives_on_two_ranks_equal_numpy(tmp_path):
    run_worker(2, "collectives", tmp_path)
    found = [dict(np.load(tmp_path / f"rank{r}.npz")) for r in range(2)]
    for dtype in (np.float32, np.float64, np.int64):
        name = np.dtype(dtype).name
        values = np.stack([rank_values(r, dtype) for r in range(2)])
        expected = {"SUM": values.sum(0), "MAX": values.max(0), "MIN": values.min(0), "PRODUCT": values.prod(0)}
        if dtype != np.int64:
            expected["AVG"] = values.sum(0) / 2
        for rank in range(2):
            for op, value in expected.items():
                got = found[rank][f"all_reduce_{op}_{name}"]
                assert got.dtype == dtype
                np.testing.assert_allclose(got, value, rtol=1e-6, err_msg=f"{op} {name} rank {rank}")
            np.testing.assert_allclose(found[rank][f"async_all_reduce_{name}"], values.sum(0), rtol=1e-6)
            np.testing.assert_array_equal(found[rank][f"broadcast_{name}"], values[1])
            np.testing.assert_array_equal(found[rank][f"all_gather_{name}"], values)
        np.testing.assert_allclose(found[1][f"reduce_{name}"], values.sum(0), rtol=1e-6)   # dst=1 gets the sum
        np.testing.assert_array_equal(found[0][f"reduce_{name}"], values[0])             # the others keep theirs
    transposed = sum(np.random.default_rng(r).standard_normal((4, 3)) for r in range(2)).T
    for rank in range(2):
        np.testing.assert_allclose(found[rank]["all_reduce_transposed"], transposed, rtol=1e-12)
        assert list(found[rank]["all_gather_object"]) == [0, 1]
        assert list(found[rank]["broadcast_object_list"]) == [1]


def test_calls_before_init_process_group_say_what_to_do():
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.get_rank()
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.all_reduce(sinir.ones(3))
    with pytest.raises(ValueError, match="backend='mpi'"):
        dist.init_process_group(backend="nccl")


def test_missing_mpi4py_names_the_extra(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def without_mpi4py(name, *args, **kwargs):
        if name.startswith("mpi4py"):
            raise ImportError("No module named 'mpi4py'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_mpi4py)
    with pytest.raises(ImportError, match=r"pip install 'sinir\[mpi\]'"):
        dist.init_process_group(backend="mpi")
    assert not dist.is_available()


def test_find_mpiexec_and_threads_per_rank():
    from sinir.distributed.launch import find_mpiexec, mpiexec_command, threads_per_rank
    pytest.importorskip("mpi4py", reason="the distributed tests need pip install 'sinir[mpi]'")
    assert find_mpiexec().endswith(("mpiexec", "mpirun"))
    assert mpiexec_command(2, ["w.py", 3])[1:] == ["-n", "2", __import__("sys").executable, "w.py", "3"]
    assert threads_per_rank(2, cores=2) == 1 and threads_per_rank(2, cores=16) == 8 and threads_per_rank(4, cores=2) == 1
    with pytest.raises(ValueError, match="positive integer"):
        mpiexec_command(0, ["w.py"])


def test_limit_blas_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from sinir.distributed import limit_blas_threads
    blas = [info for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]
    if not blas:
        pytest.skip("NumPy's BLAS is not one threadpoolctl knows")
    before = blas[0]["num_threads"]
    try:
        assert limit_blas_threads(1)
        assert all(info["num_threads"] == 1 for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas")
    finally:
        threadpoolctl.threadpool_limits(limits=before, user_api="blas")


def test_importing_sinir_distributed_does_not_import_mpi4py():
    import subprocess
    import sys
    code = "import sys, sinir.distributed, sinir.nn.parallel; print('mpi4py' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
