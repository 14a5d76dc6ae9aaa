"""Collectives: operations that every rank calls together, as in ``torch.distributed``.

Each one works in place on the tensor's own memory (a NumPy buffer that MPI reads and writes
without a copy) and, with ``async_op=True``, returns a ``Work`` whose ``wait()`` finishes it.

>>> t = sinir.tensor([1.0, 2.0]) * (dist.get_rank() + 1)
>>> dist.all_reduce(t)                  # on 2 ranks: [1, 2] + [2, 4] = [3, 6] on both
>>> dist.broadcast(t, src=0)            # every rank now holds rank 0's values
"""
import enum

import numpy as np

from ..tensor import Tensor
from .process_group import _comm, _mpi


class ReduceOp(enum.Enum):
    """How ``all_reduce`` and ``reduce`` combine the ranks' values, element by element."""
    SUM = "SUM"
    PRODUCT = "PROD"
    MIN = "MIN"
    MAX = "MAX"
    AVG = "AVG"       # the sum divided by the world size (floating tensors only)
    BAND = "BAND"
    BOR = "BOR"
    BXOR = "BXOR"


class Work:
    """A collective started with ``async_op=True``; ``wait()`` blocks until it has finished."""

    def __init__(self, request, finish=None):
        self._request, self._finish = request, finish

    def is_completed(self):
        done = self._request.Test()
        if done:
            self._complete()
        return done

    def wait(self, timeout=None):
        self._request.Wait()
        self._complete()
        return True

    def _complete(self):
        if self._finish is not None:
            finish, self._finish = self._finish, None
            finish()


def _buffer(tensor, where):
    """(contiguous ndarray to hand to MPI, the tensor's array to copy it back into or None)."""
    if isinstance(tensor, Tensor):
        array = tensor.detach().numpy()    # the tensor's own memory, not a copy
    elif isinstance(tensor, np.ndarray):
        array = tensor
    else:
        raise ValueError(f"{where}: expected a sinir Tensor, got {type(tensor).__name__}")
    if array.flags.c_contiguous and array.flags.writeable:
        return array, None
    return np.ascontiguousarray(array), array


def _mpi_op(op, dtype, where):
    if not isinstance(op, ReduceOp):
        raise ValueError(f"{where}: op must be a sinir.distributed.ReduceOp (SUM, PRODUCT, MIN, MAX, AVG, "
                         f"BAND, BOR, BXOR), got {op!r}")
    if op is ReduceOp.AVG and dtype.kind != "f":
        raise ValueError(f"{where}: ReduceOp.AVG needs a floating tensor, got dtype {dtype}")
    if op in (ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR) and dtype.kind not in "iub":
        raise ValueError(f"{where}: ReduceOp.{op.name} needs an integer or boolean tensor, got dtype {dtype}")
    return getattr(_mpi(), "SUM" if op is ReduceOp.AVG else op.value)


def _check_rank(rank, name, where):
    size = _comm().Get_size()
    if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or not 0 <= rank < size:
        raise ValueError(f"{where}: {name} must be a rank in [0, {size - 1}], got {rank!r}")


def _run(blocking, nonblocking, finish, async_op):
    """Call the blocking MPI function, or start the non-blocking one and return its Work."""
    if async_op:
        return Work(nonblocking(), finish)
    blocking()
    finish()
    return None


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Combine ``tensor`` across all ranks with ``op``; every rank receives the result in place."""
    comm, MPI = _comm(), _mpi()
    buffer, target = _buffer(tensor, "all_reduce")
    mpi_op = _mpi_op(op, buffer.dtype, "all_reduce")

    def finish():
        if op is ReduceOp.AVG:
            buffer[...] /= comm.Get_size()
        if target is not None:
            target[...] = buffer

    return _run(lambda: comm.Allreduce(MPI.IN_PLACE, buffer, op=mpi_op),
                lambda: comm.Iallreduce(MPI.IN_PLACE, buffer, op=mpi_op), finish, async_op)


def reduce(tensor, dst, op=ReduceOp.SUM, group=None, async_op=False):
    """Combine ``tensor`` across all ranks with ``op`` into rank ``dst``'s tensor (the others keep theirs)."""
    comm, MPI = _comm(), _mpi()
    _check_rank(dst, "dst", "reduce")
    buffer, target = _buffer(tensor, "reduce")
    mpi_op = _mpi_op(op, buffer.dtype, "reduce")
    is_root = comm.Get_rank() == dst
    send, receive = (MPI.IN_PLACE, buffer) if is_root else (buffer, None)

    def finish():
        if is_root and op is ReduceOp.AVG:
            buffer[...] /= comm.Get_size()
        if is_root and target is not None:
            target[...] = buffer

    return _run(lambda: comm.Reduce(send, receive, op=mpi_op, root=dst),
                lambda: comm.Ireduce(send, receive, op=mpi_op, root=dst), finish, async_op)


def broadcast(tensor, src, group=None, async_op=False):
    """Copy rank ``src``'s ``tensor`` into every other rank's ``tensor``."""
    comm = _comm()
    _check_rank(src, "src", "broadcast")
    buffer, target = _buffer(tensor, "broadcast")

    def finish():
        if target is not None:
            target[...] = buffer

    return _run(lambda: comm.Bcast(buffer, root=src), lambda: comm.Ibcast(buffer, root=src), finish, async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """Fill ``tensor_list[i]`` with rank i's ``tensor``, on every rank."""
    comm = _comm()
    buffer, _ = _buffer(tensor, "all_gather")
    size = comm.Get_size()
    if not isinstance(tensor_list, (list, tuple)) or len(tensor_list) != size:
        raise ValueError(f"all_gather: tensor_list must be a list of {size} tensors (one per rank), "
                         f"got {type(tensor_list).__name__} of length {len(tensor_list) if hasattr(tensor_list, '__len__') else '?'}")
    targets = [_buffer(t, "all_gather")[0] for t in tensor_list]
    for i, target in enumerate(targets):
        if target.shape != buffer.shape or target.dtype != buffer.dtype:
            raise ValueError(f"all_gather: tensor_list[{i}] has shape {target.shape} and dtype {target.dtype}, "
                             f"the tensor has shape {buffer.shape} and dtype {buffer.dtype}")
    gathered = np.empty((size,) + buffer.shape, dtype=buffer.dtype)

    def finish():
        for t, part in zip(tensor_list, gathered):
            array = t.detach().numpy() if isinstance(t, Tensor) else t
            array[...] = part

    return _run(lambda: comm.Allgather(buffer, gathered), lambda: comm.Iallgather(buffer, gathered), finish,
                async_op)


def all_gather_object(object_list, obj, group=None):
    """Fill ``object_list[i]`` with rank i's ``obj`` (any picklable Python object)."""
    comm = _comm()
    if len(object_list) != comm.Get_size():
        raise ValueError(f"all_gather_object: object_list must have {comm.Get_size()} entries, "
                         f"got {len(object_list)}")
    object_list[:] = comm.allgather(obj)


def broadcast_object_list(object_list, src=0, group=None):
    """Replace the entries of ``object_list`` by rank ``src``'s (picklable objects)."""
    _check_rank(src, "src", "broadcast_object_list")
    object_list[:] = _comm().bcast(list(object_list), root=src)
