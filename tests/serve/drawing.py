"""Pictures for the tests: PNG data URLs and a drawn 7."""
import base64
import io

import numpy as np


def png_data_url(pixels):
    """(H, W) or (H, W, 3) uint8 -> 'data:image/png;base64,...' (written by Pillow)."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def drawn_seven(size=336):
    """A 7 as a person draws it on the page: black strokes on white, a top bar and a diagonal."""
    from PIL import Image, ImageDraw
    image = Image.new("L", (size, size), 255)
    pen = ImageDraw.Draw(image)
    width = size // 14
    pen.line([(0.25 * size, 0.2 * size), (0.75 * size, 0.2 * size)], fill=0, width=width)
    pen.line([(0.75 * size, 0.2 * size), (0.45 * size, 0.85 * size)], fill=0, width=width)
    return np.asarray(image)
