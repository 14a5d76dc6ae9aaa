"""Reading a picture of a digit and bringing it to MNIST's form.

MNIST's digits are white on black, scaled to fit 20x20 pixels (keeping their proportions) and
placed in 28x28 so that their centre of mass is in the middle. ``to_mnist`` does the same to any
picture: dark-on-light or light-on-dark, of any size.

Pictures are decoded by Pillow: every format it reads (PNG of any bit depth, palette or
interlaced, JPEG, BMP, WebP, GIF's first frame, ...). Transparent pixels are composited onto a
background that contrasts with the ink, so a digit drawn on a transparent canvas is read.
Only regular files are opened, pictures of more than MAX_PIXELS are refused before decoding,
and large JPEGs are decoded at a reduced scale (``Image.draft``).

>>> x = digit_from_file("seven.png", normalization=(0.1307, 0.3081))   # (28, 28) float32, what the model sees
>>> x = digit_from_bytes(request_body)                                    # the same from the file's bytes
"""
import io
import warnings
from pathlib import Path

import numpy as np

from .datasets.idx import DatasetError
from .files import FileError, read_regular

MAX_PIXELS = 40_000_000        # width x height; a larger picture is refused before it is decoded
MAX_FILE_BYTES = 64 * 2 ** 20  # 64 MB
WORKING_SIDE = 1024            # larger pictures are reduced to about this before the float work


class ImageError(DatasetError):
    """An image file is missing, unreadable, too large or in an unsupported format."""


def _pillow():
    from PIL import Image
    return Image


def decode_image(data, name="<image>"):
    """Image file bytes -> grey levels, float64 (H, W) in 0..255 (transparency composited)."""
    Image = _pillow()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageError(f"{name}: the picture has {width}x{height} pixels, more than the "
                                     f"{MAX_PIXELS:,} sinir reads")
                if width == 0 or height == 0:
                    raise ImageError(f"{name}: the picture is empty ({width}x{height})")
                image.seek(0)                                  # GIF, WebP, APNG: the first frame
                if image.format == "JPEG" and max(width, height) > 2 * WORKING_SIDE:
                    image.draft(image.mode if image.mode in ("L", "RGB") else "RGB",
                                (width * WORKING_SIDE // max(width, height),
                                 height * WORKING_SIDE // max(width, height)))
                image.load()
                factor = max(image.size) // WORKING_SIDE
                if factor >= 2:
                    image = image.reduce(factor)
                return _grey(image)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{name}: the picture has more than the {MAX_PIXELS:,} pixels sinir reads") from None
    except Exception as error:    # Pillow raises many types (OSError, SyntaxError, ValueError, ...) for bad files
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise ImageError(f"{name}: not a readable picture ({reason})") from None


def _grey(image):
    """A Pillow image -> (H, W) float64 grey levels in 0..255."""
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":              # 16-bit (and 32-bit integer) grey
        grey = np.asarray(image, dtype=np.float64)
        return grey * (255 / 65535) if grey.max(initial=0) > 255 or mode.startswith("I;16") else grey
    if mode == "F":
        grey = np.asarray(image, dtype=np.float64)
        grey = np.nan_to_num(grey, nan=0.0, posinf=0.0, neginf=0.0)
        top = grey.max(initial=0)
        return grey * (255 / top) if top > 1 else grey * 255
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    rgba = np.asarray(image.convert("RGBA" if has_alpha else "RGB"), dtype=np.float64)
    grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
    if not has_alpha:
        return grey
    alpha = rgba[..., 3] / 255
    if alpha.min() >= 1:
        return grey
    # composite onto a background that contrasts with what is drawn (the opaque pixels)
    drawn = alpha > 0.5
    ink = grey[drawn].mean() if drawn.any() else 0.0
    background = 255.0 if ink < 128 else 0.0
    return grey * alpha + background * (1 - alpha)


def read_image(path):
    """The picture in a file as grey levels, float64 (H, W) in 0..255. Only regular files are read."""
    try:
        data = read_regular(path, MAX_FILE_BYTES, "picture")
    except FileError as error:
        raise ImageError(str(error)) from None
    return decode_image(data, str(path))


def write_png(path, image):
    """Write a grey (H, W) or RGB (H, W, 3) uint8 image as PNG."""
    _pillow().fromarray(np.ascontiguousarray(image, dtype=np.uint8)).save(Path(path), format="PNG")


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
    if grey.ndim != 2 or min(grey.shape) < 1 or not np.isfinite(grey).all():
        raise ImageError(f"{name}: expected a 2-D picture of finite grey levels, got shape {grey.shape}")
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


def _normalized(digit, normalization):
    if normalization is None:
        return digit
    mean, std = normalization
    return ((digit - mean) / std).astype(np.float32)


def digit_from_bytes(data, name="the picture", normalization=None):
    """Image file bytes -> the (28, 28) float32 array the model sees, as ``sinir predict`` makes it:
    MNIST-centred in [0, 1], then ``(x - mean) / std`` with ``normalization=(mean, std)`` (the
    checkpoint's ``meta["normalization"]``)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError(f"{name}: expected the image file's bytes, got {type(data).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise ImageError(f"{name}: {len(data):,} bytes is more than the {MAX_FILE_BYTES:,} a picture may have")
    return _normalized(to_mnist(decode_image(bytes(data), name), name), normalization)


def digit_from_file(path, normalization=None):
    """A picture file -> the (28, 28) float32 array the model sees (see ``digit_from_bytes``)."""
    return _normalized(to_mnist(read_image(path), str(path)), normalization)
