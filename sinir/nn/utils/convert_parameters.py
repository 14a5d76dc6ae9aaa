"""All parameters as one flat vector and back (for second-order methods, weight averaging, ...)."""
import numpy as np

from ...tensor import Tensor


def _as_list(parameters):
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def parameters_to_vector(parameters):
    """One 1-D Tensor holding every parameter's values, in order (a copy, no gradient).

    >>> parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    arrays = [np.asarray(p).reshape(-1) for p in _as_list(parameters)]
    if not arrays:
        raise ValueError("parameters_to_vector: got no parameters")
    return Tensor(np.concatenate(arrays), dtype=arrays[0].dtype)


def vector_to_parameters(vec, parameters):
    """Copy the values of a 1-D ``vec`` into the parameters, in order (the reverse of
    parameters_to_vector)."""
    values = np.asarray(vec)
    parameters = _as_list(parameters)
    total = sum(p.numel() for p in parameters)
    if values.ndim != 1 or values.size != total:
        raise ValueError(f"vector_to_parameters: expected a 1-D vector of {total} values, got shape {tuple(values.shape)}")
    start = 0
    for p in parameters:
        target = np.asarray(p)
        target[...] = values[start:start + target.size].reshape(target.shape)
        start += target.size
