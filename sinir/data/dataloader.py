"""DataLoader: batches of Tensors from a Dataset, shuffled each epoch."""
import numpy as np

from ..random import default_generator
from ..tensor import Tensor, _as_array
from .dataset import Dataset, TensorDataset


class DataLoader:
    """Iterate over a dataset in batches of Tensors.

    The course's three ways of training are one switch: ``batch_size=1`` is online learning
    (one sample per step), ``batch_size=None`` is full batch (the whole set per step), anything
    else is mini-batch. ``seed`` fixes the shuffling order; without it sinir's generator is used
    (``sinir.manual_seed``).

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, seed=0)
    >>> for images, labels in loader:
    ...     ...
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, seed=None):
        if not isinstance(dataset, Dataset):
            raise ValueError(f"DataLoader: expected a Dataset, got {type(dataset).__name__} "
                             "(wrap arrays in TensorDataset)")
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
                                       or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive integer or None (full batch), "
                             f"got {batch_size!r}")
        self.dataset, self.shuffle, self.drop_last = dataset, shuffle, drop_last
        self.batch_size = batch_size
        self.generator = np.random.Generator(np.random.PCG64(seed)) if seed is not None else None

    @property
    def effective_batch_size(self):
        return len(self.dataset) if self.batch_size is None else self.batch_size

    def __len__(self):
        n, size = len(self.dataset), max(self.effective_batch_size, 1)
        return n // size if self.drop_last else -(-n // size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = (self.generator or default_generator()).permutation(n)
        else:
            order = np.arange(n)
        size = max(self.effective_batch_size, 1)
        for start in range(0, n, size):
            indices = order[start:start + size]
            if self.drop_last and len(indices) < size:
                break
            yield tuple(Tensor._make(_as_array(part)) for part in self.dataset.get_batch(indices))

    def get_state(self):
        """The shuffling generator's state (None when sinir's global one is used)."""
        return None if self.generator is None else self.generator.bit_generator.state

    def set_state(self, state):
        if state is not None:
            self.generator = np.random.Generator(np.random.PCG64())
            self.generator.bit_generator.state = state
