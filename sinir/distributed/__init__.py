"""Training on several processes and machines over MPI, shaped like ``torch.distributed``.

Start the same script once per process with an MPI launcher and join them into a group::

    mpiexec -n 4 python train.py           # or: srun python train.py (Slurm)

>>> import sinir.distributed as dist
>>> dist.init_process_group(backend="mpi")
>>> rank, world = dist.get_rank(), dist.get_world_size()
>>> dist.all_reduce(correct)               # sum a Tensor over all ranks, in place

``pip install 'sinir[mpi]'`` brings mpi4py and an MPI runtime (MPICH's wheel, with ``mpiexec``);
a cluster's own MPI works as well. Nothing here imports mpi4py until a function needs it.
See docs/distributed.md.
"""
from .process_group import (init_process_group, destroy_process_group, is_available, is_initialized,
                            is_mpi_available, get_backend, get_rank, get_world_size, get_local_world_size,
                            barrier, abort, install_abort_handler)
from .collectives import (ReduceOp, Work, all_reduce, reduce, broadcast, all_gather, all_gather_object,
                          broadcast_object_list)
from .sampler import DistributedSampler
from .sync_batchnorm import SyncBatchNorm
from .launch import find_mpiexec, mpiexec_command, threads_per_rank, limit_blas_threads

__all__ = ["init_process_group", "destroy_process_group", "is_available", "is_initialized", "is_mpi_available",
           "get_backend", "get_rank", "get_world_size", "get_local_world_size", "barrier", "abort",
           "install_abort_handler",
           "ReduceOp", "Work", "all_reduce", "reduce", "broadcast", "all_gather", "all_gather_object",
           "broadcast_object_list", "DistributedSampler", "SyncBatchNorm", "find_mpiexec", "mpiexec_command",
           "threads_per_rank", "limit_blas_threads"]
