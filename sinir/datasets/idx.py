"""The IDX file format of MNIST and Fashion-MNIST: a magic number, the dimensions, the bytes.

    magic:  0x00 0x00 <type> <number of dimensions>     (type 0x08 = unsigned byte)
    dims:   one big-endian uint32 per dimension
    data:   prod(dims) values, row-major

Files may be gzip-compressed. Anything that does not fit this layout raises DatasetError
naming the file, so a truncated download never becomes a wrong array.
"""
import gzip
import zlib
from pathlib import Path

import numpy as np

IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
             0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


class DatasetError(ValueError):
    """A data file is missing, unreadable or corrupt."""


def read_bytes(path):
    """The file's bytes, decompressed if it is gzip (recognised by its first two bytes)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DatasetError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DatasetError(f"{path}: the gzip data is corrupt or truncated ({error})") from None
    return raw


def parse_idx(data, name="<bytes>"):
    """Decode IDX bytes into an ndarray, checking the header and the exact length."""
    if len(data) < 4:
        raise DatasetError(f"{name}: too short to be an IDX file ({len(data)} bytes)")
    zero, type_code, ndim = int.from_bytes(data[:2], "big"), data[2], data[3]
    if zero != 0 or type_code not in IDX_TYPES or ndim == 0:
        raise DatasetError(f"{name}: not an IDX file (magic number {data[:4].hex()})")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{name}: the header is truncated")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(IDX_TYPES[type_code])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected:
        raise DatasetError(f"{name}: the header announces shape {shape} ({expected} bytes) but the file "
                           f"holds {len(data)} bytes: truncated or corrupt")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path):
    """Read an IDX file (raw or .gz) into an ndarray.

    >>> images = read_idx("train-images-idx3-ubyte.gz")     # (60000, 28, 28) uint8
    """
    return parse_idx(read_bytes(path), str(path))


def write_idx(path, array):
    """Write an uint8 array as an IDX file (gzip-compressed if the name ends in .gz)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    data = header + array.tobytes()
    Path(path).write_bytes(gzip.compress(data, mtime=0) if str(path).endswith(".gz") else data)
