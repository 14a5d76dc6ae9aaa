"""Data parallelism across processes: DistributedDataParallel (over MPI, see sinir.distributed)."""
from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
