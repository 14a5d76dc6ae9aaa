"""Writing files so that nothing is ever half-written: a temporary file beside the target,
renamed into place only once it is complete (a crash or Ctrl-C leaves the old file intact)."""
import os
import tempfile
from pathlib import Path


def atomic_write(path, write):
    """Call ``write(file)`` on a temporary binary file, then rename it to ``path``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
