"""What PyTorch's functions return besides tensors: ``Size`` and the (values, indices) pairs.

>>> values, indices = x.max(dim=1)          # or x.max(1).indices
>>> x.size()
sinir.Size([2, 3])
"""
from collections import namedtuple


class Size(tuple):
    """A tensor's shape: a tuple of ints (``x.size()``, ``x.shape``), as ``torch.Size``."""

    __slots__ = ()

    def __repr__(self):
        return f"sinir.Size({list(self)})"

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        count = 1
        for n in self:
            count *= n
        return count

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))


max = namedtuple("max", ["values", "indices"])
min = namedtuple("min", ["values", "indices"])
sort = namedtuple("sort", ["values", "indices"])
topk = namedtuple("topk", ["values", "indices"])
kthvalue = namedtuple("kthvalue", ["values", "indices"])
median = namedtuple("median", ["values", "indices"])
mode = namedtuple("mode", ["values", "indices"])
