"""MNIST and Fashion-MNIST: 28x28 grey images of digits (or clothes) with labels 0-9.

When ``root`` is given, the files must be there (directly, in a sub-folder named after the
dataset (``mnist``, ``fashion-mnist``) or in torchvision's layout (``MNIST/raw``)): a folder that
does not exist or lacks a file is an error, never a silent fall-back. Without ``root`` they are
looked for in ``$SINIR_DATA`` and the cache (~/.cache/sinir); when neither holds them, they are
downloaded into the cache (checked against their published MD5 sums, written atomically); when
that fails too, sinir says how to provide them and falls back to a small real sample of MNIST
bundled in the package (6,000 training and 1,000 test images).

The files are checked: images must be uint8 (or float in [0, 1]) of 28x28, labels integers 0-9,
as many labels as images.

>>> train = MNIST(train=True, transform=Compose([ToTensor(), Normalize(0.1307, 0.3081)]))
>>> image, label = train[0]        # image (1, 28, 28) float32, label an int
"""
import hashlib
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from ..data import Dataset
from ..files import atomic_write
from .idx import DatasetError, read_idx

SAMPLE_PATH = Path(__file__).with_name("mnist_sample.npz")


def cache_dir():
    """Where downloads go: $XDG_CACHE_HOME/sinir or ~/.cache/sinir."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sinir"


def download(url, destination, md5=None, timeout=30):
    """Fetch ``url`` into ``destination`` atomically (a temporary file renamed into place),
    checking the MD5 sum of the downloaded bytes first. Raises DatasetError on any failure."""
    destination = Path(destination)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DatasetError(f"{url}: download failed ({getattr(error, 'reason', error)})") from None
    if md5 is not None and hashlib.md5(data).hexdigest() != md5:
        raise DatasetError(f"{url}: the download's MD5 sum is {hashlib.md5(data).hexdigest()}, expected {md5}: "
                           "corrupt or truncated, not saved")
    return atomic_write(destination, lambda file: file.write(data))


class MNIST(Dataset):
    """The MNIST digits: 60,000 training or 10,000 test images.

    ``data`` holds the images as uint8 (N, 28, 28), ``targets`` the labels as int64 (N,).
    ``transform`` is applied to images, ``target_transform`` to labels; both receive whole
    batches in ``get_batch`` (see sinir.datasets.transforms). ``is_sample`` tells whether the
    bundled sample stands in for the full set.
    """

    name = "mnist"
    folder_names = ("mnist", "MNIST/raw", "MNIST")
    mirrors = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/")
    files = {
        True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
    }
    # MD5 sums of the published .gz files
    md5 = {
        "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    classes = [str(digit) for digit in range(10)]
    files_directly_in_data_folders = True

    def __init__(self, root=None, train=True, download=True, transform=None, target_transform=None):
        self.root, self.train = root, bool(train)
        self.transform, self.target_transform = transform, target_transform
        self.is_sample = False
        folder = self.find(root)
        if folder is None and root is not None:
            self._missing(Path(root))
        if folder is None and download:
            folder = self._download()
        if folder is None:
            self.data, self.targets = self._load_sample()
        else:
            images_name, labels_name = self.files[self.train]
            self.data = self._read(folder, images_name, 3)
            self.targets = self._read(folder, labels_name, 1).astype(np.int64)
            if len(self.data) != len(self.targets):
                raise DatasetError(f"{folder}: {len(self.data)} images but {len(self.targets)} labels")
        self.source = "bundled sample" if folder is None else str(folder)

    # ----- finding the files ------------------------------------------------------------------
    @classmethod
    def search_folders(cls, root=None):
        """The folders looked in, in order: only ``root``'s when it is given."""
        if root is not None:
            bases = [Path(root)]
        else:
            bases = [Path(p) for p in (os.environ.get("SINIR_DATA"), cache_dir()) if p]
        folders = []
        for base in bases:
            if cls.files_directly_in_data_folders or base == Path(root or ""):
                folders.append(base)
            folders.extend(base / name for name in cls.folder_names)
        return folders

    @classmethod
    def _path(cls, folder, name):
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
        return None

    def find(self, root=None):
        """The first folder holding this split's files, or None."""
        for folder in self.search_folders(root):
            if all(self._path(folder, name) for name in self.files[self.train]):
                return folder
        return None

    def _missing(self, root):
        names = " and ".join(f"{name}(.gz)" for name in self.files[self.train])
        if not root.is_dir():
            raise DatasetError(f"{root}: no such folder (the {self.name} data folder given)")
        raise DatasetError(f"{root}: the {self.name} files are not there; expected {names} in it or in one of "
                           f"its sub-folders {', '.join(self.folder_names)}")

    def _read(self, folder, name, ndim):
        path = self._path(folder, name)
        array = read_idx(path)
        if array.ndim != ndim or (ndim == 3 and array.shape[1:] != (28, 28)):
            raise DatasetError(f"{path}: expected {'images of 28x28' if ndim == 3 else 'a list of labels'}, "
                               f"got an array of shape {array.shape}")
        if ndim == 3 and array.dtype != np.uint8:
            if array.dtype.kind != "f" or not np.isfinite(array).all() or array.min() < 0 or array.max() > 1:
                raise DatasetError(f"{path}: images must be uint8 (0-255) or float in [0, 1]; got {array.dtype}"
                                   + (" with values outside [0, 1] or NaN" if array.dtype.kind == "f" else ""))
            array = array.astype(np.float32)
        if ndim == 1:
            if array.dtype.kind not in "iu":
                raise DatasetError(f"{path}: labels must be integers, got {array.dtype}")
            if array.size and (array.min() < 0 or array.max() > len(self.classes) - 1):
                bad = array.min() if array.min() < 0 else array.max()
                raise DatasetError(f"{path}: labels must be 0-{len(self.classes) - 1}, found {bad}")
        return array

    def _download(self):
        folder = cache_dir() / self.name
        for name in self.files[self.train]:
            if self._path(folder, name):
                continue
            errors = []
            for mirror in self.mirrors:
                try:
                    download(mirror + name + ".gz", folder / f"{name}.gz", self.md5.get(name))
                    break
                except DatasetError as error:
                    errors.append(str(error))
            else:
                self._warn(f"could not download {self.name} ({errors[-1]}).")
                return None
        return folder

    def _warn(self, message):
        print(f"sinir: {message} To use the full dataset, put the four IDX files (.gz or raw) in a folder "
              f"and pass root=FOLDER or set SINIR_DATA=FOLDER (the sinir command takes --data FOLDER).",
              file=sys.stderr)

    def _load_sample(self):
        if not SAMPLE_PATH.exists():
            raise DatasetError(f"{self.name}: the files are in none of "
                               f"{[str(f) for f in self.search_folders(self.root)[:3]]} and no sample is bundled")
        print(f"sinir: falling back to the bundled MNIST sample ({SAMPLE_PATH.name}: 6,000 training and "
              "1,000 test images), not the full set.", file=sys.stderr)
        self.is_sample = True
        split = "train" if self.train else "test"
        with np.load(SAMPLE_PATH, allow_pickle=False) as sample:
            return sample[f"{split}_images"], sample[f"{split}_labels"].astype(np.int64)

    # ----- the Dataset protocol ------------------------------------------------------------------
    def __len__(self):
        return len(self.data)

    def _transformed(self, images, labels):
        """One image or a batch: the transforms work on both."""
        if self.transform is not None:
            images = self.transform(images)
        if self.target_transform is not None:
            labels = self.target_transform(labels)
        return images, labels

    def __getitem__(self, index):
        image, label = self._transformed(self.data[index], self.targets[index])
        return image, int(label) if np.ndim(label) == 0 else label

    def get_batch(self, indices):
        return self._transformed(self.data[indices], self.targets[indices])

    def __repr__(self):
        split = "train" if self.train else "test"
        return f"{type(self).__name__}(split={split!r}, samples={len(self)}, source={self.source!r})"


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando): 28x28 grey pictures of ten kinds of clothing, MNIST's format."""

    name = "fashion-mnist"
    folder_names = ("fashion-mnist", "FashionMNIST/raw", "FashionMNIST")
    mirrors = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",)
    md5 = {
        "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
    }
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]

    # its files bear MNIST's names: in $SINIR_DATA and the cache, only a fashion-mnist folder is theirs
    files_directly_in_data_folders = False

    def _load_sample(self):
        raise DatasetError("fashion-mnist: the files were not found or downloaded, and only an MNIST sample "
                           "is bundled; put the Fashion-MNIST IDX files in a folder and pass it as root/--data")
