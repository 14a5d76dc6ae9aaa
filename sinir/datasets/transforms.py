"""Transforms for images and labels, as torchvision's.

Each works on one image, a PIL image or an array: (H, W) grey, or (C, H, W) once ToTensor has
made it float. The deterministic ones (ToTensor, Normalize, Flatten, OneHot) also take a batch
(N, H, W) / (N, C, H, W) in one NumPy call, which is how sinir's MNIST.get_batch stays fast.
The random ones (RandomRotation, RandomAffine, RandomCrop) draw their parameters per image, from
sinir's generator (``sinir.manual_seed``), also when given a batch.

>>> transform = Compose([RandomRotation(10), ToTensor(), Normalize((0.1307,), (0.3081,))])
"""
import math
import numbers

import numpy as np

from ..random import default_generator


def _is_pil(image):
    return type(image).__module__.startswith("PIL.")


class Compose:
    """Apply transforms one after the other."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x

    def __repr__(self):
        return f"Compose({self.transforms})"


class ToTensor:
    """A PIL image or uint8 array -> float32 in [0, 1] with a channel axis: (H, W) -> (1, H, W),
    a PIL image with C bands -> (C, H, W). A uint8 (N, H, W) array is a batch of grey images:
    -> (N, 1, H, W). Float arrays are not rescaled."""

    def __call__(self, pic):
        if _is_pil(pic):
            array = np.asarray(pic)
            array = array[None] if array.ndim == 2 else array.transpose(2, 0, 1)
            return (array.astype(np.float32) / 255) if array.dtype == np.uint8 else array.astype(np.float32)
        images = np.asarray(pic)
        scaled = images.astype(np.float32) / 255 if images.dtype == np.uint8 else images.astype(np.float32)
        return scaled[..., None, :, :] if scaled.ndim in (2, 3) else scaled

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """(x - mean) / std, per channel (axis -3) when mean and std are sequences.

    MNIST's pixel mean and standard deviation, after ToTensor, are 0.1307 and 0.3081.
    """

    def __init__(self, mean, std, inplace=False):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        if not np.all(np.isfinite(self.std)) or (self.std <= 0).any() or not np.all(np.isfinite(self.mean)):
            raise ValueError(f"Normalize: std must be positive and mean finite, got mean {mean}, std {std}")
        if self.mean.ndim:
            self.mean, self.std = self.mean[:, None, None], self.std[:, None, None]

    def __call__(self, x):
        return ((np.asarray(x) - self.mean) / self.std).astype(np.float32, copy=False)

    def __repr__(self):
        return f"Normalize(mean={self.mean.ravel().tolist()}, std={self.std.ravel().tolist()})"


class Flatten:
    """(..., C, H, W) images -> (..., C*H*W) vectors, for fully connected networks."""

    def __call__(self, x):
        x = np.asarray(x)
        return x.reshape(x.shape[:-3] + (-1,)) if x.ndim >= 3 else x.reshape(-1)

    def __repr__(self):
        return "Flatten()"


class OneHot:
    """Integer labels -> one-hot float32 rows (a target transform)."""

    def __init__(self, num_classes):
        self.num_classes = num_classes

    def __call__(self, labels):
        labels = np.asarray(labels)
        if labels.size and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(f"OneHot: labels must lie in [0, {self.num_classes}), got {labels.min()}..{labels.max()}")
        return np.eye(self.num_classes, dtype=np.float32)[labels]

    def __repr__(self):
        return f"OneHot({self.num_classes})"


# ----- random augmentation --------------------------------------------------------------------
def _range(name, value, center=0.0):
    """A number d -> (center - d, center + d); a pair stays as it is."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"{name} must be non-negative when a single number, got {value}")
        return (center - float(value), center + float(value))
    low, high = (float(v) for v in value)
    if low > high:
        raise ValueError(f"{name} must be (min, max) with min <= max, got {value}")
    return low, high


