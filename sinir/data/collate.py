"""Collation: a list of samples -> one batch, as PyTorch's ``default_collate`` does it.

Arrays and tensors are stacked along a new first axis, numbers become a 1-D tensor (ints int64),
tuples and lists are collated field by field (into a list), dicts key by key, strings are kept as
a list. Workers collate into NumPy arrays; ``to_tensors`` turns them into Tensors in the main
process. One difference from PyTorch: floating batches take sinir's default dtype (float32, or
float64 after ``sinir.set_default_dtype``), so that float64 NumPy data feeds a float32 model.
"""
import collections.abc

import numpy as np

from ..tensor import Tensor, _as_array


def collate_arrays(batch):
    """default_collate, leaving arrays as ndarrays (what a worker sends back)."""
    elem = batch[0]
    if isinstance(elem, (Tensor, np.ndarray)):
        shapes = {tuple(np.shape(b)) for b in batch}
        if len(shapes) > 1:
            raise ValueError(f"default_collate: samples of different shapes {sorted(shapes)} cannot be stacked "
                             "(give a collate_fn, or make the samples one shape)")
        return np.stack([np.asarray(b) for b in batch])
    if isinstance(elem, (bool, np.bool_)):
        return np.asarray(batch, dtype=bool)
    if isinstance(elem, (int, np.integer)):
        return np.asarray(batch, dtype=np.int64)
    if isinstance(elem, (float, np.floating)):
        return np.asarray(batch, dtype=np.float64)
    if isinstance(elem, (str, bytes)) or elem is None:
        return list(batch)
    if isinstance(elem, collections.abc.Mapping):
        return {key: collate_arrays([b[key] for b in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):          # a named tuple stays one
        return type(elem)(*(collate_arrays(list(field)) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if len({len(b) for b in batch}) > 1:
            raise ValueError("default_collate: each sample must have the same number of fields")
        return [collate_arrays(list(field)) for field in zip(*batch)]
    raise ValueError(f"default_collate: cannot batch samples of type {type(elem).__name__}; "
                     "give the DataLoader a collate_fn")


def to_tensors(batch):
    """Every ndarray inside ``batch`` (lists, tuples, dicts) as a Tensor, sharing its memory."""
    if isinstance(batch, np.ndarray):
        return Tensor._make(_as_array(batch)) if batch.dtype.kind in "biuf" else batch
    if isinstance(batch, Tensor):
        return batch
    if isinstance(batch, dict):
        return {key: to_tensors(value) for key, value in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*(to_tensors(v) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_tensors(v) for v in batch)
    return batch


def default_collate(batch):
    """A list of samples -> a batch of Tensors (see the module docstring).

    >>> default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    [tensor([[0., 0., 0.], [1., 1., 1.]]), tensor([1, 0])]
    """
    if not batch:
        raise ValueError("default_collate: got an empty batch")
    return to_tensors(collate_arrays(batch))


def default_convert(sample):
    """batch_size=None with a sampler: one sample, its arrays made Tensors."""
    return to_tensors(sample)
