"""Checkpoints: one safetensors file with the weights, the optimizer's state and validated JSON.

    <name>                          each parameter and buffer under its state_dict name (PyTorch's
                                    keys: the weights load into the same PyTorch model)
    optimizer/<index>/<name>        each tensor of the optimizer's per-parameter state
    header metadata "sinir.checkpoint"   JSON: model name and configuration, dataset, normalisation,
                                    epoch, history, the run's config, random states, the scheduler's
                                    state, the optimizer's groups and scalar state

Written to a temporary file beside the target and renamed into place (a crash, Ctrl-C or kill -9
never leaves half a checkpoint); never written from NaN or inf weights. Reading runs no code,
allocates no more than the file holds, and checks every tensor's name, shape and dtype against
the model before anything is copied (``load(path, model)``).

Checkpoints of sinir 0.1 and earlier (``.npz``) are converted with ``sinir convert OLD.npz``.

>>> checkpoint.save("runs/lenet5/last.safetensors", model, meta, optimizer)
>>> model_state, optimizer_state, meta = checkpoint.load("runs/lenet5/last.safetensors", model)
"""
import json
import math
from pathlib import Path

import numpy as np

from .files import atomic_write
from .serialization import LoadError, SafetensorsFile

FORMAT = "sinir-checkpoint"
VERSION = 2
META_KEY = "sinir.checkpoint"
SUFFIX = ".safetensors"
NUMPY_DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64, "I8": np.int8, "I16": np.int16,
                "I32": np.int32, "I64": np.int64, "U8": np.uint8, "BOOL": np.bool_}


class CheckpointError(LoadError):
    """The file is missing, unreadable, not a sinir checkpoint, or does not fit the model."""


def json_safe(value):
    """``value`` with numpy scalars as numbers and NaN/inf as None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _array(value):
    return np.ascontiguousarray(np.asarray(value))


def save(path, model, meta, optimizer=None):
    """Write model weights, optimizer state and ``meta`` (a JSON-able dict) to ``path`` atomically.

    Raises FloatingPointError, writing nothing, if a weight is NaN or inf.
    """
    from safetensors.numpy import save as to_bytes
    tensors = {name: _array(value) for name, value in model.state_dict().items()}
    bad = [name for name, value in tensors.items() if value.dtype.kind == "f" and not np.isfinite(value).all()]
    if bad:
        raise FloatingPointError(f"{path}: not written, the weights {', '.join(bad[:3])} hold NaN or inf")
    meta = dict(meta, format=FORMAT, version=VERSION)
    if optimizer is not None:
        state = optimizer.state_dict()
        scalars = {}
        for index, values in state["state"].items():
            for name, value in values.items():
                if isinstance(value, np.ndarray) or hasattr(value, "__array__") and np.ndim(value) > 0:
                    tensors[f"optimizer/{index}/{name}"] = _array(value)
                else:
                    scalars.setdefault(str(index), {})[name] = value
        meta["optimizer"] = {"param_groups": state["param_groups"], "scalars": scalars}
    text = json.dumps(json_safe(meta), allow_nan=False)
    data = to_bytes(tensors, metadata={META_KEY: text})
    return atomic_write(path, lambda file: file.write(data))


# ----- reading and validating ------------------------------------------------------------------------
def _require(condition, path, message):
    if not condition:
        raise CheckpointError(f"{path}: {message}")


def _is_number(value, allow_none=False):
    return (value is None and allow_none) or (isinstance(value, (int, float)) and not isinstance(value, bool))


def validate_meta(meta, path):
    """Check the metadata's types and ranges; raise CheckpointError naming what is wrong."""
    _require(isinstance(meta, dict), path, "the checkpoint's metadata is not a JSON object")
    _require(meta.get("format") == FORMAT, path, f"not a sinir checkpoint (format {meta.get('format')!r})")
    _require(isinstance(meta.get("model"), str), path, "the checkpoint names no model")
    config = meta.get("model_config", {})
    _require(isinstance(config, dict) and all(isinstance(k, str) and (_is_number(v) or isinstance(v, (bool, str)))
                                              for k, v in config.items()),
             path, "the model configuration must map names to numbers, booleans or strings")
    _require(meta.get("dataset") is None or isinstance(meta["dataset"], str), path, "the dataset name is not text")
    epoch = meta.get("epoch", 0)
    _require(isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 0, path,
             f"the epoch must be a non-negative integer, got {epoch!r}")
    history = meta.get("history", [])
    _require(isinstance(history, list) and all(
        isinstance(h, dict) and all(_is_number(v, allow_none=True) for v in h.values()) for h in history),
        path, "the history must be a list of epochs, each mapping metric names to numbers")
    normalization = meta.get("normalization", [0.0, 1.0])
    _require(isinstance(normalization, list) and len(normalization) == 2
             and all(_is_number(v) and math.isfinite(v) for v in normalization) and normalization[1] > 0,
             path, f"the normalization must be [mean, std] with std > 0, got {normalization!r}")
    size = meta.get("dataset_size")
    _require(size is None or (isinstance(size, int) and not isinstance(size, bool) and size >= 0), path,
             f"the dataset size must be a non-negative integer, got {size!r}")
    for name in ("config", "rng_state", "loader_state", "scheduler"):
        _require(meta.get(name) is None or isinstance(meta[name], dict), path, f"{name} must be a JSON object")
    optimizer = meta.get("optimizer")
    if optimizer is not None:
        _require(isinstance(optimizer, dict) and isinstance(optimizer.get("param_groups"), list)
                 and all(isinstance(g, dict) and isinstance(g.get("params"), list)
                         and all(_is_setting(v) for v in g.values()) for g in optimizer["param_groups"])
                 and isinstance(optimizer.get("scalars", {}), dict)
                 and all(isinstance(v, dict) and all(_is_setting(x) for x in v.values())
                         for v in optimizer.get("scalars", {}).values()),
                 path, "the optimizer's state is malformed")
    scheduler = meta.get("scheduler")
    _require(scheduler is None or all(_is_setting(v) for v in scheduler.values()), path,
             "the scheduler's state is malformed")
    return meta