class _PerImage:
    """Applies ``transform_one`` to each image: a PIL image stays one, an array (H, W) or (C, H, W)
    is one image, (N, H, W) uint8 or (N, C, H, W) a batch, each image with its own draw."""

    def __call__(self, image):
        if _is_pil(image):
            from PIL import Image
            return Image.fromarray(self.transform_one(np.asarray(image)))
        array = np.asarray(image)
        batched = array.ndim == 4 or (array.ndim == 3 and array.dtype == np.uint8)
        if batched:
            return np.stack([self.transform_one(a) for a in array])
        return self.transform_one(array)

    def transform_one(self, array):
        raise NotImplementedError


def _affine_sample(array, matrix, fill):
    """Nearest-neighbour resampling of an (H, W), (H, W, C) or (C, H, W) image: output pixel p
    takes the input pixel at matrix @ (p - center) + center (``matrix`` maps output to input)."""
    channels_first = array.ndim == 3 and array.dtype != np.uint8
    H, W = (array.shape[1:3] if channels_first else array.shape[:2])
    cy, cx = (H - 1) / 2, (W - 1) / 2
    ys, xs = np.meshgrid(np.arange(H) - cy, np.arange(W) - cx, indexing="ij")
    src_x = matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2] + cx
    src_y = matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2] + cy
    ix, iy = np.rint(src_x).astype(np.int64), np.rint(src_y).astype(np.int64)
    inside = (ix >= 0) & (ix < W) & (iy >= 0) & (iy < H)
    ix, iy = np.clip(ix, 0, W - 1), np.clip(iy, 0, H - 1)
    if channels_first:
        out = array[:, iy, ix]
        out[:, ~inside] = fill
    else:
        out = array[iy, ix]
        out[~inside] = fill
    return out


def _inverse_affine(angle, translate, scale, shear):
    """The matrix from output to input coordinates (about the centre) of: rotate by ``angle``
    degrees counter-clockwise, shear by ``shear`` degrees (x, y), scale, then translate."""
    a = math.radians(angle)
    sx, sy = (math.radians(s) for s in shear)
    # forward, in image coordinates (y down): rotation R, shear S, scale
    rotation = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    shearing = np.array([[1, -math.tan(sx)], [-math.tan(sy), 1]])
    forward = scale * rotation @ shearing
    inverse = np.linalg.inv(forward)
    offset = -inverse @ np.asarray(translate, dtype=np.float64)
    return np.hstack([inverse, offset[:, None]])


class RandomAffine(_PerImage):
    """Rotate by an angle from ``degrees``, shift by up to ``translate`` (fractions of width and
    height), scale by a factor from ``scale`` and shear by ``shear`` degrees, all drawn per image;
    pixels from outside the image are ``fill``. Nearest-neighbour sampling, about the centre.

    >>> RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1))
    """

    def __init__(self, degrees, translate=None, scale=None, shear=None, interpolation="nearest", fill=0,
                 center=None):
        self.degrees = _range("RandomAffine: degrees", degrees)
        if translate is not None and (len(translate) != 2 or not all(0 <= t <= 1 for t in translate)):
            raise ValueError(f"RandomAffine: translate must be two fractions in [0, 1], got {translate}")
        if scale is not None and (len(scale) != 2 or not 0 < scale[0] <= scale[1]):
            raise ValueError(f"RandomAffine: scale must be (min, max) with 0 < min <= max, got {scale}")
        if interpolation != "nearest" or center is not None:
            raise ValueError("RandomAffine: only interpolation='nearest' about the centre is supported")
        self.translate, self.scale, self.fill = translate, scale, fill
        if shear is None:
            self.shear = None
        elif isinstance(shear, numbers.Number):
            self.shear = (_range("RandomAffine: shear", shear), (0.0, 0.0))
        elif len(shear) == 2:
            self.shear = ((float(shear[0]), float(shear[1])), (0.0, 0.0))
        else:
            self.shear = ((float(shear[0]), float(shear[1])), (float(shear[2]), float(shear[3])))

    def draw(self, height, width):
        """The parameters for one image: angle, (tx, ty) in pixels, scale, (shear x, shear y)."""
        g = default_generator()
        angle = float(g.uniform(*self.degrees))
        tx = ty = 0.0
        if self.translate is not None:
            tx = float(np.rint(g.uniform(-self.translate[0] * width, self.translate[0] * width)))
            ty = float(np.rint(g.uniform(-self.translate[1] * height, self.translate[1] * height)))
        scale = float(g.uniform(*self.scale)) if self.scale is not None else 1.0
        shear = (0.0, 0.0)
        if self.shear is not None:
            shear = (float(g.uniform(*self.shear[0])), float(g.uniform(*self.shear[1])))
        return angle, (tx, ty), scale, shear

    def transform_one(self, array):
        H, W = array.shape[1:3] if array.ndim == 3 and array.dtype != np.uint8 else array.shape[:2]
        angle, translate, scale, shear = self.draw(H, W)
        return _affine_sample(array, _inverse_affine(angle, translate, scale, shear), self.fill)

    def __repr__(self):
        return f"RandomAffine(degrees={self.degrees}, translate={self.translate}, scale={self.scale})"


