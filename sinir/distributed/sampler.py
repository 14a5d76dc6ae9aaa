"""DistributedSampler: each rank's share of a dataset's indices, as PyTorch splits them.

Rank r of N takes every N-th index starting at r: indices r, r + N, r + 2N, ... of the epoch's
order. When the dataset does not divide evenly, the order is padded by repeating its first
indices (or, with ``drop_last``, its tail is dropped) so that every rank gets the same number
of samples and therefore the same number of batches: a rank that ran out early would leave
the others waiting in an all-reduce forever.

With ``shuffle`` the order is a permutation drawn from ``seed + epoch`` (NumPy's generator,
not PyTorch's, so the shuffled order differs from ``torch.utils.data.DistributedSampler``'s;
the unshuffled order, the padding, ``drop_last`` and the split are the same). All ranks draw
the same permutation, so their shares are disjoint; call ``set_epoch(epoch)`` at the start of
each epoch for a new order.

>>> sampler = DistributedSampler(train_set, num_replicas=2, rank=0, shuffle=True, seed=0)
>>> sampler.set_epoch(3)
>>> indices = list(sampler)          # rank 0's ceil(len / 2) indices for epoch 3
>>> loader = DataLoader(train_set, batch_size=32, sampler=sampler)   # its batches
"""
import math

import numpy as np

from ..data.sampler import Sampler


class DistributedSampler(Sampler):
    """Indices of ``dataset`` for one rank; iterate it for the epoch's order, ``len`` is the count."""

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None or rank is None:
            from .process_group import get_rank, get_world_size, is_initialized
            if not is_initialized():
                raise RuntimeError("DistributedSampler: give num_replicas and rank, or call "
                                   "sinir.distributed.init_process_group() first")
            num_replicas = get_world_size() if num_replicas is None else num_replicas
            rank = get_rank() if rank is None else rank
        if isinstance(num_replicas, bool) or not isinstance(num_replicas, (int, np.integer)) or num_replicas < 1:
            raise ValueError(f"DistributedSampler: num_replicas must be a positive integer, got {num_replicas!r}")
        if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or not 0 <= rank < num_replicas:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank = dataset, int(num_replicas), int(rank)
        self.shuffle, self.seed, self.drop_last = bool(shuffle), int(seed), bool(drop_last)
        self.epoch = 0
        n = len(dataset)
        if self.drop_last and n % self.num_replicas:
            # drop the tail so that every rank gets the same number of samples
            self.num_samples = math.ceil((n - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(n / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = np.random.default_rng(self.seed + self.epoch).permutation(n)
        else:
            order = np.arange(n)
        if not self.drop_last:
            padding = self.total_size - n
            if padding:   # repeat the order's beginning (the whole order several times if needed)
                order = np.concatenate([order] * (1 + math.ceil(padding / n)))[:self.total_size]
        else:
            order = order[:self.total_size]
        return iter(order[self.rank:self.total_size:self.num_replicas].tolist())

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Use the order of ``epoch`` (the same on every rank) from the next iteration on."""
        self.epoch = int(epoch)
