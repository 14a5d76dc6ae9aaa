"""The process group: which process am I (rank) among how many (world size), over MPI.

Every process of a job runs the same script; ``mpiexec -n 4 python train.py`` (or Slurm's
``srun``) starts 4 of them and tells each its rank. ``init_process_group(backend="mpi")``
reads that from MPI, as ``torch.distributed`` does with its MPI backend:

>>> import sinir.distributed as dist
>>> dist.init_process_group(backend="mpi")
>>> dist.get_rank(), dist.get_world_size()        # (1, 4) in the second of 4 processes
"""
import os
import sys
import traceback

_group = {"comm": None}


def _mpi():
    """mpi4py's MPI module, imported only when asked for (it is an optional dependency)."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError("sinir.distributed needs mpi4py and an MPI runtime: pip install 'sinir[mpi]' "
                          f"(or install mpi4py against your cluster's MPI) [{error}]") from None
    return MPI


def init_process_group(backend="mpi", init_method=None, timeout=None, world_size=-1, rank=-1,
                       abort_on_exception=True):
    """Join the job's processes into the default group. Rank and world size come from the MPI
    launcher (``mpiexec``, ``mpirun``, ``srun``); a script started without one is a group of 1.

    ``world_size`` and ``rank`` may be given only to check them against the launcher's.
    With ``abort_on_exception`` (sinir's addition, on by default) an exception that escapes the
    script on any rank prints that rank's message and aborts the whole job, so the other ranks,
    waiting in a collective, do not hang (see ``install_abort_handler``).
    """
    if backend not in ("mpi", None):
        raise ValueError(f"init_process_group: sinir.distributed runs on MPI only: backend='mpi', got {backend!r}")
    if init_method not in (None, "env://", "mpi://"):
        raise ValueError(f"init_process_group: with the MPI backend the launcher says who the processes are; "
                         f"init_method must be None, got {init_method!r}")
    if _group["comm"] is not None:
        raise RuntimeError("init_process_group: trying to initialize the default process group twice!")
    MPI = _mpi()
    comm = MPI.COMM_WORLD
    for name, given, actual in (("world_size", world_size, comm.Get_size()), ("rank", rank, comm.Get_rank())):
        if given not in (-1, None) and given != actual:
            raise ValueError(f"init_process_group: {name}={given} but the MPI launcher started this process "
                             f"with {name} {actual} (leave {name} out with backend='mpi')")
    _group["comm"] = comm
    if abort_on_exception:
        install_abort_handler()


def destroy_process_group(group=None):
    """Leave the default group (MPI itself is finalised when the process exits)."""
    _group["comm"] = None


def is_available():
    """True when mpi4py can be imported."""
    try:
        _mpi()
    except ImportError:
        return False
    return True


def is_initialized():
    return _group["comm"] is not None


def is_mpi_available():
    return is_available()


def get_backend(group=None):
    _comm()
    return "mpi"


def _comm():
    comm = _group["comm"]
    if comm is None:
        raise RuntimeError("sinir.distributed: the default process group has not been initialized; "
                           "call sinir.distributed.init_process_group(backend='mpi') first")
    return comm


def get_rank(group=None):
    """This process's number, 0 .. world_size - 1."""
    return _comm().Get_rank()


def get_world_size(group=None):
    """How many processes the job has."""
    return _comm().Get_size()


def get_local_world_size():
    """How many processes of the job share this machine (to divide its cores between them).
    A collective: every rank must call it."""
    MPI = _mpi()
    local = _comm().Split_type(MPI.COMM_TYPE_SHARED)
    try:
        return local.Get_size()
    finally:
        local.Free()


def barrier(group=None, async_op=False):
    """Wait until every process has reached this line."""
    _comm().Barrier()


def abort(message=None, code=1):
    """End every rank of the job now, with exit status ``code``, after printing ``message`` as
    ``sinir.distributed: rank R of N: message``. For a rank that must stop on its own (a file
    missing on one node, say): a plain ``sys.exit`` on one rank leaves the others waiting for ever
    in their next collective, and that rank in MPI's finalisation."""
    MPI = _mpi()
    comm = MPI.COMM_WORLD
    if message:
        sys.stderr.write(f"sinir.distributed: rank {comm.Get_rank()} of {comm.Get_size()}: {message}\n")
    sys.stderr.flush()
    sys.stdout.flush()
    comm.Abort(code)
    os._exit(code)  # Abort does not return; this is only a guard


def install_abort_handler():
    """On an uncaught exception, print ``rank R of N: Type: message`` with the traceback, then
    ``MPI.COMM_WORLD.Abort(1)``: the launcher ends every rank and exits with a non-zero code.

    Without it, the failing rank would exit while the others wait forever in their next
    collective for a message that never comes.
    """
    previous = sys.excepthook

    def abort_job(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):  # Ctrl-C: the launcher forwards it to every rank
            previous(kind, value, tb)
            return
        MPI = _mpi()
        comm = MPI.COMM_WORLD
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(f"sinir.distributed: rank {comm.Get_rank()} of {comm.Get_size()} failed "
                         f"(aborting the job): {kind.__name__}: {value}\n{text}")
        abort(code=1)

    sys.excepthook = abort_job
    return abort_job