class RandomRotation(RandomAffine):
    """Rotate each image by an angle drawn from ``degrees`` (a number d: (-d, d)),
    counter-clockwise for positive angles, about the centre; the corners are ``fill``."""

    def __init__(self, degrees, interpolation="nearest", expand=False, center=None, fill=0):
        if expand:
            raise ValueError("RandomRotation: expand=True is not supported")
        super().__init__(degrees, interpolation=interpolation, fill=fill, center=center)

    def __repr__(self):
        return f"RandomRotation(degrees={self.degrees})"


class RandomCrop(_PerImage):
    """A ``size`` (h, w) window at a random place of each image, after ``padding`` (fill) if given.

    >>> RandomCrop(28, padding=2)       # MNIST shifted by up to 2 pixels
    """

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = (int(size), int(size)) if isinstance(size, numbers.Number) else tuple(int(s) for s in size)
        if len(self.size) != 2 or min(self.size) < 1:
            raise ValueError(f"RandomCrop: size must be a positive integer or (h, w), got {size}")
        if padding_mode != "constant":
            raise ValueError(f"RandomCrop: only padding_mode='constant' is supported, got {padding_mode!r}")
        if isinstance(padding, numbers.Number):
            padding = (padding,) * 4
        elif padding is not None and len(padding) == 2:
            padding = (padding[0], padding[1], padding[0], padding[1])
        self.padding, self.pad_if_needed, self.fill = padding, pad_if_needed, fill   # (left, top, right, bottom)

    def transform_one(self, array):
        channels_first = array.ndim == 3 and array.dtype != np.uint8
        axes = (1, 2) if channels_first else (0, 1)
        if self.padding is not None or self.pad_if_needed:
            left, top, right, bottom = self.padding or (0, 0, 0, 0)
            H, W = array.shape[axes[0]] + top + bottom, array.shape[axes[1]] + left + right
            if self.pad_if_needed:
                extra_h, extra_w = max(self.size[0] - H, 0), max(self.size[1] - W, 0)
                top, bottom, left, right = top + extra_h, bottom + extra_h, left + extra_w, right + extra_w
            widths = [(0, 0)] * array.ndim
            widths[axes[0]], widths[axes[1]] = (top, bottom), (left, right)
            array = np.pad(array, widths, constant_values=self.fill)
        H, W = array.shape[axes[0]], array.shape[axes[1]]
        h, w = self.size
        if h > H or w > W:
            raise ValueError(f"RandomCrop: crop size {self.size} is larger than the (padded) image {(H, W)}")
        g = default_generator()
        i, j = int(g.integers(0, H - h + 1)), int(g.integers(0, W - w + 1))
        return array[:, i:i + h, j:j + w] if channels_first else array[i:i + h, j:j + w]

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"
