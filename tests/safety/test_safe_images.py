"""Pictures through Pillow: every format, transparency, bit depths, the pixel limit, bytes = path."""
import io

import numpy as np
import pytest
from PIL import Image

from sinir.images import (MAX_PIXELS, ImageError, digit_from_bytes, digit_from_file, read_image, to_mnist,
                          write_png)


def _digit(size=64):
    """A dark '1'-like bar on a light background, (size, size) uint8."""
    picture = np.full((size, size), 240, dtype=np.uint8)
    picture[size // 6:-size // 6, size // 2 - size // 10:size // 2 + size // 10] = 20
    return picture


def _encoded(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


REFERENCE = to_mnist(_digit().astype(np.float64))


def _same_digit(digit):
    """Near the reference (lossy formats may move the cut by a pixel: the mean, not the max)."""
    return digit.shape == (28, 28) and digit.dtype == np.float32 and np.abs(digit - REFERENCE).mean() < 0.03


@pytest.mark.parametrize("name, make", [
    ("png-8bit", lambda: _encoded(Image.fromarray(_digit()), format="PNG")),
    ("png-16bit", lambda: _encoded(Image.fromarray(_digit().astype(np.uint16) * 257), format="PNG")),
    ("png-interlaced", lambda: _encoded(Image.fromarray(_digit()), format="PNG", interlace=1)),
    ("png-palette", lambda: _encoded(Image.fromarray(_digit()).convert("P"), format="PNG")),
    ("png-1bit", lambda: _encoded(Image.fromarray(_digit()).convert("1", dither=Image.Dither.NONE), format="PNG")),
    ("png-2bit", lambda: _encoded(Image.fromarray(_digit()).convert("P", palette=Image.Palette.ADAPTIVE, colors=4),
                                  format="PNG", bits=2)),
    ("png-4bit", lambda: _encoded(Image.fromarray(_digit()).convert("P", palette=Image.Palette.ADAPTIVE, colors=16),
                                  format="PNG", bits=4)),
    ("png-rgb", lambda: _encoded(Image.fromarray(_digit()).convert("RGB"), format="PNG")),
    ("jpeg", lambda: _encoded(Image.fromarray(_digit()), format="JPEG", quality=95)),
    ("jpeg-cmyk", lambda: _encoded(Image.fromarray(_digit()).convert("CMYK"), format="JPEG", quality=95)),
    ("bmp", lambda: _encoded(Image.fromarray(_digit()), format="BMP")),
    ("webp", lambda: _encoded(Image.fromarray(_digit()), format="WEBP", lossless=True)),
    ("tiff", lambda: _encoded(Image.fromarray(_digit()), format="TIFF")),
])
def test_every_format_pillow_reads_gives_the_same_digit(name, make):
    assert _same_digit(digit_from_bytes(make(), name))


def test_a_gif_gives_its_first_frame():
    first, second = Image.fromarray(_digit()), Image.fromarray(np.full((64, 64), 240, dtype=np.uint8))
    data = _encoded(first, format="GIF", save_all=True, append_images=[second])
    assert _same_digit(digit_from_bytes(data))


@pytest.mark.parametrize("ink", [0, 255])
def test_a_digit_drawn_on_a_transparent_canvas_is_read(ink):
    rgba = np.zeros((64, 64, 4), dtype=np.uint8)          # fully transparent, black "background"
    rgba[..., :3] = 255 - ink
    mask = _digit() < 128
    rgba[mask, :3], rgba[mask, 3] = ink, 255              # the stroke: opaque, dark or light
    assert _same_digit(digit_from_bytes(_encoded(Image.fromarray(rgba, "RGBA"), format="PNG")))


def test_bytes_and_path_give_what_predict_feeds_the_model(tmp_path):
    write_png(tmp_path / "d.png", _digit())
    data = (tmp_path / "d.png").read_bytes()
    np.testing.assert_array_equal(digit_from_bytes(data), digit_from_file(tmp_path / "d.png"))
    normalized = digit_from_file(tmp_path / "d.png", normalization=(0.1307, 0.3081))
    np.testing.assert_allclose(normalized, (REFERENCE - 0.1307) / 0.3081, atol=1e-5)
    with pytest.raises(ImageError, match="expected the image file's bytes"):
        digit_from_bytes("d.png")


def test_too_many_pixels_is_one_line_error_before_decoding(tmp_path):
    side = int(MAX_PIXELS ** 0.5) + 10
    data = _encoded(Image.new("L", (side, side), 255), format="PNG")     # ~40 MP of white, a few kB
    with pytest.raises(ImageError, match=rf"the picture has {side}x{side} pixels, more than the 40,000,000"):
        digit_from_bytes(data, "huge.png")
    (tmp_path / "huge.png").write_bytes(data)
    with pytest.raises(ImageError, match="huge.png: the picture has"):
        read_image(tmp_path / "huge.png")


@pytest.mark.parametrize("data, message", [
    (b"", "not a readable picture"),
    (b"GIF89a" + b"\x00" * 20, "not a readable picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "not a readable picture"),
])
def test_broken_pictures_are_image_errors(data, message):
    with pytest.raises(ImageError, match=message):
        digit_from_bytes(data, "broken")


def test_a_blank_picture_says_so():
    with pytest.raises(ImageError, match="blank; no digit found"):
        digit_from_bytes(_encoded(Image.new("L", (30, 30), 200), format="PNG"), "blank.png")
