"""No decompression bombs: each hostile file is refused (or read) in a child process whose memory
may grow by at most 200 MB (RLIMIT_AS) and which must finish in 20 s."""
import gzip
import struct
import zlib

import pytest

from tests.safety.conftest import run_limited

REFUSED = """
    from sinir.datasets import DatasetError, read_idx
    from sinir.images import ImageError, read_image
    from sinir.checkpoint import CheckpointError, load
    try:
        {call}
    except (DatasetError, ImageError, CheckpointError) as error:
        print("REFUSED", error)
    else:
        print("READ")
"""


def _idx_header(shape):
    return bytes([0, 0, 0x08, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)


def _gzip_of_zeros(prefix, total_bytes, member_bytes=64 * 2 ** 20):
    """A multi-member gzip file: ``prefix`` then ``total_bytes`` zeros, a few hundred kB on disk."""
    member = gzip.compress(b"\0" * member_bytes, compresslevel=9, mtime=0)
    return gzip.compress(prefix, mtime=0) + member * (total_bytes // member_bytes)


def _assert_refused(tmp_path, name, call, message):
    result = run_limited(REFUSED.format(call=call.format(path=str(tmp_path / name))))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED") and message in result.stdout, result.stdout


def test_the_memory_limit_is_real():
    result = run_limited("""
        try:
            block = bytearray(400 * 2 ** 20)
        except MemoryError:
            print("LIMITED")
    """)
    assert result.stdout.strip() == "LIMITED", result.stderr[-2000:]


def test_a_gzip_idx_bomb_stops_at_the_size_the_header_implies(tmp_path):
    (tmp_path / "bomb.gz").write_bytes(_gzip_of_zeros(_idx_header((10, 28, 28)), 2 * 2 ** 30))   # 2 GB inside
    assert (tmp_path / "bomb.gz").stat().st_size < 4_000_000
    _assert_refused(tmp_path, "bomb.gz", "read_idx({path!r})", "but the gzip data holds more")


def test_a_gzip_idx_file_of_the_announced_size_reads_within_twice_its_size(tmp_path):
    shape = (120_000, 28, 28)                                             # 94 MB of data, 200 MB allowed
    (tmp_path / "big.gz").write_bytes(_gzip_of_zeros(_idx_header(shape), 94_080_000, 94_080_000 // 8))
    result = run_limited(f"""
        from sinir.datasets import read_idx
        print(read_idx({str(tmp_path / 'big.gz')!r}).shape)
    """)
    assert result.returncode == 0 and result.stdout.strip() == "(120000, 28, 28)", result.stderr[-2000:]


@pytest.mark.parametrize("shape, body, message", [
    ((2 ** 31, 28, 28), b"", "more than the 1,073,741,824 bytes an IDX file may hold"),
    ((60_000, 28, 28), b"\0" * 1000, "but the file holds 1,016 bytes"),          # raw: checked before reading
    ((10,), b"\0" * 10 + b"\0" * 10_000, "but the file holds 10,018 bytes"),     # larger than its content
])
def test_idx_headers_that_do_not_match_the_file_are_refused_before_allocating(tmp_path, shape, body, message):
    (tmp_path / "x-idx").write_bytes(_idx_header(shape) + body)
    _assert_refused(tmp_path, "x-idx", "read_idx({path!r})", message)


def _png(width, height, idat=b""):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat or zlib.compress(b"\0" * 1000)) \
        + chunk(b"IEND", b"")


def test_a_picture_of_too_many_pixels_is_refused_before_decoding(tmp_path):
    (tmp_path / "huge.png").write_bytes(_png(100_000, 100_000))        # 10 gigapixels announced
    _assert_refused(tmp_path, "huge.png", "read_image({path!r})", "more than the 40,000,000")


def test_a_large_picture_is_reduced_while_it_is_read(tmp_path):
    from PIL import Image, ImageDraw
    image = Image.new("L", (6000, 6000), 255)                          # 36 MP: allowed, read reduced
    ImageDraw.Draw(image).rectangle((2800, 1000, 3200, 5000), fill=0)
    image.save(tmp_path / "large.png")
    result = run_limited(f"""
        from sinir.images import digit_from_file
        digit = digit_from_file({str(tmp_path / 'large.png')!r})
        print(digit.shape, float(digit.max()))
    """, memory_mb=200)
    assert result.returncode == 0 and result.stdout.strip() == "(28, 28) 1.0", result.stderr[-2000:]


def test_a_safetensors_header_announcing_gigabytes_is_refused(tmp_path):
    import json
    header = json.dumps({"__metadata__": {"sinir.checkpoint": "{}"},
                         "w": {"dtype": "F32", "shape": [10 ** 9], "data_offsets": [0, 4 * 10 ** 9]}}).encode()
    (tmp_path / "bomb.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + b"\0" * 64)
    _assert_refused(tmp_path, "bomb.safetensors", "load({path!r})", "bomb.safetensors: not a readable checkpoint")
