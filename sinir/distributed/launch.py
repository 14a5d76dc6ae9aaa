"""Starting N copies of a Python script under MPI from Python (tests, benchmarks, notebooks).

On a cluster you run ``mpiexec -n N python script.py`` or ``srun python script.py`` yourself;
these helpers find the ``mpiexec`` that ``pip install 'sinir[mpi]'`` put beside the Python
interpreter and give each rank its share of the machine's cores.

>>> result = launch(2, ["worker.py", "--steps", "20"], timeout=60)
>>> result.returncode
0
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def find_mpiexec():
    """The path of ``mpiexec`` (or ``mpirun``): beside this Python first (a virtualenv's), then on PATH."""
    beside_python = Path(sys.executable).parent
    for name in ("mpiexec", "mpirun"):
        candidate = beside_python / name
        if candidate.exists():
            return str(candidate)
    for name in ("mpiexec", "mpirun"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("no mpiexec found beside the Python interpreter or on PATH: "
                            "pip install 'sinir[mpi]' (or load your cluster's MPI module)")


def cpu_count():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def threads_per_rank(local_ranks, cores=None):
    """BLAS threads for each of ``local_ranks`` processes sharing one machine, so that together
    they use every core once and do not oversubscribe them (at least 1)."""
    return max(1, (cores or cpu_count()) // max(1, local_ranks))


def limit_blas_threads(threads):
    """Limit NumPy's BLAS to ``threads`` threads in this process from now on (for a program that
    has already imported NumPy, such as ``sinir train``). Needs threadpoolctl; returns False,
    changing nothing, without it (then set OMP_NUM_THREADS before starting Python)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    threadpool_limits(limits=int(threads), user_api="blas")
    return True


def rank_environment(threads, base=None):
    """``base`` (default: this process's environment) with the BLAS thread counts set to ``threads``.
    NumPy's BLAS reads them when it loads, so they must be set before the rank imports NumPy."""
    environment = dict(os.environ if base is None else base)
    for name in BLAS_THREAD_VARIABLES:
        environment[name] = str(threads)
    return environment


def mpiexec_command(n, argv, python=None):
    """``[mpiexec, -n, N, python, *argv]``: N ranks of a Python script (or ``-m module``)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"mpiexec_command: the number of ranks must be a positive integer, got {n!r}")
    return [find_mpiexec(), "-n", str(n), python or sys.executable, *[str(a) for a in argv]]


def launch(n, argv, timeout=None, threads=None, env=None, cwd=None):
    """Run ``argv`` (a script and its arguments) on ``n`` ranks and wait; returns the
    ``subprocess.CompletedProcess`` with text stdout and stderr. ``threads`` BLAS threads per rank
    (default: the cores divided among the ranks). A run past ``timeout`` seconds raises
    ``subprocess.TimeoutExpired`` after killing the launcher and its ranks."""
    threads = threads or threads_per_rank(n)
    process = subprocess.Popen(mpiexec_command(n, argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=rank_environment(threads, env), cwd=cwd, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)     # the launcher's session: mpiexec and every rank it started
        stdout, stderr = process.communicate()
        raise subprocess.TimeoutExpired(process.args, timeout, stdout, stderr) from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
