"""Datasets: indexable collections of samples.

As in PyTorch, any object with ``__getitem__`` and ``__len__`` is a dataset (duck typing); the
Dataset class adds ``+`` (concatenation) and the optional fast path ``get_batch``.
"""
import bisect

import numpy as np

from ..random import default_generator
from ..tensor import Tensor


class Dataset:
    """A collection of samples: ``len(dataset)`` and ``dataset[i]`` -> (x, y) or any tuple.

    ``get_batch(indices)`` may return the collated batch of those samples as arrays in one step
    (TensorDataset indexes its arrays at once; MNIST transforms a whole batch); the DataLoader
    uses it when it collates by default.
    """

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the rows of equally long arrays (or Tensors): features, labels, ...

    >>> dataset = TensorDataset(images, labels)      # images (N, 784), labels (N,)
    >>> x, y = dataset[0]
    """

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset: give at least one array")
        self.arrays = tuple(_array(a) for a in arrays)
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) != 1:
            raise ValueError(f"TensorDataset: all arrays need the same length, got lengths {lengths}")

    @property
    def tensors(self):
        return tuple(Tensor(a) for a in self.arrays)

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)

    def get_batch(self, indices):
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``.

    >>> first_thousand = Subset(train, range(1000))
    """

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, np.asarray(indices, dtype=np.int64).reshape(-1)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return [self.dataset[int(i)] for i in self.indices[np.asarray(index)]]
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices):
        return self.dataset.get_batch(self.indices[np.asarray(indices)])


def batch_getter(dataset):
    """The dataset's ``get_batch`` when it (and, for a Subset, the dataset under it) has one, else None."""
    if isinstance(dataset, Subset):
        return dataset.get_batch if batch_getter(dataset.dataset) is not None else None
    getter = getattr(dataset, "get_batch", None)
    return getter if callable(getter) else None


class ConcatDataset(Dataset):
    """Several datasets one after the other: index len(a) is the first sample of b.

    >>> both = ConcatDataset([mnist_train, mnist_test])      # or mnist_train + mnist_test
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        for i, d in enumerate(self.datasets):
            if not (hasattr(d, "__getitem__") and hasattr(d, "__len__")):
                raise ValueError(f"ConcatDataset: dataset {i} ({type(d).__name__}) has no __getitem__ and __len__")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            if -index > len(self):
                raise IndexError(f"ConcatDataset: index {index} out of range for length {len(self)}")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        if which == len(self.datasets):
            raise IndexError(f"ConcatDataset: index {index} out of range for length {len(self)}")
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


def random_split(dataset, lengths, generator=None, seed=None):
    """Split into non-overlapping Subsets of the given lengths, or fractions that add up to 1
    (the remainder goes round-robin to the first parts, as PyTorch). ``generator`` (a
    numpy.random.Generator) or ``seed`` fixes the shuffle; otherwise sinir's generator is used.

    >>> train, validation = random_split(dataset, [0.9, 0.1], seed=0)
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-9:
        if any(not 0 <= x <= 1 for x in lengths):
            raise ValueError(f"random_split: fractions must lie in [0, 1], got {lengths}")
        counts = [int(np.floor(n * x)) for x in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if any(not isinstance(x, (int, np.integer)) or x < 0 for x in lengths) or sum(lengths) != n:
        raise ValueError(f"random_split: lengths {lengths} must be non-negative integers adding up to the "
                         f"dataset's {n} samples (or fractions adding up to 1)")
    if generator is None:
        generator = np.random.default_rng(seed) if seed is not None else default_generator()
    order = generator.permutation(n)
    bounds = np.cumsum([0] + list(lengths))
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def _array(value):
    return np.asarray(value)
