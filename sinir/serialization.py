"""``sinir.save`` and ``sinir.load``: tensors and (nested) state dicts in safetensors files.

safetensors is the ecosystem's safe tensor format: a small JSON header (names, dtypes, shapes,
byte offsets) followed by the raw bytes. Loading runs no code (unlike pickle), the header's size
is bounded, and every tensor must lie inside the file, so reading never allocates more than the
file holds. PyTorch, JAX and others read the same files.

>>> sinir.save(model.state_dict(), "lenet5.safetensors")      # as torch.save(model.state_dict(), ...)
>>> model.load_state_dict(sinir.load("lenet5.safetensors"))
>>> # in PyTorch: torch_model.load_state_dict(safetensors.torch.load_file("lenet5.safetensors"))

What can be saved: a Tensor or ndarray; a dict of them (a state dict: stored under its own keys,
so other libraries read it as is); or any nesting of dicts (str or int keys), lists and tuples
whose leaves are tensors, numbers, strings, booleans or None (an optimizer's state_dict). Nested
tensors are stored under their path joined by '/' (``state/0/exp_avg``) and the structure as
JSON in the header's metadata. Loaded tensors are sinir Tensors, lists stay lists.
"""
import json
import math
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .files import FileError, atomic_write, regular_file_size

FORMAT_KEY = "sinir.format"
TREE_KEY = "sinir.tree"
MAX_DEPTH = 64


class LoadError(ValueError):
    """A file is missing, not a safetensors file, corrupt, or holds something sinir does not read."""


def _is_tensor(value):
    from .tensor import Tensor
    return isinstance(value, (Tensor, np.ndarray))


def _array(value, where):
    array = np.ascontiguousarray(np.asarray(value))
    if array.dtype.kind not in "biuf":
        raise ValueError(f"sinir.save: {where} has dtype {array.dtype}; only bool, integer and float tensors")
    return array


def _flatten(value, path, tensors, depth=0):
    """A JSON node for ``value``; tensors are moved into ``tensors`` under the joined path."""
    where = "/".join(path) or "the object"
    if depth > MAX_DEPTH:
        raise ValueError(f"sinir.save: {where} is nested more than {MAX_DEPTH} levels deep")
    if _is_tensor(value):
        key = "/".join(path) or "tensor"
        if key in tensors:
            raise ValueError(f"sinir.save: two entries are both stored as {key!r} (a key holds '/')")
        tensors[key] = _array(value, where)
        return {"t": key}
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if isinstance(key, (bool, np.bool_)) or not isinstance(key, (str, int, np.integer)):
                raise ValueError(f"sinir.save: {where} has a key of type {type(key).__name__}; keys must be "
                                 "strings or integers")
            key = key if isinstance(key, str) else int(key)
            items.append([key, _flatten(item, path + [str(key)], tensors, depth + 1)])
        return {"d": items}
    if isinstance(value, (list, tuple)):
        return {"l": [_flatten(item, path + [str(i)], tensors, depth + 1) for i, item in enumerate(value)]}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return {"f": repr(value)}          # 'nan', 'inf', '-inf': JSON has no such numbers
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"v": value}
    raise ValueError(f"sinir.save: cannot store {where} of type {type(value).__name__}: only tensors, arrays, "
                     "numbers, strings, booleans, None, lists and dicts (no pickles)")


def to_safetensors(obj, metadata=None):
    """(tensors, metadata) for ``obj``: what ``save`` writes."""
    if _is_tensor(obj):
        return {"tensor": _array(obj, "the tensor")}, {FORMAT_KEY: "tensor", **(metadata or {})}
    if isinstance(obj, dict) and obj and all(isinstance(k, str) and _is_tensor(v) for k, v in obj.items()):
        tensors = {key: _array(value, key) for key, value in obj.items()}
        return tensors, {FORMAT_KEY: "state_dict", **(metadata or {})}
    tensors = {}
    tree = _flatten(obj, [], tensors)
    return tensors, {FORMAT_KEY: "tree", TREE_KEY: json.dumps(tree, allow_nan=False), **(metadata or {})}


