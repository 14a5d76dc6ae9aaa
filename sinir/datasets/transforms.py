"""Transforms for images and labels. Each works on one image (H, W) or a batch (N, H, W),
so a DataLoader can transform a whole batch in one NumPy call.

>>> transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
"""
import numpy as np


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
    """uint8 pixels 0..255 (..., H, W) -> float32 in [0, 1] with a channel axis (..., 1, H, W)."""

    def __call__(self, images):
        images = np.asarray(images)
        scaled = images.astype(np.float32) / 255 if images.dtype == np.uint8 else images.astype(np.float32)
        return scaled[..., None, :, :] if scaled.ndim in (2, 3) else scaled

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """(x - mean) / std, per channel (axis -3) when mean and std are sequences.

    MNIST's pixel mean and standard deviation, after ToTensor, are 0.1307 and 0.3081.
    """

    def __init__(self, mean, std):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        if (self.std <= 0).any():
            raise ValueError(f"Normalize: std must be positive, got {std}")
        if self.mean.ndim:
            self.mean, self.std = self.mean[:, None, None], self.std[:, None, None]

    def __call__(self, x):
        return ((x - self.mean) / self.std).astype(np.float32, copy=False)

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
