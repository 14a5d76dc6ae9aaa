"""Checkpoints: one .npz file of plain arrays and JSON text, never pickles.

    model/<name>              each parameter and buffer, under its state_dict name
    optimizer/<index>/<name>  each array of the optimizer's per-parameter state
    meta                      JSON: format, model name and configuration, epoch, history,
                              optimizer groups and scalar state, random states, ...

Written to a temporary file beside the target and renamed into place, so a crash or Ctrl-C
never leaves half a checkpoint. Read with ``allow_pickle=False``: loading runs no code.
"""
import json
import zipfile
from pathlib import Path

import numpy as np

from .files import atomic_write

FORMAT = "sinir-checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """The file is missing, unreadable, or not a sinir checkpoint."""


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def save(path, model, meta, optimizer=None):
    """Write model weights, optimizer state and ``meta`` (a JSON-able dict) to ``path`` atomically."""
    arrays = {f"model/{name}": value for name, value in model.state_dict().items()}
    meta = dict(meta, format=FORMAT, version=VERSION)
    if optimizer is not None:
        state = optimizer.state_dict()
        scalars = {}
        for index, values in state["state"].items():
            for name, value in values.items():
                if isinstance(value, np.ndarray):
                    arrays[f"optimizer/{index}/{name}"] = value
                else:
                    scalars.setdefault(str(index), {})[name] = value
        meta["optimizer"] = {"param_groups": state["param_groups"], "scalars": scalars}
    arrays["meta"] = np.array(json.dumps(_jsonable(meta)))
    return atomic_write(path, lambda file: np.savez(file, **arrays))


def load(path):
    """Read a checkpoint: returns (model_state, optimizer_state or None, meta)."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            if file.read(4) != b"PK\x03\x04":
                raise CheckpointError(f"{path}: not a sinir checkpoint (not an .npz archive)")
        with np.load(path, allow_pickle=False) as archive:
            contents = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such file") from None
    except CheckpointError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise CheckpointError(f"{path}: not a readable checkpoint ({error})") from None
    try:
        meta = json.loads(str(contents.pop("meta")))
    except (KeyError, json.JSONDecodeError):
        raise CheckpointError(f"{path}: not a sinir checkpoint (no metadata)") from None
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a sinir checkpoint (format {meta.get('format')!r})")
    model_state = {name[len("model/"):]: value for name, value in contents.items() if name.startswith("model/")}
    optimizer_state = None
    if "optimizer" in meta:
        state = {}
        for index, values in meta["optimizer"]["scalars"].items():
            state.setdefault(int(index), {}).update(values)
        for name, value in contents.items():
            if name.startswith("optimizer/"):
                _, index, key = name.split("/", 2)
                state.setdefault(int(index), {})[key] = value
        optimizer_state = {"state": state, "param_groups": meta["optimizer"]["param_groups"]}
    return model_state, optimizer_state, meta