def _is_setting(value, depth=0):
    """A number, boolean, string or None, or lists of them nested at most 3 deep: what optimizer and
    scheduler settings are (OneCycleLR keeps its phases as a list of tuples)."""
    if isinstance(value, list):
        return depth < 3 and all(_is_setting(v, depth + 1) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def check_tensors_fit(file, model, path):
    """Every tensor of ``model.state_dict()`` must be in ``file`` with its shape and dtype kind."""
    expected = {name: _array(value) for name, value in model.state_dict().items()}
    stored = {key for key in file.keys if not key.startswith("optimizer/")}
    missing, unexpected = sorted(set(expected) - stored), sorted(stored - set(expected))
    _require(not missing and not unexpected, path,
             f"the weights do not fit model {type(model).__name__}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    for name, value in expected.items():
        shape, dtype = file.shapes[name], NUMPY_DTYPES.get(file.dtypes[name])
        _require(shape == value.shape, path, f"{name} has shape {shape}, the model expects {value.shape}")
        _require(dtype is not None and np.dtype(dtype).kind == value.dtype.kind, path,
                 f"{name} has dtype {file.dtypes[name]}, the model expects {value.dtype}")


def _open(path):
    """(SafetensorsFile, validated meta) of a checkpoint, reading only its header."""
    path = Path(path)
    try:
        from .files import open_regular
        with open_regular(path, "checkpoint") as handle:
            magic = handle.read(4)
    except LoadError:
        raise
    except ValueError as error:       # FileError
        raise CheckpointError(str(error)) from None
    if magic == b"PK\x03\x04":
        raise CheckpointError(f"{path}: an old .npz checkpoint (sinir 0.1); convert it first with: "
                              f"sinir convert {path}")
    file = SafetensorsFile(path, "checkpoint", CheckpointError)
    text = file.metadata.get(META_KEY)
    _require(text is not None, path, "not a sinir checkpoint (no checkpoint metadata; a file of weights "
                                     "written by sinir.save is read with sinir.load)")
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError):
        raise CheckpointError(f"{path}: the checkpoint's metadata is not valid JSON") from None
    return file, validate_meta(meta, path)


def read_meta(path):
    """A checkpoint's validated metadata, without reading its tensors."""
    return _open(path)[1]


def load(path, model=None):
    """Read a checkpoint: returns (model_state, optimizer_state or None, meta).

    With ``model``, every weight's name, shape and dtype is checked against it before any is read.
    """
    file, meta = _open(path)
    if model is not None:
        check_tensors_fit(file, model, path)
    model_state = {key: file.tensor(key) for key in file.keys if not key.startswith("optimizer/")}
    optimizer_state = None
    if meta.get("optimizer") is not None:
        state = {}
        try:
            for index, values in meta["optimizer"].get("scalars", {}).items():
                state.setdefault(int(index), {}).update(values)
            for key in file.keys:
                if key.startswith("optimizer/"):
                    _, index, name = key.split("/", 2)
                    state.setdefault(int(index), {})[name] = file.tensor(key)
        except (ValueError, TypeError, AttributeError):
            raise CheckpointError(f"{path}: the optimizer's state is malformed") from None
        optimizer_state = {"state": state, "param_groups": meta["optimizer"]["param_groups"]}
    return model_state, optimizer_state, meta


def convert(source, destination=None):
    """Convert a sinir 0.1 ``.npz`` checkpoint into a ``.safetensors`` one (read without pickles)."""
    import zipfile
    from safetensors.numpy import save as to_bytes
    from .files import FileError, open_regular
    source = Path(source)
    destination = Path(destination) if destination else source.with_suffix(SUFFIX)
    try:
        with open_regular(source, "checkpoint") as handle:
            with np.load(handle, allow_pickle=False) as archive:
                contents = {name: archive[name] for name in archive.files}
    except FileError as error:
        raise CheckpointError(str(error)) from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise CheckpointError(f"{source}: not a readable .npz checkpoint ({error})") from None
    try:
        meta = json.loads(str(contents.pop("meta")))
    except (KeyError, ValueError):
        raise CheckpointError(f"{source}: not a sinir checkpoint (no metadata)") from None
    meta["version"] = VERSION
    validate_meta(meta, source)
    tensors = {}
    for name, value in contents.items():
        if name.startswith("model/"):
            tensors[name[len("model/"):]] = np.ascontiguousarray(value)
        elif name.startswith("optimizer/"):
            tensors[name] = np.ascontiguousarray(value)
    data = to_bytes(tensors, metadata={META_KEY: json.dumps(json_safe(meta), allow_nan=False)})
    return atomic_write(destination, lambda file: file.write(data))
