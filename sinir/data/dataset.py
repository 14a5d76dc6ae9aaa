"""Datasets: indexable collections of samples."""
import numpy as np

from ..tensor import Tensor


class Dataset:
    """A collection of samples: ``len(dataset)`` and ``dataset[i]`` -> (x, y) or any tuple.

    ``get_batch(indices)`` collates samples into arrays; subclasses that can index many samples
    at once (TensorDataset) override it to skip the Python loop.
    """

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError

    def get_batch(self, indices):
        samples = [self[int(i)] for i in indices]
        if not isinstance(samples[0], tuple):
            return (np.stack([_array(s) for s in samples]),)
        return tuple(np.stack([_array(s[k]) for s in samples]) for k in range(len(samples[0])))


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

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)

    def get_batch(self, indices):
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, np.asarray(indices)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices):
        return self.dataset.get_batch(self.indices[indices])


def random_split(dataset, lengths, seed=None):
    """Split into non-overlapping Subsets of the given lengths (or fractions), shuffled by ``seed``."""
    from ..random import default_generator
    n = len(dataset)
    if all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-9:
        counts = [int(n * x) for x in lengths]
        counts[0] += n - sum(counts)
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: lengths {lengths} add up to {sum(lengths)}, the dataset has {n}")
    generator = np.random.default_rng(seed) if seed is not None else default_generator()
    order = generator.permutation(n)
    bounds = np.cumsum([0] + list(lengths))
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def _array(value):
    return value.data if isinstance(value, Tensor) else np.asarray(value)
