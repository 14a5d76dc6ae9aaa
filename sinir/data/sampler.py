"""Samplers: which sample indices a DataLoader visits, and in which order.

A sampler is an iterable of indices with a length; a batch sampler is an iterable of lists of
indices. ``DataLoader(shuffle=True)`` uses a RandomSampler, ``shuffle=False`` a
SequentialSampler, and a BatchSampler groups either into batches.
"""
import numpy as np

from ..random import default_generator


class Sampler:
    """Base class: subclasses give ``__iter__`` (indices) and ``__len__``."""

    def __iter__(self):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


def _generator(generator):
    return generator if generator is not None else default_generator()


class RandomSampler(Sampler):
    """A new random order every epoch (a permutation); with ``replacement``, ``num_samples``
    indices drawn independently. ``generator`` is a numpy.random.Generator (default: sinir's,
    seeded by sinir.manual_seed)."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source, self.replacement, self.generator = data_source, bool(replacement), generator
        self._num_samples = num_samples
        if num_samples is not None and (isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer))
                                        or num_samples < 1):
            raise ValueError(f"RandomSampler: num_samples must be a positive integer, got {num_samples!r}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def __iter__(self):
        n, generator = len(self.data_source), _generator(self.generator)
        if self.replacement:
            return iter(generator.integers(0, n, size=self.num_samples).tolist())
        # whole permutations until num_samples indices are out (one permutation by default)
        order = np.concatenate([generator.permutation(n) for _ in range(-(-self.num_samples // max(n, 1)))]
                               or [np.arange(0)])
        return iter(order[:self.num_samples].tolist())

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices, in a new random order every epoch."""

    def __init__(self, indices, generator=None):
        self.indices, self.generator = list(indices), generator

    def __iter__(self):
        order = _generator(self.generator).permutation(len(self.indices))
        return iter([self.indices[i] for i in order])

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights`` (one per
    sample): oversample rare classes. Without ``replacement`` each index appears at most once.

    >>> weights = 1.0 / class_counts[labels]          # each class equally likely
    >>> sampler = WeightedRandomSampler(weights, num_samples=len(labels))
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        weights = np.asarray(weights, dtype=np.float64)
        if weights.ndim != 1 or not np.all(np.isfinite(weights)) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError("WeightedRandomSampler: weights must be a 1-D sequence of finite non-negative numbers "
                             "with a positive sum")
        if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
            raise ValueError(f"WeightedRandomSampler: num_samples must be a positive integer, got {num_samples!r}")
        if not replacement and num_samples > np.count_nonzero(weights):
            raise ValueError(f"WeightedRandomSampler: cannot draw {num_samples} samples without replacement from "
                             f"{np.count_nonzero(weights)} with non-zero weight")
        self.weights, self.num_samples = weights, int(num_samples)
        self.replacement, self.generator = bool(replacement), generator

    def __iter__(self):
        p = self.weights / self.weights.sum()
        drawn = _generator(self.generator).choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        return iter(drawn.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size`` (the last one shorter unless
    ``drop_last``).

    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"BatchSampler: batch_size must be a positive integer, got {batch_size!r}")
        self.sampler, self.batch_size, self.drop_last = sampler, int(batch_size), bool(drop_last)

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