def save(obj, path, metadata=None):
    """Write ``obj`` (a tensor, a state dict, or nested dicts/lists of them) to ``path`` as
    safetensors, atomically (a temporary file renamed into place). ``metadata``: extra str -> str
    entries for the header. Returns the path."""
    from safetensors.numpy import save as to_bytes
    tensors, header = to_safetensors(obj, metadata)
    data = to_bytes(tensors, metadata=header)
    return atomic_write(path, lambda file: file.write(data))


class SafetensorsFile:
    """An open safetensors file: names, shapes and dtypes from the header, tensors read on demand.

    >>> with SafetensorsFile("model.safetensors") as f:
    ...     f.shapes["conv1.weight"], f.dtypes["conv1.weight"]     # checked before any tensor is read
    """

    def __init__(self, path, what="safetensors file", error=LoadError):
        from safetensors import safe_open
        self.path, self.error = Path(path), error
        try:
            regular_file_size(self.path, what)
            self._file = safe_open(str(self.path), framework="numpy")
            self.metadata = dict(self._file.metadata() or {})
            self.keys = list(self._file.keys())
            self.shapes, self.dtypes = {}, {}
            for key in self.keys:
                tensor_slice = self._file.get_slice(key)
                self.shapes[key] = tuple(tensor_slice.get_shape())
                self.dtypes[key] = tensor_slice.get_dtype()
        except FileError as caught:
            raise error(str(caught)) from None
        except Exception as caught:   # safetensors' own error types are not exported; any of them means corrupt
            raise error(f"{self.path}: not a readable {what} ({_one_line(caught)})") from None

    def tensor(self, key):
        """The tensor ``key`` as an ndarray (copied out of the file)."""
        try:
            return np.array(self._file.get_tensor(key))
        except Exception as caught:
            raise self.error(f"{self.path}: cannot read tensor {key!r} ({_one_line(caught)})") from None

    def close(self):
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _one_line(error):
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _to_tensor(array):
    from .tensor import Tensor
    return Tensor(array, dtype=array.dtype)


def _unflatten(node, file, used, depth=0):
    if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
        raise LoadError(f"{file.path}: the structure in the metadata is malformed")
    (kind, body), = node.items()
    if kind == "t":
        if not isinstance(body, str) or body not in file.shapes or body in used:
            raise LoadError(f"{file.path}: the structure names a tensor {body!r} the file does not hold")
        used.add(body)
        return _to_tensor(file.tensor(body))
    if kind == "d" and isinstance(body, list):
        result = OrderedDict()
        for pair in body:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int))
                    and not isinstance(pair[0], bool)):
                raise LoadError(f"{file.path}: the structure in the metadata is malformed")
            result[pair[0]] = _unflatten(pair[1], file, used, depth + 1)
        return result
    if kind == "l" and isinstance(body, list):
        return [_unflatten(item, file, used, depth + 1) for item in body]
    if kind == "f" and body in ("nan", "inf", "-inf"):
        return float(body)
    if kind == "v" and (body is None or isinstance(body, (bool, int, float, str))):
        return body
    raise LoadError(f"{file.path}: the structure in the metadata is malformed")


def load(path):
    """Read what ``save`` wrote (or any safetensors file: a dict of Tensors); runs no code.

    Raises LoadError, naming the file, for anything that is not a readable safetensors file.
    """
    with SafetensorsFile(path) as file:
        kind = file.metadata.get(FORMAT_KEY)
        if kind == "tensor" and file.keys == ["tensor"]:
            return _to_tensor(file.tensor("tensor"))
        if kind == "tree":
            try:
                tree = json.loads(file.metadata.get(TREE_KEY, ""))
            except (ValueError, RecursionError):
                raise LoadError(f"{file.path}: the structure in the metadata is not valid JSON") from None
            try:
                return _unflatten(tree, file, set())
            except RecursionError:
                raise LoadError(f"{file.path}: the structure in the metadata is nested too deeply") from None
        return OrderedDict((key, _to_tensor(file.tensor(key))) for key in file.keys)
