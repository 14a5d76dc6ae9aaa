"""Files, safely.

Writing: nothing is ever half-written. ``atomic_write`` writes a temporary file beside the target
(``.NAME.PID.XXXX.tmp``) and renames it into place only once it is complete, so a crash, Ctrl-C or
kill -9 leaves the old file intact; ``remove_stale_temporaries`` deletes what a killed writer left
(its process id is in the name, so a write still in progress is never touched).

Reading: only regular files are opened. A FIFO, a device such as /dev/zero or a folder is refused
before a byte is read (opened without blocking, then checked with fstat), and a file larger than
its content can be is refused before it is read.
"""
import os
import re
import stat
import tempfile
from pathlib import Path


class FileError(ValueError):
    """A file cannot be read or written as asked (missing, not a regular file, too large, ...)."""


def open_regular(path, what="file"):
    """Open ``path`` for binary reading, refusing anything but a regular file; returns the file object."""
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a folder, not a {what}") from None
    except OSError as error:
        raise FileError(f"{path}: cannot open the {what} ({error.strerror or error})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else
                    "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "not a regular file")
            raise FileError(f"{path}: is {kind}, not a regular {what}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def regular_file_size(path, what="file"):
    """The size of a regular file in bytes (FileError for anything else)."""
    with open_regular(path, what) as file:
        return os.fstat(file.fileno()).st_size


def read_regular(path, max_bytes=None, what="file"):
    """The bytes of a regular file, refusing one larger than ``max_bytes``."""
    with open_regular(path, what) as file:
        size = os.fstat(file.fileno()).st_size
        if max_bytes is not None and size > max_bytes:
            raise FileError(f"{path}: {size:,} bytes is more than a {what} can hold ({max_bytes:,} at most)")
        try:
            data = file.read(size + 1 if max_bytes is None else min(size, max_bytes) + 1)
        except OSError as error:
            raise FileError(f"{path}: cannot read the {what} ({error.strerror or error})") from None
        if max_bytes is not None and len(data) > max_bytes:
            raise FileError(f"{path}: the {what} grew beyond {max_bytes:,} bytes while being read")
        return data


def atomic_write(path, write):
    """Call ``write(file)`` on a temporary binary file, then rename it to ``path``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the target's name, shortened so that a long one (up to 255 bytes) still leaves room for the rest
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:64]}.{os.getpid()}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle, 0o666 & ~umask)          # mkstemp makes 0600; a checkpoint is an ordinary file
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder):
    """Delete the temporary files that writers killed mid-write left in ``folder``; returns their paths."""
    folder = Path(folder)
    removed = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _TEMPORARY.match(entry.name)
        if match and entry.is_file() and not _process_alive(int(match.group(1))):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def check_writable(folder, what="output folder"):
    """Create ``folder`` if needed and make sure a file can be written in it (FileError if not)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=f".write-test.{os.getpid()}.", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise FileError(f"{folder}: cannot write in the {what} ({error.strerror or error})") from None
    return folder
