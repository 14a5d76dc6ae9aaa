"""The IDX file format of MNIST and Fashion-MNIST: a magic number, the dimensions, the bytes.

    magic:  0x00 0x00 <type> <number of dimensions>     (type 0x08 = unsigned byte)
    dims:   one big-endian uint32 per dimension
    data:   prod(dims) values, row-major

Files may be gzip-compressed. Anything that does not fit this layout raises DatasetError
naming the file, so a truncated download never becomes a wrong array. Reading is bounded by
what the header announces: the sizes are checked before anything is allocated, a raw file must
be exactly as long as its header says, and a gzip file is decompressed as a stream that stops
as soon as it yields more than the header announced (no decompression bombs); memory stays
within about twice the data's size.
"""
import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from ..files import FileError, open_regular

IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
             0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
MAX_BYTES = 2 ** 30          # the largest IDX data read (1 GiB; the MNIST training images are 47 MB)
CHUNK = 1 << 20


class DatasetError(ValueError):
    """A data file is missing, unreadable or corrupt."""


def _header(first, name, max_bytes):
    """(header length, shape, dtype, total length) from the first bytes; DatasetError if malformed."""
    if len(first) < 4:
        raise DatasetError(f"{name}: too short to be an IDX file ({len(first)} bytes)")
    zero, type_code, ndim = int.from_bytes(first[:2], "big"), first[2], first[3]
    if zero != 0 or type_code not in IDX_TYPES or ndim == 0:
        raise DatasetError(f"{name}: not an IDX file (magic number {bytes(first[:4]).hex()})")
    header = 4 + 4 * ndim
    if len(first) < header:
        raise DatasetError(f"{name}: the header is truncated")
    shape = tuple(int.from_bytes(first[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(IDX_TYPES[type_code])
    size = dtype.itemsize
    for n in shape:
        size *= n
    if size > max_bytes:
        raise DatasetError(f"{name}: the header announces shape {shape} ({size:,} bytes), more than the "
                           f"{max_bytes:,} bytes an IDX file may hold here")
    return header, shape, dtype, header + size


def _array(data, header, shape, dtype):
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="), copy=False)


def parse_idx(data, name="<bytes>", max_bytes=MAX_BYTES):
    """Decode IDX bytes into an ndarray, checking the header and the exact length."""
    header, shape, dtype, expected = _header(data[:4 + 4 * 255], name, max_bytes)
    if len(data) != expected:
        raise DatasetError(f"{name}: the header announces shape {shape} ({expected} bytes) but the file "
                           f"holds {len(data)} bytes: truncated or corrupt")
    return _array(data, header, shape, dtype)


class _GzipStream:
    """Decompressed bytes of a gzip file, on demand, never more than asked for."""

    def __init__(self, file, name):
        self.file, self.name = file, name
        self.decompressor = zlib.decompressobj(wbits=31)
        self.buffer = b""        # compressed bytes fed but not yet used

    def read(self, limit):
        """Up to ``limit`` decompressed bytes (fewer only at the end of the data)."""
        out = bytearray()
        try:
            while len(out) < limit:
                if self.decompressor.eof:            # the end of a gzip member: another may follow
                    rest = self.decompressor.unused_data
                    if len(rest) < 2:
                        rest += self.file.read(CHUNK)
                    if not rest:
                        break
                    if rest[:2] != b"\x1f\x8b":
                        raise DatasetError(f"{self.name}: bytes after the end of the gzip data")
                    self.decompressor, self.buffer = zlib.decompressobj(wbits=31), rest
                    continue
                if not self.buffer:
                    self.buffer = self.file.read(CHUNK)
                    if not self.buffer:
                        raise DatasetError(f"{self.name}: the gzip data is corrupt or truncated (it ends early)")
                out += self.decompressor.decompress(self.buffer, limit - len(out))
                self.buffer = self.decompressor.unconsumed_tail
        except zlib.error as error:
            raise DatasetError(f"{self.name}: the gzip data is corrupt or truncated ({error})") from None
        return bytes(out)

    def at_end(self):
        """True when nothing but the end of the gzip stream follows."""
        return not self.read(1)


def read_idx(path, max_bytes=MAX_BYTES):
    """Read an IDX file (raw or .gz) into an ndarray.

    >>> images = read_idx("train-images-idx3-ubyte.gz")     # (60000, 28, 28) uint8
    """
    path = Path(path)
    name = str(path)
    try:
        with open_regular(path, "data file") as file:
            file_size = os.fstat(file.fileno()).st_size
            magic = file.read(2)
            if magic == b"\x1f\x8b":
                file.seek(0)
                stream = _GzipStream(file, name)
                first = stream.read(4)
                first += stream.read(4 * first[3]) if len(first) == 4 else b""
                header, shape, dtype, expected = _header(first, name, max_bytes)
                data = bytearray(first)
                while len(data) < expected:
                    piece = stream.read(min(CHUNK * 4, expected - len(data)))
                    if not piece:
                        break
                    data += piece
                if len(data) != expected or not stream.at_end():
                    raise DatasetError(f"{name}: the header announces shape {shape} ({expected:,} bytes) but the "
                                       f"gzip data holds {'fewer' if len(data) < expected else 'more'}: "
                                       "truncated or corrupt")
            else:
                first = magic + file.read(2)
                first += file.read(4 * first[3]) if len(first) == 4 else b""
                header, shape, dtype, expected = _header(first, name, max_bytes)
                if file_size != expected:
                    raise DatasetError(f"{name}: the header announces shape {shape} ({expected:,} bytes) but the "
                                       f"file holds {file_size:,} bytes: truncated or corrupt")
                data = bytearray(first) + file.read(expected - len(first))
                if len(data) != expected:
                    raise DatasetError(f"{name}: the file changed while being read")
    except FileError as error:
        raise DatasetError(str(error)) from None
    except OSError as error:
        raise DatasetError(f"{name}: cannot read the file ({error.strerror or error})") from None
    return _array(data, header, shape, dtype)


def read_bytes(path, max_bytes=MAX_BYTES):
    """The file's bytes (at most ``max_bytes``), decompressed as a bounded stream if it is gzip."""
    path = Path(path)
    try:
        with open_regular(path, "file") as file:
            if file.read(2) == b"\x1f\x8b":
                file.seek(0)
                stream = _GzipStream(file, str(path))
                data = stream.read(max_bytes + 1)
            else:
                file.seek(0)
                data = file.read(max_bytes + 1)
    except FileError as error:
        raise DatasetError(str(error)) from None
    except OSError as error:
        raise DatasetError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise DatasetError(f"{path}: more than {max_bytes:,} bytes")
    return data


def write_idx(path, array):
    """Write an uint8 array as an IDX file (gzip-compressed if the name ends in .gz)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    data = header + array.tobytes()
    Path(path).write_bytes(gzip.compress(data, mtime=0) if str(path).endswith(".gz") else data)
