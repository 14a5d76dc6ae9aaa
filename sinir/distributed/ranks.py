"""The processes of one ``sinir train`` run: this process alone, or the ranks of an MPI job.

``sinir.experiment.run`` makes one ``Ranks`` and asks it everything that depends on the ranks:
who speaks, how the setup steps agree, each rank's loader and share of the evaluation sets, the
model wrapped for DistributedDataParallel, and how a mistake stops every rank at once.

>>> ranks = Ranks(distributed=True)        # under mpiexec -n 4: joins the MPI group
>>> ranks.rank, ranks.size
(2, 4)
>>> per_rank_batch_size(256, ranks.size)   # the global batch divided among the ranks
(64, 'per-rank batch 64 (--batch-size / ranks) x 4 ranks = global batch 256')

Without ``distributed`` every method is the one-process behaviour (no MPI). Nothing here imports
mpi4py until a ``Ranks(distributed=True)`` needs it (see sinir/distributed/__init__.py).
"""
import os

import numpy as np

from ..data import DataLoader, Subset
from .sampler import DistributedSampler


def one_line(error):
    """An error as one line of text (an OSError names its file)."""
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return " ".join(str(error).split()) or type(error).__name__


def _config_error(message):
    """The training options' error, sinir.experiment.ConfigError (the sinir command reports it in one line)."""
    from ..experiment import ConfigError       # experiment.py imports this module: import it when needed
    return ConfigError(message)


class Ranks:
    """The processes that train one run: this one alone, or with ``distributed`` the ranks of an
    MPI job (``mpiexec -n N sinir train --distributed``, a world of 1 without a launcher).

    A user's mistake must stop every rank, with one message: a rank that stopped alone would
    leave the others waiting for ever in their next collective. So the setup steps that can meet
    one run through ``agree`` (every rank learns of any rank's error and raises it) or
    ``on_rank_zero`` (rank 0 alone does it, e.g. choosing the output folder, and shares the
    result or the error).
    """

    def __init__(self, distributed=False):
        self.distributed = bool(distributed)
        self.rank, self.size, self.blas = 0, 1, None
        if self.distributed:
            from .. import distributed as dist
            if not dist.is_initialized():
                dist.init_process_group(backend="mpi")     # also: an uncaught exception aborts the job
            self.dist = dist
            self.rank, self.size = dist.get_rank(), dist.get_world_size()
            self.blas = self._share_cores(dist.get_local_world_size())      # a collective

    @staticmethod
    def _share_cores(local_ranks):
        """Give each of the ``local_ranks`` ranks on this machine its share of the cores for BLAS
        (unless the launching shell set OMP_NUM_THREADS and the like); returns what it did, in words."""
        from .launch import BLAS_THREAD_VARIABLES, cpu_count, limit_blas_threads, threads_per_rank
        given = [f"{name}={os.environ[name]}" for name in BLAS_THREAD_VARIABLES if os.environ.get(name)]
        if given:
            return f"BLAS threads per rank as the environment sets them ({', '.join(given)})"
        threads = threads_per_rank(local_ranks)
        limited = limit_blas_threads(threads)
        share = f"{local_ranks} rank(s) share this machine's {cpu_count()} cores"
        if not limited:
            return f"{share}; set OMP_NUM_THREADS={threads} before starting (threadpoolctl is not installed)"
        return f"{threads} BLAS thread(s) per rank ({share})"

    # ----- steps that every rank must pass or fail together -------------------------------------
    def agree(self, step):
        """``step()`` on every rank; a user error (ValueError, OSError) on any rank is raised on all."""
        if not self.distributed:
            return step()
        result, error = None, None
        try:
            result = step()
        except (ValueError, OSError) as caught:
            error = caught
        messages = [None] * self.size
        self.dist.all_gather_object(messages, None if error is None else one_line(error))
        failed = [(rank, message) for rank, message in enumerate(messages) if message is not None]
        if not failed:
            return result
        if len(failed) == self.size and len({message for _, message in failed}) == 1:
            raise error                  # the same mistake on every rank, as one process would say it
        rank, message = failed[0]
        raise _config_error(f"rank {rank} of {self.size}: {message}") from error

    def on_rank_zero(self, step):
        """``step()`` on rank 0 alone; every rank gets its result (or raises its user error)."""
        if not self.distributed:
            return step()
        result, error = None, None
        if self.rank == 0:
            try:
                result = step()
            except (ValueError, OSError) as caught:
                error = caught
        shared = [result, None if error is None else one_line(error)]
        self.dist.broadcast_object_list(shared, src=0)
        if error is not None:
            raise error
        if shared[1] is not None:
            raise _config_error(shared[1])
        return shared[0]

    def abort(self, error):
        """End every rank now with exit code 2 and ``error``'s message: for a mistake only this rank met
        once training has begun (the others are inside a collective, or soon will be)."""
        self.dist.abort(f"sinir train: error: {one_line(error)}", code=2)

    # ----- what each rank trains on and with -----------------------------------------------------
    def training_loader(self, dataset, batch_size, per_rank_batch, seed):
        """The loader of the training set: shuffled batches of ``batch_size`` for one process; with
        ranks, this rank's ``per_rank_batch`` images of every global batch."""
        if not self.distributed:
            return DataLoader(dataset, batch_size=batch_size, shuffle=True, seed=seed)
        # each rank its share of every batch: positions rank, rank + N, ... of the epoch's order, so N
        # ranks of per_rank images cover what one process with the global batch would (docs/distributed.md)
        sampler = DistributedSampler(dataset, num_replicas=self.size, rank=self.rank, shuffle=True, seed=seed)
        return DataLoader(dataset, batch_size=per_rank_batch, sampler=sampler)

    def shard(self, dataset):
        """This rank's share of an evaluation set: every size-th item from its rank on (no padding,
        unlike a DistributedSampler's: a count must not see an image twice)."""
        if dataset is None or self.size == 1:
            return dataset
        return Subset(dataset, np.arange(self.rank, len(dataset), self.size))

    def wrap(self, model):
        """The model to train: with ranks, wrapped in DistributedDataParallel (rank 0's weights
        everywhere; they are the same anyway: same seed, same checkpoint)."""
        if not self.distributed:
            return model
        from ..nn.parallel import DistributedDataParallel
        return DistributedDataParallel(model)


def per_rank_batch_size(batch_size, ranks, per_rank_batch=None):
    """(per-rank batch, the line that says it): ``per_rank_batch`` if given, else ``batch_size``
    divided among the ranks, which must divide it evenly (the global batch defines the run)."""
    if per_rank_batch is not None:
        return per_rank_batch, (f"per-rank batch {per_rank_batch} (--per-rank-batch) x {ranks} ranks = "
                                f"global batch {per_rank_batch * ranks}")
    if batch_size % ranks:
        raise _config_error(f"--batch-size {batch_size} does not divide among {ranks} ranks: give a multiple of "
                            f"{ranks}, or --per-rank-batch")
    return batch_size // ranks, (f"per-rank batch {batch_size // ranks} (--batch-size / ranks) x {ranks} ranks = "
                                 f"global batch {batch_size}")
