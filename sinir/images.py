"""Reading a picture of a digit and bringing it to MNIST's form.

MNIST's digits are white on black, scaled to fit 20x20 pixels (keeping their proportions) and
placed in 28x28 so that their centre of mass is in the middle. ``to_mnist`` does the same to any
picture: dark-on-light or light-on-dark, of any size.

PNG files are read by the small decoder below (NumPy and zlib only); JPEG and other formats need
Pillow (``pip install pillow``).
"""
import struct
import zlib
from pathlib import Path

import numpy as np

from .datasets.idx import DatasetError, read_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}   # PNG colour type -> samples per pixel


class ImageError(DatasetError):
    """An image file is missing, unreadable or in an unsupported format."""


def read_image(path):
    """The picture as grey levels, float64 (H, W) in 0..255."""
    path = Path(path)
    data = read_bytes(path)
    if data.startswith(PNG_SIGNATURE):
        return _grey(decode_png(data, path))
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise ImageError(f"{path}: not a PNG file; reading JPEG and other formats needs Pillow "
                         "(pip install pillow)") from None
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("L"), dtype=np.float64)
    except (UnidentifiedImageError, OSError) as error:
        raise ImageError(f"{path}: not a readable image ({error})") from None


def _grey(pixels):
    """(H, W, channels) -> (H, W) grey levels; transparent pixels count as white background."""
    pixels = pixels.astype(np.float64)
    if pixels.shape[2] in (2, 4):
        alpha = pixels[..., -1:] / 255
        pixels = pixels[..., :-1] * alpha + 255 * (1 - alpha)
    if pixels.shape[2] == 3:
        return pixels @ np.array([0.299, 0.587, 0.114])
    return pixels[..., 0]


def decode_png(data, name="<png>"):
    """Decode a non-interlaced 8-bit PNG into (H, W, channels) uint8."""
    chunks, position, palette = [], 8, None
    header = None
    try:
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            body = data[position + 8:position + 8 + length]
            if len(body) != length:
                raise ImageError(f"{name}: the PNG file is truncated")
            if kind == b"IHDR":
                header = struct.unpack(">IIBBBBB", body)
            elif kind == b"PLTE":
                palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
            elif kind == b"IDAT":
                chunks.append(body)
            elif kind == b"IEND":
                break
            position += 12 + length
        if header is None:
            raise ImageError(f"{name}: the PNG file has no header")
        width, height, depth, colour, _, _, interlace = header
        if depth != 8 or interlace or colour not in CHANNELS:
            raise ImageError(f"{name}: only 8-bit non-interlaced PNG is read without Pillow "
                             f"(this one: depth {depth}, colour type {colour}, interlace {interlace})")
        raw = zlib.decompress(b"".join(chunks))
    except (struct.error, zlib.error) as error:
        raise ImageError(f"{name}: the PNG file is corrupt ({error})") from None
    channels = CHANNELS[colour]
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise ImageError(f"{name}: the PNG data has {len(raw)} bytes, expected {height * (stride + 1)}")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    pixels = _unfilter(rows[:, 1:].astype(np.int32), rows[:, 0], channels, name)
    pixels = pixels.astype(np.uint8).reshape(height, width, channels)
    if colour == 3:
        if palette is None:
            raise ImageError(f"{name}: a palette PNG without a palette")
        pixels = palette[pixels[..., 0]]
    return pixels


def _unfilter(rows, filters, bpp, name):
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth)."""
    out = np.zeros_like(rows)
    previous = np.zeros(rows.shape[1], dtype=np.int32)
    for y, kind in enumerate(filters):
        row = rows[y]
        if kind == 0:
            current = row
        elif kind == 1:     # Sub: each byte adds the byte bpp to its left
            current = np.cumsum(row.reshape(-1, bpp), axis=0).reshape(-1) % 256
        elif kind == 2:     # Up: each byte adds the byte above
            current = (row + previous) % 256
        elif kind in (3, 4):
            current = row.copy()
            for x in range(len(row)):
                left = current[x - bpp] if x >= bpp else 0
                up = previous[x]
                if kind == 3:
                    current[x] = (current[x] + (left + up) // 2) % 256
                else:
                    upper_left = previous[x - bpp] if x >= bpp else 0
                    p = left + up - upper_left
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                    predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                    current[x] = (current[x] + predictor) % 256
        else:
            raise ImageError(f"{name}: unknown PNG filter {kind}")
        out[y] = previous = current
    return out


def write_png(path, image):
    """Write a grey (H, W) or RGB (H, W, 3) uint8 image as PNG."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    colour = 0 if image.ndim == 2 else 2
    height, width = image.shape[:2]
    raw = b"".join(b"\x00" + image[y].tobytes() for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    Path(path).write_bytes(PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
                           + chunk(b"IEND", b""))


def _area_resize_matrix(old, new):
    """A (new, old) matrix whose rows average the old pixels each new pixel covers."""
    edges = np.linspace(0, old, new + 1)
    starts, ends = edges[:-1, None], edges[1:, None]
    pixel = np.arange(old)[None, :]
    overlap = np.clip(np.minimum(ends, pixel + 1) - np.maximum(starts, pixel), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize(image, height, width):
    """Area-averaging resize of a 2-D image (anti-aliased when shrinking)."""
    return _area_resize_matrix(image.shape[0], height) @ image @ _area_resize_matrix(image.shape[1], width).T


def to_mnist(grey, name="<image>"):
    """Any picture of one digit -> (28, 28) float32 in [0, 1], white digit on black, MNIST-centred."""
    grey = np.asarray(grey, dtype=np.float64)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    ink = 255 - grey if np.median(border) > 127 else grey.copy()   # make the digit the bright part
    ink -= np.median(np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]]))
    ink = np.clip(ink, 0, None)
    if ink.max() <= 0:
        raise ImageError(f"{name}: the picture is blank; no digit found")
    rows = np.flatnonzero(ink.max(axis=1) > 0.2 * ink.max())
    cols = np.flatnonzero(ink.max(axis=0) > 0.2 * ink.max())
    digit = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scale = 20 / max(digit.shape)
    height, width = max(1, round(digit.shape[0] * scale)), max(1, round(digit.shape[1] * scale))
    digit = resize(digit, height, width)
    digit /= digit.max()
    canvas = np.zeros((28, 28))
    y, x = np.indices(digit.shape)
    centre_y, centre_x = (y * digit).sum() / digit.sum(), (x * digit).sum() / digit.sum()
    top = int(np.clip(round(14 - centre_y), 0, 28 - height))
    left = int(np.clip(round(14 - centre_x), 0, 28 - width))
    canvas[top:top + height, left:left + width] = digit
    return canvas.astype(np.float32)
